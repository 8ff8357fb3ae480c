/**
 * The facts Ansible's `setup` module gathers, by Ansible's names, from one POSIX sh command per host
 * (busybox and ESXi hosts included), parsed here on the controller as untrusted text.
 */
import type { FactDef, Vars } from './types.js';
import { cpuFacts, dmiFacts, loadFacts, memoryFacts, mountFacts, virtualizationFacts } from './internal/setup/hardware.js';
import { localFacts } from './internal/setup/local.js';
import { dnsFact, fqdnFacts, networkFacts } from './internal/setup/network.js';
import { setupCommand } from './internal/setup/script.js';
import { Sections, splitSections } from './internal/setup/sections.js';
import {
  cmdlineFacts, dateTimeFact, distributionFacts, envFact, lsbFacts, miscFacts, pkgMgrFact, platformFacts, serviceMgrFact, sshKeyFacts, userFacts,
} from './internal/setup/system.js';

/** Build the fact set from the setup command's output. */
export function parseSetupOutput(output: string): Vars {
  const s = new Sections(splitSections(output));
  const platform = platformFacts(s);
  const system = String(platform.system);
  const present = new Set(s.lines('paths'));
  const distribution = distributionFacts(s, system);
  const env = envFact(s);
  const dateTime = dateTimeFact(s);
  const isEsxi = distribution.distribution === 'VMkernel';
  const facts: Record<string, unknown> = {
    ...platform, ...distribution, ...lsbFacts(s),
    ...fqdnFacts(s.text('hosts'), s.text('hostname_f'), String(platform.nodename)),
    pkg_mgr: isEsxi ? 'unknown' : pkgMgrFact(present, present.has('apt-rpm'), distribution),
    service_mgr: isEsxi ? 'service' : serviceMgrFact(s, present, system),
    ...memoryFacts(s.text('meminfo')), ...cpuFacts(s, String(platform.architecture)), ...mountFacts(s),
    ...virtualizationFacts(s, isEsxi), ...networkFacts(s), dns: dnsFact(s.text('resolv')),
    ...(dateTime ? { date_time: dateTime } : {}), env, ...userFacts(s, env), ...sshKeyFacts(s), local: localFacts(s.all),
    ...dmiFacts(s), ...loadFacts(s), ...cmdlineFacts(s.text('cmdline')), ...miscFacts(s, present),
  };
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Every fact `setup` gathers, by Ansible's names without the `ansible_` prefix (`distribution`,
 * `default_ipv4`, `mounts`, `local`, ...): one batched sh command per host.
 */
export const setupFact: FactDef<Vars> = {
  name: 'setup',
  command: () => setupCommand(),
  parse: (r) => parseSetupOutput(r.stdout),
};

/** fnmatch-style `*`, `?`, `[...]` as a RegExp. */
function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[' && pattern.indexOf(']', i + 2) > 0) {
      const end = pattern.indexOf(']', i + 2);
      const body = pattern.slice(i + 1, end);
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/**
 * Ansible's setup view of facts: every name prefixed `ansible_` (`local` becomes `ansible_local`),
 * keeping only names that match one of the `filter` globs (with or without the prefix) when given.
 */
export function ansibleFactsView(facts: Vars, filter: readonly string[] = []): Vars {
  const res = filter.filter(Boolean).map(globRegExp);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) {
    const name = `ansible_${k}`;
    if (!res.length || res.some((re) => re.test(name) || re.test(k))) out[name] = v;
  }
  return out;
}
