/**
 * The Xen state of one dom0 in one round trip: running domains (`xl list`) and every guest cfg
 * under `/etc/xen`, with the IP addresses in use.
 */
import { ArgumentError, script, type Command, type ExecResult, type FactDef, type Host } from '@shipshape/core';
import { parseXenCfg, type XenGuestConfig } from './cfg.js';
import { parseXlList, type XlDomain } from './xl.js';

export interface XenGuestFacts extends XenGuestConfig {
  readonly cfgPath: string;
  /** The running domain, when `xl list` shows one of this name. */
  readonly domain?: XlDomain;
  /** Linked from `<cfgDir>/auto/` (started at dom0 boot by xendomains). */
  readonly autostart?: true;
}

export interface XenHostState {
  readonly domains: readonly XlDomain[];
  readonly guests: readonly XenGuestFacts[];
  /** Every IP on a vif of any guest cfg, sorted, without duplicates. */
  readonly ipsInUse: readonly string[];
  /** Cfg files that could not be parsed (path and reason); they do not stop the others. */
  readonly unreadable: readonly { path: string; error: string }[];
}

const MARK = '@@shipshape-xen';

/** Shell text: `xl list`, then each `/etc/xen/*.cfg` after a marker line. */
export function xenStateCommand(cfgDir = '/etc/xen'): Command {
  if (!/^\/[A-Za-z0-9_./-]*$/.test(cfgDir)) throw new ArgumentError(`xen cfg dir must be a plain absolute path, got ${JSON.stringify(cfgDir)}`);
  return script(
    `xl list 2>&1; echo "${MARK} xl $?"; for f in ${cfgDir}/*.cfg; do [ -f "$f" ] || continue; echo "${MARK} cfg $f"; cat "$f"; echo; done; ` +
      `for f in ${cfgDir}/auto/*; do [ -e "$f" ] || continue; echo "${MARK} auto $(readlink -f "$f")"; done`,
  );
}

/** Pure parser of {@link xenStateCommand}'s output. */
export function parseXenState(stdout: string): XenHostState {
  const sections = stdout.split(new RegExp(`^${MARK} `, 'm'));
  const xlText = sections[0] ?? '';
  const domains = parseXlList(xlText);
  const guests: XenGuestFacts[] = [];
  const unreadable: { path: string; error: string }[] = [];
  const autos = new Set<string>();
  for (const s of sections.slice(1)) {
    const nl = s.indexOf('\n');
    const head = s.slice(0, nl < 0 ? s.length : nl);
    if (!head.startsWith('cfg ') && !head.startsWith('auto ')) continue;
    if (head.startsWith('auto ')) {
      autos.add(head.slice(5));
      continue;
    }
    const path = head.slice(4);
    try {
      const cfg = parseXenCfg(s.slice(nl + 1), path);
      guests.push({ ...cfg, cfgPath: path, domain: domains.find((d) => d.name === cfg.name) });
    } catch (e) {
      unreadable.push({ path, error: e instanceof Error ? e.message : String(e) });
    }
  }
  for (const [i, g] of guests.entries()) if (autos.has(g.cfgPath)) guests[i] = { ...g, autostart: true };
  const ips = new Set(guests.flatMap((g) => g.vifs.flatMap((v) => v.ips)));
  return { domains, guests, ipsInUse: [...ips].sort(), unreadable };
}

/** The Xen state of dom0 `h` with the guest configurations of `cfgDir`, read fresh (the modules' gather). */
export async function readXenState(h: Host, cfgDir: string): Promise<XenHostState> {
  return parseXenState((await h.run(xenStateCommand(cfgDir), { allowFail: true })).stdout);
}

/** Fact: Xen guests and IPs in use on this dom0. */
export const xenStateFact: FactDef<XenHostState, void> = {
  name: 'xen.state',
  command: () => xenStateCommand(),
  parse: (r: ExecResult) => parseXenState(r.stdout),
};
