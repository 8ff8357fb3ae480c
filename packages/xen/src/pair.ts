/**
 * Hosting/backup guest pairs: a hosting guest on this dom0 and its backup guest on another, with the same
 * last octet in their own subnets, the backup guest an SFTP jail that the hosting guest's nightly restic
 * job writes to.
 */
import { mkdirSync, openSync, writeSync, closeSync, fchmodSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { blockinfile, file, lineinfile, shell } from '@shipshape/builtin';
import { block, defineModule, ModuleError, noChange, sh, task, z, type Secret, type Task, type TaskContext } from '@shipshape/core';
import { readXenState, type XenHostState } from './facts/state.js';
import { authorizedKeys, BACKUP, resticBackup, sftpJail } from './hooks.js';
import { guest } from './modules/guest.js';
import { guestRoot } from './modules/guest-root.js';
import { vif } from './modules/vif.js';
import { parseRegistryPair, registryEntry, registryOctet, registryReadCommand, type PairRegistry } from './guest-registry.js';

/**
 * Read-only module: this dom0's guests and IPs in use (`data` of the result; register it).
 * @example xenFacts({}, { register: 'xen' })
 */
export const xenFacts = defineModule({
  name: 'xen.facts',
  description: 'Xen guests (xl list + /etc/xen/*.cfg) and the IPs in use on this dom0',
  schema: z.object({
    /** Directory of guest cfgs. @default '/etc/xen' */
    cfgDir: z.string().regex(/^\/[A-Za-z0-9_./-]*$/).default('/etc/xen').describe('Directory of guest cfgs.'),
  }).strict(),
  gather: (h, a) => readXenState(h, a.cfgDir),
  plan: (_a, s) => noChange(`${s.guests.length} guest(s), ${s.domains.length} domain(s), ${s.ipsInUse.length} IP(s) in use`, s as unknown as Record<string, unknown>),
});

/**
 * Read-only module: both registry CSV files of this host, parsed (`data` of the result).
 * @example registryFacts({ hosting: '/root/hosting.csv', backup: '/root/backup.csv' }, { register: 'registry' })
 */
export const registryFacts = defineModule({
  name: 'xen.registry',
  description: "The operators' hosting and backup registry CSV files, parsed",
  schema: z.object({
    /** The hosting registry CSV file (`ip;name;package;external ip;date` rows). */
    hosting: z.string().regex(/^\/[A-Za-z0-9_./-]+$/).describe('The hosting registry CSV file (`ip;name;package;external ip;date` rows).'),
    /** The backup registry CSV file (`ip;name;package;date` rows). */
    backup: z.string().regex(/^\/[A-Za-z0-9_./-]+$/).describe('The backup registry CSV file (`ip;name;package;date` rows).'),
  }).strict(),
  async gather(h, a): Promise<PairRegistry> {
    const r = await h.run(registryReadCommand(a.hosting, a.backup));
    return parseRegistryPair(r.stdout, a);
  },
  plan: (_a, r) => noChange(`${r.hosting.length} hosting and ${r.backup.length} backup row(s)`, r as unknown as Record<string, unknown>),
});

/** Sizing of one guest. */
export interface GuestSize {
  readonly memory: string;
  readonly size: string;
  readonly vcpus: number;
  /** Swap size; absent: xen-tools' default. */
  readonly swap?: string;
}

/** One internal network: `<prefix>.<octet>`, e.g. prefix '10.10.1'. */
export interface PairSubnet {
  readonly prefix: string;
  readonly netmask: string;
  /** Optional for the backup network. */
  readonly gateway?: string;
  readonly bridge: string;
}

export interface PairOptions {
  /** Short name: the guests are `<name>.hosting.<domain>` and `<name>.backup.<domain>`. */
  readonly name: string;
  readonly domain: string;
  /** Inventory name of the backup dom0 (tasks there run with delegateTo). */
  readonly backupHost: string;
  /** Hosting package name, for the registry. */
  readonly package?: string;
  readonly size: GuestSize;
  /** @default 256 MB, 1 vCPU, the hosting guest's disk and swap size */
  readonly backupSize?: GuestSize;
  /** Internal subnets (or functions of the task context, e.g. from inventory vars). */
  readonly hosting: PairSubnet | ((ctx: TaskContext) => PairSubnet);
  readonly backup: PairSubnet | ((ctx: TaskContext) => PairSubnet);
  /** Public address: an extra vif on the hosting guest and eth1 inside it (its gateway becomes the default route). */
  readonly external?: { readonly ip: string; readonly bridge: string; readonly netmask?: string; readonly gateway?: string };
  readonly dist?: string;
  /** Storage on both hosts. @default { dir: '/srv/xen' } */
  readonly storage?: { readonly dir: string } | { readonly lvm: string };
  readonly fs?: 'ext2' | 'ext3' | 'ext4' | 'reiserfs' | 'xfs' | 'btrfs';
  readonly pygrub?: boolean;
  /** Dedicated backup user of the SFTP jail (never Debian's `backup`). @default 'sftpbackup' */
  readonly backupUser?: string;
  /** SSH port of the guests' sshd (backup target, first backup run). @default 22 */
  readonly sshPort?: number | ((ctx: TaskContext) => number);
  /** Role tasks for the hosting guest (e.g. hostingRoles(...)), applied before the backup set-up. */
  readonly hostingRoles?: readonly Task[];
  /** Usable last octets (live cfgs, no registry). @default [10, 250] */
  readonly octets?: readonly [number, number];
  /** Registry CSV files on this dom0: octets come from (and new pairs go into) them. */
  readonly registry?: { readonly hosting: string; readonly backup: string };
  /** Recreate both guests (destroys their disks; the run lists what). Keeps the pair's octet. @default false */
  readonly force?: boolean;
  /** Link both cfgs from /etc/xen/auto. @default true */
  readonly autostart?: boolean;
  /** Run the first backup and `restic check` from the hosting guest once both run. @default true */
  readonly firstBackup?: boolean;
  /** Controller directory for the root password files (0600, one per new guest). @default './secrets' */
  readonly secretsDir?: string;
}

const octetIn = (ip: string | undefined, prefix: string): number | undefined =>
  ip && ip.startsWith(`${prefix}.`) ? Number(ip.slice(prefix.length + 1)) : undefined;

/** What choosePairOctet needs: the guests' names, the subnets, the octet range. */
export interface OctetRequest {
  readonly hostingName: string;
  readonly backupName: string;
  readonly hosting: PairSubnet;
  readonly backup: PairSubnet;
  readonly octets?: readonly [number, number];
}

/**
 * Pure: the last octet of the pair from live state. An existing hosting (or backup) guest keeps its octet;
 * otherwise the lowest octet free in the hosting subnet on this host and in the backup subnet there.
 */
export function choosePairOctet(o: OctetRequest, here: XenHostState, there: XenHostState): number {
  const primary = (s: XenHostState, n: string) => s.guests.find((g) => g.name === n)?.vifs[0]?.ips[0];
  const existing = octetIn(primary(here, o.hostingName), o.hosting.prefix) ?? octetIn(primary(there, o.backupName), o.backup.prefix);
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

function registered<T>(ctx: TaskContext, key: string): T {
  const r = ctx.vars[key] as { data?: T } | undefined;
  if (!r?.data) throw new ModuleError(`pair: registered result "${key}" is missing`);
  return r.data;
}

const filesOf = (ctx: TaskContext, key: string): Record<string, string> | undefined =>
  (ctx.vars[key] as { data?: { files?: Record<string, string> } } | undefined)?.data?.files;

const passwordOf = (ctx: TaskContext, key: string): Secret | undefined =>
  (ctx.vars[key] as { data?: { summary?: { rootPassword?: Secret } } } | undefined)?.data?.summary?.rootPassword;

const hostKeyPub = '/etc/ssh/ssh_host_ed25519_key.pub';
const dom0Key = '/root/.ssh/id_ed25519_shipshape_guests';
const dom0KnownHosts = '/root/.ssh/known_hosts_shipshape_guests';

/** Write a secret to a new 0600 file (mode set before the first byte); returns the absolute path. */
function writeSecretFile(dir: string, name: string, value: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = resolvePath(dir, name);
  const fd = openSync(path, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, `${value}\n`);
  } finally {
    closeSync(fd);
  }
  return path;
}

/**
 * Tasks (one block) provisioning a hosting guest here and its backup guest on `backupHost`: live facts of
 * both dom0s (and the registry), the pair's octet, the backup guest (SFTP jail), the hosting guest (roles,
 * key pair generated inside it, restic job pinned to the backup guest's host key), the hosting key
 * authorized (`restrict`) in the jail, the external IP (vif and eth1), registry rows, /etc/xen/auto links,
 * both started, the first backup + check, root passwords into 0600 files on the controller.
 * Idempotent: a second run reports no changes.
 * @example pair({ name: 'web01', domain: 'example.org', backupHost: 'xen2', size: PACKAGES.package1,
 *   hosting: NET.hosting, backup: NET.backup, external: { ip: '203.0.113.7', bridge: 'xenbr1' } })
 */
export function pair(o: PairOptions): Task {
  const hostingName = `${o.name}.hosting.${o.domain}`;
  const backupName = `${o.name}.backup.${o.domain}`;
  const id = o.name.replace(/\W/g, '_');
  const k = (s: string) => `xen_pair_${id}_${s}`;
  const storage = o.storage ?? { dir: '/srv/xen' };
  const dyn = <T>(v: T | ((ctx: TaskContext) => T), ctx: TaskContext): T => (typeof v === 'function' ? (v as (c: TaskContext) => T)(ctx) : v);
  const net = (ctx: TaskContext) => ({ hosting: dyn(o.hosting, ctx), backup: dyn(o.backup, ctx) });
  const portOf = (ctx: TaskContext): number => dyn(o.sshPort ?? 22, ctx);
  /** A guest as known_hosts names it. */
  const sshHost = (ctx: TaskContext, ip: string) => (portOf(ctx) === 22 ? ip : `[${ip}]:${portOf(ctx)}`);
  const user = o.backupUser ?? 'sftpbackup';
  const there = { delegateTo: o.backupHost };
  const backupSize = o.backupSize ?? { memory: '256M', vcpus: 1, size: o.size.size, swap: o.size.swap };
  const octet = (ctx: TaskContext): number => {
    if (o.registry) {
      return registryOctet(registered(ctx, k('registry')), { hosting: hostingName, backup: backupName }, { hosting: net(ctx).hosting.prefix, backup: net(ctx).backup.prefix });
    }
    return choosePairOctet({ hostingName, backupName, ...net(ctx), octets: o.octets }, registered(ctx, k('here')), registered(ctx, k('there')));
  };
  const hostingIp = (ctx: TaskContext) => `${net(ctx).hosting.prefix}.${octet(ctx)}`;
  const backupIp = (ctx: TaskContext) => `${net(ctx).backup.prefix}.${octet(ctx)}`;
  const common = { dist: o.dist, ...storage, fs: o.fs, pygrub: o.pygrub, force: o.force ?? false, autostart: o.autostart ?? true };

  const backupArgs = (ctx: TaskContext, state: 'present' | 'running') => ({
    hostname: backupName, ...common, ...backupSize, state, force: state === 'present' && common.force,
    ips: [backupIp(ctx)], netmask: net(ctx).backup.netmask, gateway: net(ctx).backup.gateway, bridge: net(ctx).backup.bridge,
    hooks: sftpJail({ user }), collect: [hostKeyPub],
  });

  const hostingHooks = (ctx: TaskContext): Task[] => {
    const exists = registered<XenHostState>(ctx, k('here')).guests.some((g) => g.name === hostingName);
    if (exists && !common.force) return []; // hooks run only when the guest is made
    // In check mode nothing was created: the hook list is planned with a stand-in host key.
    const backupKey = filesOf(ctx, k('backup_guest'))?.[hostKeyPub] ?? (ctx.vars.ansible_check_mode ? 'ssh-ed25519 AAAAcheckmode' : undefined);
    if (!backupKey) {
      throw new ModuleError(`pair ${o.name}: the backup guest ${backupName} exists but the hosting guest ${hostingName} does not; its host key is only read when it is created: recreate the pair with force: true`);
    }
    const dom0Pub = ((ctx.vars[k('dom0_key')] as { stdout?: string } | undefined)?.stdout ?? '').trim().split('\n').pop() ?? '';
    const hooks: Task[] = [...(o.hostingRoles ?? [])];
    if (o.external) {
      const e = o.external;
      hooks.push(blockinfile({
        path: '/etc/network/interfaces', marker: '# {mark} shipshape external address',
        block: ['auto eth1', 'iface eth1 inet static', ` address ${e.ip}`, ` netmask ${e.netmask ?? '255.255.255.255'}`, ...(e.gateway ? [` gateway ${e.gateway}`] : [])].join('\n'),
      }, { name: `external address ${e.ip} on eth1` }));
    }
    hooks.push(...resticBackup({ host: backupIp(ctx), port: portOf(ctx), user, repository: `/data/${hostingName}`, hostKey: backupKey }));
    if (dom0Pub) {
      hooks.push(
        file({ path: '/root/.ssh', state: 'directory', mode: '0700' }, { name: 'dom0 key: /root/.ssh' }),
        lineinfile({ path: '/root/.ssh/authorized_keys', line: dom0Pub, create: true, mode: '0600' }, { name: "dom0's provisioning key for root" }),
      );
    }
    return hooks;
  };
  const hostingArgs = (ctx: TaskContext, state: 'present' | 'running') => ({
    hostname: hostingName, ...common, ...o.size, state, force: state === 'present' && common.force,
    ips: [hostingIp(ctx)], netmask: net(ctx).hosting.netmask,
    // With an external gateway the default route leaves through eth1; eth0 stays internal.
    gateway: o.external?.gateway ? undefined : net(ctx).hosting.gateway, bridge: net(ctx).hosting.bridge,
    hooks: state === 'present' ? hostingHooks(ctx) : [], collect: [hostKeyPub, `${BACKUP.key}.pub`],
  });

  const tasks: Task[] = [
    xenFacts({}, { name: `xen facts of backup host ${o.backupHost}`, register: k('there'), ...there }),
    xenFacts({}, { name: 'xen facts of this host', register: k('here') }),
  ];
  if (o.registry) tasks.push(registryFacts({ ...o.registry }, { name: 'registry', register: k('registry') }));
  tasks.push(
    shell({ cmd: `test -s ${dom0Key} || { mkdir -p -m 0700 /root/.ssh && ssh-keygen -q -t ed25519 -N '' -C "shipshape@$(hostname)" -f ${dom0Key} >/dev/null && echo @@shipshape-changed; }; cat ${dom0Key}.pub` },
      { name: "dom0's key for provisioning the guests", register: k('dom0_key'), changedWhen: (r) => (r.stdout ?? '').includes('@@shipshape-changed') }),
    guest((ctx) => backupArgs(ctx, 'present'), { name: `backup guest ${backupName} on ${o.backupHost}`, register: k('backup_guest'), ...there }),
    guest((ctx) => hostingArgs(ctx, 'present'), { name: `hosting guest ${hostingName}`, register: k('hosting_guest') }),
    guestRoot((ctx) => ({ hostname: backupName, tasks: authorizedKeys(user, [filesOf(ctx, k('hosting_guest'))?.[`${BACKUP.key}.pub`] ?? '']) }), {
      name: `backup key of ${hostingName} authorized in the jail of ${backupName}`, ...there,
      when: (ctx) => Boolean(filesOf(ctx, k('hosting_guest'))?.[`${BACKUP.key}.pub`]),
    }),
    lineinfile((ctx) => ({
      path: dom0KnownHosts, create: true, mode: '0644', regexp: `^${sshHost(ctx, hostingIp(ctx)).replace(/[.[\]]/g, '\\$&')} `,
      line: `${sshHost(ctx, hostingIp(ctx))} ${(filesOf(ctx, k('hosting_guest'))?.[hostKeyPub] ?? '').trim().split(' ').slice(0, 2).join(' ')}`,
    }), { name: `host key of ${hostingName} pinned on this dom0`, when: (ctx) => Boolean(filesOf(ctx, k('hosting_guest'))?.[hostKeyPub]) }),
  );
  if (o.external) {
    tasks.push(vif({ guest: hostingName, ip: o.external.ip, bridge: o.external.bridge }, { name: `external IP ${o.external.ip} on ${hostingName}` }));
  }
  if (o.registry) {
    const reg = o.registry;
    tasks.push(
      registryEntry((ctx) => ({ path: reg.hosting, kind: 'hosting' as const, ip: hostingIp(ctx), name: hostingName, package: o.package ?? '', externalIp: o.external?.ip }), { name: `registry: ${hostingName}` }),
      registryEntry((ctx) => ({ path: reg.backup, kind: 'backup' as const, ip: backupIp(ctx), name: backupName, package: o.package ?? '' }), { name: `registry: ${backupName}` }),
    );
  }
  tasks.push(
    guest((ctx) => backupArgs(ctx, 'running'), { name: `start ${backupName} on ${o.backupHost}`, ...there }),
    guest((ctx) => hostingArgs(ctx, 'running'), { name: `start ${hostingName}` }),
  );
  if (o.firstBackup ?? true) {
    tasks.push(shell((ctx) => ({
      cmd: sh`ssh -i ${dom0Key} -o UserKnownHostsFile=${dom0KnownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=20 -p ${String(portOf(ctx))} ${`root@${hostingIp(ctx)}`} ${
        `test -e /var/lib/shipshape-backup/first-done || { ${BACKUP.script} >/var/log/shipshape-backup.log 2>&1 || { tail -n 20 /var/log/shipshape-backup.log >&2; exit 1; }; mkdir -p /var/lib/shipshape-backup; date -u > /var/lib/shipshape-backup/first-done; echo @@shipshape-changed; }`}`.text,
    }), { name: `first backup and restic check of ${hostingName}`, changedWhen: (r) => (r.stdout ?? '').includes('@@shipshape-changed') }));
  }
  tasks.push(task(`root passwords of new guests to ${o.secretsDir ?? './secrets'} (0600)`, async (_h, ctx) => {
    const written: string[] = [];
    for (const [key, name] of [[k('backup_guest'), backupName], [k('hosting_guest'), hostingName]] as const) {
      const pw = passwordOf(ctx, key);
      if (!pw) continue;
      written.push(writeSecretFile(o.secretsDir ?? 'secrets', `${name}.root-password`, pw.value));
      // Asked for explicitly (shipshape run --show-secrets): once, on the terminal, never through events.
      if (ctx.vars.shipshape_show_secrets === true) process.stderr.write(`root password of ${name}: ${pw.value}\n`);
    }
    return written.length ? { changed: true, msg: `root password(s) written to ${written.join(', ')}` } : { changed: false, msg: 'no new guest' };
  }));
  return block(`hosting pair ${hostingName} / ${backupName}`, { block: tasks });
}

