import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseArgs, type ModuleDef, type Plan } from '@shipshape/core';
import { container } from './container.js';
import { parseGuestState } from './facts.js';
import { restoreDrill } from './drill.js';
import { template } from './template.js';
import { vm } from './vm.js';

/** The generic runner of plan fixtures: `args`, `facts`, then `commands`, `noop`, `failure` or `error`. */
function planCases(folder: string, module: ModuleDef<unknown, unknown, unknown>) {
  const dir = new URL(`./fixtures/${folder}/`, import.meta.url);
  const cases = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8'))] as const);
  it.each(cases)('%s', (_f, c) => {
    const plan = (): Plan<unknown> => module.plan(parseArgs(module, c.args, 'fixture'), c.facts);
    if (c.error) return expect(plan).toThrow(c.error);
    const p = plan();
    if (c.failure) return expect(p).toMatchObject({ changed: false, failed: true, msg: c.failure });
    if (c.noop) return expect(p).toMatchObject({ changed: false, msg: c.noop });
    expect(p.changed).toBe(true);
    if (p.changed) expect(p.changes.map((ch) => (ch.kind === 'exec' ? ch.command.display : ch.kind))).toEqual(c.commands);
  });
}

describe('proxmox.container plan (fixtures)', () => planCases('container', container.module as ModuleDef<unknown, unknown, unknown>));

describe('guest state gather output', () => {
  it('reads pct config and pct status from one round trip', () => {
    expect(parseGuestState('pct', 'arch: amd64\nhostname: web1\n@@shipshape-guest@@\nrc=0\nstatus: running\n')).toEqual({ config: { arch: 'amd64', hostname: 'web1' }, status: 'running' });
    expect(parseGuestState('pct', "Configuration file 'nodes/pve1/lxc/101.conf' does not exist\n@@shipshape-guest@@\nrc=255\n")).toEqual({ config: null });
    expect(() => parseGuestState('pct', 'sh: 1: pct: not found\n@@shipshape-guest@@\nrc=127\n')).toThrow(/pct config failed \(exit 127\): sh: 1: pct: not found/);
  });
});

describe('proxmox.vm plan (fixtures)', () => planCases('vm', vm.module as ModuleDef<unknown, unknown, unknown>));

describe('proxmox.template plan (fixtures)', () => planCases('template', template.module as ModuleDef<unknown, unknown, unknown>));

describe('proxmox.restoreDrill plan (fixtures)', () => planCases('drill', restoreDrill.module as ModuleDef<unknown, unknown, unknown>));
