// One generic runner over the JSON fixture folders in src/fixtures (samples hold captured text).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { maskDeep, maskSecrets, parseArgs, type Change, type Plan } from '@shipshape/core';
import { fixtureCases } from '@shipshape/core/testing';
import { parseXenCfg } from './facts/cfg.js';
import { parseXenState } from './facts/state.js';
import { parseXlList } from './facts/xl.js';
import { guestMac } from './mac.js';
import { createImageArgs, planGuest } from './modules/guest-plan.js';
import { guest } from './modules/guest.js';
import { planVif, vif } from './modules/vif.js';
import { choosePairOctet, type OctetRequest } from './pair.js';
import { parseInstallSummary } from './summary.js';

const root = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const sample = (name: string) => readFileSync(join(root, 'samples', name), 'utf8');
type Case = Record<string, any>;
const cases = (kind: string) => fixtureCases<Case>(join(root, kind));

function stateStdout(s: { xl: string | null; cfgs: string[] }): string {
  const xl = s.xl ? sample(s.xl) : 'Name                                        ID   Mem VCPUs\tState\tTime(s)\nDomain-0                                     0  2048     4     r-----       1.0\n';
  const cfgs = s.cfgs.map((c) => `@@shipshape-xen cfg /etc/xen/${parseXenCfg(sample(c)).name}.cfg\n${sample(c)}\n`);
  return `${xl}@@shipshape-xen xl 0\n${cfgs.join('')}`;
}

const describeChange = (c: Change) => (c.kind === 'exec' ? `exec: ${c.command.display}` : c.kind === 'call' ? `call: ${c.describe}` : `write: ${c.path}`);

function checkPlan(run: () => Plan, e: Case, after?: (p: Plan) => string | undefined): void {
  if (e.error) {
    expect(run).toThrow(e.error);
    return;
  }
  const p = run();
  if (e.noop) {
    expect(p.changed).toBe(false);
    expect(p.msg).toContain(e.noop);
    return;
  }
  expect(p.changed).toBe(true);
  expect(p.msg).toContain(e.msg);
  if (!p.changed) return;
  if (e.changes) expect(p.changes.map(describeChange)).toEqual(e.changes);
  const text = after?.(p);
  if (e.after) expect(text).toBe(sample(e.after).replace('mac=MAC', `mac=${guestMac('vm01.example.com', '203.0.113.7')}`));
  for (const line of e.contains ?? []) expect(text).toContain(line);
  for (const s of e.absent ?? []) expect(text).not.toContain(s);
}

describe('cfg parser', () => {
  it.each(cases('cfg'))('%s', (_f, c) => {
    const run = () => parseXenCfg(sample(c.input), c.input);
    if (c.error) return expect(run).toThrow(c.error);
    const cfg = run();
    expect({ ...cfg, entries: undefined, kernel: undefined, vifs: cfg.vifs.map(({ raw: _r, ...v }) => JSON.parse(JSON.stringify(v))) })
      .toEqual({ bootloader: undefined, ...c.expect, entries: undefined, kernel: undefined });
  });
});

describe('xl list parser', () => {
  it.each(cases('xl'))('%s', (_f, c) => expect(parseXlList(sample(c.input))).toEqual(c.expect));
});

describe('installation summary', () => {
  it.each(cases('summary'))('%s', (_f, c) => {
    const s = parseInstallSummary(sample(c.input))!;
    const { rootPassword, ...rest } = s;
    expect(rest).toEqual(c.expect);
    expect(rootPassword?.value ?? null).toBe(c.password);
    // What a run shows of the summary (events and reporters mask; inspect prints the mask) never holds the password.
    if (c.password) {
      expect(`${JSON.stringify(maskDeep(s))} ${maskSecrets(JSON.stringify(s))} ${inspect(s)}`).not.toContain(c.password);
    }
  });
});

describe('vif plan', () => {
  it.each(cases('vif'))('%s', (f, c) => {
    const facts = c.cfg ? { exists: true, content: Buffer.from(sample(c.cfg)) } : { exists: false };
    checkPlan(() => planVif(parseArgs(vif.module, c.args, f), facts), c.expect, (p) => (p.changed && p.changes[0]?.kind === 'write' ? String(p.changes[0].content) : undefined));
  });
});

describe('guest plan', () => {
  it.each(cases('guest'))('%s', (f, c) => {
    const args = { ...c.args, ...(c.args.hooks ? { hooks: Array.from({ length: c.args.hooks }, () => vif({ guest: 'x', ip: '1.2.3.4' })) } : {}) };
    const create = (a: any, force: boolean): Change => ({ kind: 'call', describe: `xen-create-image ${createImageArgs(a, force).join(' ')}${a.hooks.length ? ` + ${a.hooks.length} hook task(s)` : ''}`, run: async () => undefined });
    checkPlan(() => planGuest(parseArgs(guest.module, args, f), { state: parseXenState(stateStdout(c.state)) }, create), c.expect);
  });
});

describe('pair address', () => {
  const defaults = {
    hosting: { prefix: '10.10.1', netmask: '255.255.255.0', gateway: '10.10.1.1', bridge: 'xenbr0' },
    backup: { prefix: '10.20.1', netmask: '255.255.255.0', gateway: '10.20.1.1', bridge: 'xenbr0' },
  };
  it.each(cases('pair'))('%s', (_f, c) => {
    const o: OctetRequest = {
      hostingName: c.options.name, backupName: c.options.backupName ?? `${c.options.name}-backup`, octets: c.options.octets,
      hosting: { ...defaults.hosting, ...c.options.hosting }, backup: { ...defaults.backup, ...c.options.backup },
    };
    expect(choosePairOctet(o, parseXenState(stateStdout(c.here)), parseXenState(stateStdout(c.there)))).toBe(c.expect);
  });
});
