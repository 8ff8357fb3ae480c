// The JSON fixture folders in src/fixtures (samples hold captured text): parsers here, plans on core's runner.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { maskDeep, maskSecrets } from '@shipshape/core';
import { fixtureCases, planFixtures } from '@shipshape/core/testing';
import { parseXenCfg } from './facts/cfg.js';
import { parseXenState } from './facts/state.js';
import { parseXlList } from './facts/xl.js';
import { guest } from './modules/guest.js';
import { vif } from './modules/vif.js';
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

planFixtures(vif, join(root, 'vif'), {
  facts: (f) => {
    const { cfg } = f as { cfg?: string };
    return cfg ? { exists: true, content: Buffer.from(sample(cfg)) } : { exists: false };
  },
});

// args.hooks in a case is how many hook tasks the guest gets; facts name the xl list and cfg samples.
planFixtures(guest, join(root, 'guest'), {
  args: (a) => {
    const args = a as { hooks?: number };
    return { ...args, ...(args.hooks ? { hooks: Array.from({ length: args.hooks }, () => vif({ guest: 'x', ip: '1.2.3.4' })) } : {}) };
  },
  facts: (f) => ({ state: parseXenState(stateStdout(f as { xl: string | null; cfgs: string[] })) }),
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
