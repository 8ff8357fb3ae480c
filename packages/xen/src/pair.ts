/**
 * Hosting/backup guest pairs: a hosting guest on this dom0 and its backup guest on another,
 * with the same last octet in their own subnets, chosen from live state on both hosts.
 */
import { block, defineModule, ModuleError, noChange, z, type Task, type TaskContext } from '@shipshape/core';
import { parseXenState, xenStateCommand, type XenHostState } from './facts/state.js';
import { sftpJail } from './hooks.js';
import { guest } from './modules/guest.js';
import { vif } from './modules/vif.js';

/**
 * Read-only module: this dom0's guests and IPs in use (`data` of the result; register it).
 * @example xenFacts({}, { register: 'xen' })
 */
export const xenFacts = defineModule({
  name: 'xen.facts',
  description: 'Xen guests (xl list + /etc/xen/*.cfg) and the IPs in use on this dom0',
  schema: z.object({ cfgDir: z.string().regex(/^\/[A-Za-z0-9_./-]*$/).default('/etc/xen') }).strict(),
  async gather(h, a): Promise<XenHostState> {
    const r = await h.run(xenStateCommand(a.cfgDir), { allowFail: true });
    return parseXenState(r.stdout);
  },
  plan: (_a, s) => noChange(`${s.guests.length} guest(s), ${s.domains.length} domain(s), ${s.ipsInUse.length} IP(s) in use`, s as unknown as Record<string, unknown>),
});

/** Sizing of one hosting package. */
export interface GuestSize {
  readonly memory: string;
  readonly size: string;
  readonly swap: string;
  readonly vcpus: number;
}

/** One internal network: `<prefix>.<octet>`, e.g. prefix '10.10.1'. */
export interface PairSubnet {
  readonly prefix: string;
  readonly netmask: string;
  readonly gateway: string;
  readonly bridge: string;
}

export interface PairOptions {
  /** Hosting guest name; the backup guest is `<name>-backup` unless `backupName` says otherwise. */
  readonly name: string;
  readonly backupName?: string;
  /** Inventory name of the backup dom0 (tasks there run with delegateTo). */
  readonly backupHost: string;
  readonly size: GuestSize;
  /** Backup guest sizing. @default size */
  readonly backupSize?: GuestSize;
  readonly hosting: PairSubnet;
  readonly backup: PairSubnet;
  /** Public address as an extra vif on the hosting guest. */
  readonly external?: { readonly ip: string; readonly bridge: string };
  readonly dist?: string;
  /** Storage: `{ dir }` or `{ lvm }` on both hosts. @default { dir: '/srv/xen' } */
  readonly storage?: { readonly dir: string } | { readonly lvm: string };
  /** Backup user of the sftp jail. @default 'backup' */
  readonly backupUser?: string;
  /** Extra hook tasks for the hosting guest. */
  readonly hostingHooks?: readonly Task[];
  /** Usable last octets. @default [10, 250] */
  readonly octets?: readonly [number, number];
}

const octetIn = (ip: string | undefined, prefix: string): number | undefined =>
  ip && ip.startsWith(`${prefix}.`) ? Number(ip.slice(prefix.length + 1)) : undefined;

/**
 * Pure: the last octet of the pair. An existing hosting (or backup) guest keeps its octet;
 * otherwise the lowest octet free in the hosting subnet on this host and in the backup subnet there.
 */
export function choosePairOctet(o: PairOptions, here: XenHostState, there: XenHostState): number {
  const primary = (s: XenHostState, n: string) => s.guests.find((g) => g.name === n)?.vifs[0]?.ips[0];
  const existing = octetIn(primary(here, o.name), o.hosting.prefix) ?? octetIn(primary(there, o.backupName ?? `${o.name}-backup`), o.backup.prefix);
  if (existing !== undefined) return existing;
  const used = new Set([
    ...here.ipsInUse.map((ip) => octetIn(ip, o.hosting.prefix)),
    ...there.ipsInUse.map((ip) => octetIn(ip, o.backup.prefix)),
    octetIn(o.hosting.gateway, o.hosting.prefix),
    octetIn(o.backup.gateway, o.backup.prefix),
  ]);
  const [lo, hi] = o.octets ?? [10, 250];
  for (let n = lo; n <= hi; n++) if (!used.has(n)) return n;
  throw new ModuleError(`no free address left in ${o.hosting.prefix}.${lo}-${hi} / ${o.backup.prefix}.${lo}-${hi}`);
}

function stateFrom(ctx: TaskContext, key: string): XenHostState {
  const r = ctx.vars[key] as { data?: XenHostState } | undefined;
  if (!r?.data?.guests) throw new ModuleError(`pair: registered Xen facts "${key}" are missing`);
  return r.data;
}

/**
 * Tasks (one block) provisioning a hosting guest here and its backup guest on `backupHost`:
 * live facts of both dom0s, next free octet, both guests (sftp jail hook on the backup guest),
 * optional external vif, then start both. Idempotent: a second run reports no changes.
 * @example pair({ name: 'web01', backupHost: 'xen2', size: PACKAGES.small, hosting: NET.hosting, backup: NET.backup,
 *   external: { ip: '203.0.113.7', bridge: 'xenbr1' } })
 */
export function pair(o: PairOptions): Task {
  const backupName = o.backupName ?? `${o.name}-backup`;
  const keyHere = `xen_pair_${o.name.replace(/\W/g, '_')}_here`;
  const keyThere = `xen_pair_${o.name.replace(/\W/g, '_')}_there`;
  const storage = o.storage ?? { dir: '/srv/xen' };
  const octet = (ctx: TaskContext) => choosePairOctet(o, stateFrom(ctx, keyHere), stateFrom(ctx, keyThere));
  const hostingArgs = (ctx: TaskContext, state: 'present' | 'running') => ({
    hostname: o.name, dist: o.dist, ...o.size, ...storage, state,
    ips: [`${o.hosting.prefix}.${octet(ctx)}`], netmask: o.hosting.netmask, gateway: o.hosting.gateway, bridge: o.hosting.bridge,
    hooks: [...(o.hostingHooks ?? [])],
  });
  const backupArgs = (ctx: TaskContext, state: 'present' | 'running') => ({
    hostname: backupName, dist: o.dist, ...(o.backupSize ?? o.size), ...storage, state,
    ips: [`${o.backup.prefix}.${octet(ctx)}`], netmask: o.backup.netmask, gateway: o.backup.gateway, bridge: o.backup.bridge,
    hooks: sftpJail({ user: o.backupUser ?? 'backup' }),
  });
  const there = { delegateTo: o.backupHost };
  const tasks: Task[] = [
    xenFacts({}, { name: `xen facts of backup host ${o.backupHost}`, register: keyThere, ...there }),
    xenFacts({}, { name: 'xen facts of this host', register: keyHere }),
    guest((ctx) => hostingArgs(ctx, 'present'), { name: `hosting guest ${o.name}` }),
    guest((ctx) => backupArgs(ctx, 'present'), { name: `backup guest ${backupName} on ${o.backupHost}`, ...there }),
  ];
  if (o.external) {
    tasks.push(vif({ guest: o.name, ip: o.external.ip, bridge: o.external.bridge }, { name: `external IP ${o.external.ip} on ${o.name}` }));
  }
  tasks.push(
    guest((ctx) => hostingArgs(ctx, 'running'), { name: `start ${o.name}` }),
    guest((ctx) => backupArgs(ctx, 'running'), { name: `start ${backupName} on ${o.backupHost}`, ...there }),
  );
  return block(`hosting pair ${o.name} / ${backupName}`, { block: tasks });
}
