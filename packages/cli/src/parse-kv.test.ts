/**
 * parse_kv against Ansible: fixtures/parse-kv.json holds what ansible-core 2.14's own
 * ansible.parsing.splitter.parse_kv returned for each argument string (or the error it raised).
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseKv } from './parse-kv.js';

interface Case { args: string; checkRaw: boolean; expected?: Record<string, string>; error?: string }
const cases = JSON.parse(readFileSync(new URL('./fixtures/parse-kv.json', import.meta.url), 'utf8')) as Case[];

describe('parseKv (Ansible parse_kv)', () => {
  it.each(cases.map((c) => [JSON.stringify(c.args), c] as const))('%s', (_, c) => {
    if (c.error) expect(() => parseKv(c.args, c.checkRaw)).toThrow(c.error.split('.')[0]!);
    else expect(parseKv(c.args, c.checkRaw)).toEqual(c.expected);
  });
});
