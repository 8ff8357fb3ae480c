/** Module arguments given as text (ad-hoc `-a`, rendered templates) are converted as Ansible's argument spec converts them. */
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ArgumentError } from './errors.js';
import { defineModule, noChange, parseArgs } from './module.js';
import { secret } from './secrets.js';

const m = defineModule({
  name: 'typed',
  description: 'typed arguments',
  schema: z.object({
    port: z.number().int().optional(),
    ratio: z.number().optional(),
    force: z.boolean().optional(),
    groups: z.array(z.string()).optional(),
    name: z.string().optional(),
    nested: z.object({ size: z.number() }).optional(),
    password: z.string().optional(),
  }).strict(),
  gather: async () => undefined,
  plan: () => noChange('nothing'),
}).module;

describe('parseArgs converts text like Ansible (check_type_int/float/bool/list/str)', () => {
  it.each([
    [{ port: '22' }, { port: 22 }],
    [{ port: ' 22 ' }, { port: 22 }],
    [{ ratio: '0.5' }, { ratio: 0.5 }],
    [{ force: 'yes' }, { force: true }],
    [{ force: 'No' }, { force: false }],
    [{ force: 'on' }, { force: true }],
    [{ force: '0' }, { force: false }],
    [{ force: 1 }, { force: true }],
    [{ groups: 'wheel, adm' }, { groups: ['wheel', 'adm'] }],
    [{ name: 8080 }, { name: '8080' }],
    [{ nested: { size: '3' } }, { nested: { size: 3 } }],
    [{ port: '22', force: 'true', groups: 'a' }, { port: 22, force: true, groups: ['a'] }],
  ])('%j reads as %j', (raw, want) => {
    expect(parseArgs(m, raw, 't')).toEqual(want);
  });

  it.each([
    [{ port: 'ssh' }, /field "port" has bad value "ssh"/],
    [{ port: '22.5' }, /field "port" has bad value "22.5"/],
    [{ force: 'maybe' }, /field "force" has bad value "maybe"/],
    [{ port: '22', force: 'maybe' }, /field "force" has bad value "maybe"/],
  ])('%j is refused, naming the value as given', (raw, msg) => {
    expect(() => parseArgs(m, raw, 't')).toThrow(ArgumentError);
    expect(() => parseArgs(m, raw, 't')).toThrow(msg);
  });

  it('leaves the caller\'s object alone and keeps a Secret a Secret', () => {
    const raw = { port: '22', password: secret('s3cret') };
    const out = parseArgs(m, raw, 't');
    expect(raw.port).toBe('22');
    expect(out).toEqual({ port: 22, password: 's3cret' });
  });
});

describe('parseArgs parses one args object once per module', () => {
  it('hands every host the same frozen result, deep; new args objects are parsed anew', () => {
    const raw = { port: '22', groups: ['a', 'b'], nested: { size: 1 } };
    const first = parseArgs(m, raw, 't') as { groups: string[]; nested: { size: number } };
    expect(parseArgs(m, raw, 't')).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.groups) && Object.isFrozen(first.nested)).toBe(true);
    expect(() => first.groups.push('c')).toThrow(TypeError);
    const other = parseArgs(m, { ...raw, port: '23' }, 't');
    expect(other).not.toBe(first);
    expect(other).toMatchObject({ port: 23 });
  });

  it('does not keep a failure: bad args are refused at every parse', () => {
    const raw = { port: 'x' };
    expect(() => parseArgs(m, raw, 't')).toThrow(ArgumentError);
    expect(() => parseArgs(m, raw, 'again')).toThrow(/task "again"/);
  });
});
