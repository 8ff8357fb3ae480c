import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '@shipshape/core';
import { templateRebuild } from './rebuild.js';
import { parseRebuildFacts } from './rebuild-plan.js';

const dir = new URL('./fixtures/rebuild/', import.meta.url);
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8'))] as const);

describe('templateRebuild plan (fixtures)', () => {
  it.each(cases)('%s', (_f, c) => {
    const m = templateRebuild.module;
    const plan = () => m.plan(parseArgs(m, c.args, 'fixture'), c.facts);
    if (c.error) return expect(plan).toThrow(c.error);
    const p = plan();
    expect(p.msg).toBe(c.noop ?? c.change);
    expect(p.changed).toBe(!c.noop);
    if (p.changed) expect(p.changes.map((x) => x.kind)).toEqual(['call']);
  });

  it('parses the one-round-trip gather output', () => {
    const out = '/vz/template/cache\ndebian-12-minimal_12.0_amd64.tar.gz\n@@shipshape-openvz@@\nin-use\n';
    expect(parseRebuildFacts(out)).toEqual({
      cache: { dir: '/vz/template/cache', templates: [{ file: 'debian-12-minimal_12.0_amd64.tar.gz', name: 'debian-12-minimal_12.0_amd64', valid: true, convention: 'aplinfo' }] },
      ctidInUse: true,
    });
    expect(parseRebuildFacts('/vz/template/cache\n@@shipshape-openvz@@\nfree\n').ctidInUse).toBe(false);
  });
});
