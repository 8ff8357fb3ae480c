import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseArgs } from '@shipshape/core';
import { container, parseContainerState } from './container.js';

const dir = new URL('./fixtures/container/', import.meta.url);
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8'))] as const);

describe('container plan (fixtures)', () => {
  it.each(cases)('%s', (_f, c) => {
    const run = () => container.module.plan(parseArgs(container.module, c.args, 'fixture'), c.facts);
    if (c.error) return expect(run).toThrow(c.error);
    const plan = run();
    if (c.noop) {
      expect(plan.changed).toBe(false);
      return expect(plan.msg).toBe(c.noop);
    }
    expect(plan.changed).toBe(true);
    if (!plan.changed) return;
    expect(plan.changes.map((ch) => (ch.kind === 'exec' ? ch.command.display : ch.kind === 'call' ? ch.describe : ch.kind))).toEqual(c.commands);
  });
});

describe('container gather output', () => {
  it('reads vzlist and the config from one round trip', () => {
    const out = '       101 running   ct101 debian-12-minimal_12.0_amd64 10.0.0.1\nrc=0\n@@shipshape-openvz@@\npresent\nHOSTNAME="ct101"\n';
    expect(parseContainerState(out, 101)).toEqual({
      info: { ctid: 101, status: 'running', hostname: 'ct101', ostemplate: 'debian-12-minimal_12.0_amd64', ips: ['10.0.0.1'] },
      config: { HOSTNAME: 'ct101' },
    });
    expect(parseContainerState('Container(s) not found\nrc=1\n@@shipshape-openvz@@\nmissing\n', 101)).toEqual({ info: undefined, config: null });
    expect(() => parseContainerState('This program can only be run under root.\nrc=1\n@@shipshape-openvz@@\nmissing\n', 101)).toThrow(/vzlist failed/);
  });
});
