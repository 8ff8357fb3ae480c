/** Pure parts of the `guest` module: arguments, xen-create-image command line, the plan. */
import { changes, cmd, ModuleError, noChange, sh, z, type Change, type Plan, type Task } from '@shipshape/core';
import type { XenGuestFacts, XenHostState } from '../facts/state.js';

const sizeRe = /^\d+(\.\d+)?([MmGg][Bb]?)?$/;
const ipv4 = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, 'expected an IPv4 address');
export const isTask = (t: unknown): t is Task => typeof t === 'object' && t !== null && ['module', 'fn', 'block'].includes((t as Task).kind);

export const guestSchema = z
  .object({
    /** Guest name (xen-create-image --hostname; also the cfg name). */
    hostname: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'expected a host name (letters, digits, dots, dashes)').describe('Guest name (xen-create-image --hostname; also the cfg name).'),
    /** Distribution to install (`--dist`, e.g. `bookworm`); xen-tools' default when not given. */
    dist: z.string().regex(/^[a-z0-9.-]+$/).optional().describe('Distribution to install (`--dist`, e.g. `bookworm`); xen-tools\' default when not given.'),
    /** Root disk size, e.g. '10G'. */
    size: z.string().regex(sizeRe, "expected a size such as '4G' or '512M'").optional().describe('Root disk size, e.g. \'10G\'.'),
    /** Memory of the guest, e.g. '512M' (`--memory`); compared with the cfg of an existing guest. */
    memory: z.string().regex(sizeRe, "expected a size such as '512M' or '1G'").optional().describe('Memory of the guest, e.g. \'512M\' (`--memory`); compared with the cfg of an existing guest.'),
    /** Swap disk size, e.g. '512M' (`--swap`). */
    swap: z.string().regex(sizeRe, "expected a size such as '512M'").optional().describe('Swap disk size, e.g. \'512M\' (`--swap`).'),
    /** Virtual CPUs (`--vcpus`); compared with the cfg of an existing guest. */
    vcpus: z.number().int().positive().optional().describe('Virtual CPUs (`--vcpus`); compared with the cfg of an existing guest.'),
    /** Static addresses; the first is the primary one. */
    ips: z.array(ipv4).default([]).describe('Static addresses; the first is the primary one.'),
    /** Configure the guest's network by DHCP instead of `ips` (`--dhcp`). */
    dhcp: z.boolean().default(false).describe('Configure the guest\'s network by DHCP instead of `ips` (`--dhcp`).'),
    /** Netmask of the static addresses (`--netmask`). */
    netmask: ipv4.optional().describe('Netmask of the static addresses (`--netmask`).'),
    /** Default gateway of the guest (`--gateway`). */
    gateway: ipv4.optional().describe('Default gateway of the guest (`--gateway`).'),
    /** Bridge the guest's vif joins (`--bridge`); compared with the primary vif of an existing guest. */
    bridge: z.string().regex(/^[A-Za-z0-9_.-]+$/).optional().describe('Bridge the guest\'s vif joins (`--bridge`); compared with the primary vif of an existing guest.'),
    /** Volume group (LVM backend). */
    lvm: z.string().regex(/^[A-Za-z0-9_.+-]+$/).optional().describe('Volume group (LVM backend).'),
    /** Directory backend root (images under `<dir>/domains/<hostname>/`). */
    dir: z.string().regex(/^\/[^\0]*$/, 'expected an absolute path').optional().describe('Directory backend root (images under `<dir>/domains/<hostname>/`).'),
    /** Filesystem of the guest's disks (`--fs`). */
    fs: z.enum(['ext2', 'ext3', 'ext4', 'reiserfs', 'xfs', 'btrfs']).optional().describe('Filesystem of the guest\'s disks (`--fs`).'),
    /** Boot the guest through pygrub, with its own kernel (`--pygrub`). */
    pygrub: z.boolean().default(false).describe('Boot the guest through pygrub, with its own kernel (`--pygrub`).'),
    /** Shipshape tasks applied inside the new guest's root filesystem before its first boot. */
    hooks: z.array(z.custom<Task>(isTask, 'expected shipshape tasks (module or function tasks)')).default([]).describe('Shipshape tasks applied inside the new guest\'s root filesystem before its first boot.'),
    /** Files read from the new guest's root after the hooks (public material: host keys, public keys); result `data.files`. */
    collect: z.array(z.string().regex(/^\/[A-Za-z0-9_.\/-]+$/, 'expected an absolute path')).default([]).describe('Files read from the new guest\'s root after the hooks (public material: host keys, public keys); result `data.files`.'),
    /** Install method and source passed to xen-create-image (`--install-method`, `--install-source`). */
    installMethod: z.enum(['debootstrap', 'cdebootstrap', 'rinse', 'rpmstrap', 'copy', 'tar']).optional().describe('Install method and source passed to xen-create-image (`--install-method`, `--install-source`).'),
    /** Source for `installMethod` copy or tar (`--install-source`): a directory or an archive on dom0. */
    installSource: z.string().regex(/^\/[^\0]*$/, 'expected an absolute path').optional().describe('Source for `installMethod` copy or tar (`--install-source`): a directory or an archive on dom0.'),
    /** Link the cfg from /etc/xen/auto so the guest starts at dom0 boot (xendomains). @default false */
    autostart: z.boolean().optional().describe('Link the cfg from /etc/xen/auto so the guest starts at dom0 boot (xendomains).'),
    /** No swap disk (`--noswap`). @default false */
    noswap: z.boolean().default(false).describe('No swap disk (`--noswap`).'),
    /** present: created if missing, left running or not; running: created if missing and started; stopped: created if missing, shut down (`xl shutdown -w`) if running; absent: its disks and cfg removed (xen-delete-image). @default 'present' */
    state: z.enum(['present', 'running', 'stopped', 'absent']).default('present').describe('present: created if missing, left running or not; running: created if missing and started; stopped: created if missing, shut down (`xl shutdown -w`) if running; absent: its disks and cfg removed (xen-delete-image).'),
    /** Recreate an existing guest (destroys its disks). @default false */
    force: z.boolean().default(false).describe('Recreate an existing guest (destroys its disks).'),
    /** Directory of guest cfgs. @default '/etc/xen' */
    cfgDir: z.string().regex(/^\/[A-Za-z0-9_./-]*$/).default('/etc/xen').describe('Directory of guest cfgs.'),
  })
  .strict()
  .refine((a) => !(a.lvm && a.dir), { message: 'give either lvm or dir, not both', path: ['lvm'] })
  .refine((a) => !(a.dhcp && a.ips.length), { message: 'give either ips or dhcp, not both', path: ['dhcp'] })
  .refine((a) => a.state === 'absent' || a.dhcp || a.ips.length > 0, { message: 'give at least one IP (or dhcp: true)', path: ['ips'] });

export type GuestArgs = z.output<typeof guestSchema>;

export interface GuestFacts {
  readonly state: XenHostState;
}

/** Size string -> MB, as xen-tools strips the unit (default MB). */
export function toMb(size: string): number {
  const m = /^(\d+(?:\.\d+)?)([MmGg])?/.exec(size);
  if (!m) throw new ModuleError(`bad size ${JSON.stringify(size)}`);
  return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 'g' ? 1024 : 1));
}

/** The xen-create-image argv (without the program name). */
export function createImageArgs(a: GuestArgs, force: boolean): string[] {
  const out = [`--hostname=${a.hostname}`];
  const opt = (k: string, v: string | number | undefined) => v !== undefined && out.push(`--${k}=${v}`);
  opt('dist', a.dist);
  opt('size', a.size);
  opt('memory', a.memory);
  opt('swap', a.swap);
  if (a.noswap) out.push('--noswap');
  opt('vcpus', a.vcpus);
  for (const ip of a.ips) out.push(`--ip=${ip}`);
  if (a.dhcp) out.push('--dhcp');
  opt('netmask', a.netmask);
  opt('gateway', a.gateway);
  opt('bridge', a.bridge);
  opt('lvm', a.lvm);
  opt('dir', a.dir);
  opt('fs', a.fs);
  opt('install-method', a.installMethod);
  opt('install-source', a.installSource);
  if (a.pygrub) out.push('--pygrub');
  if (force) out.push('--force');
  return out;
}

/** What recreating or removing a guest destroys, for messages. */
export function destroyedBy(g: XenGuestFacts): string {
  const disks = g.disks.map((d) => d.target.replace(/^(file|phy|tap:aio|tap):/, ''));
  const parts = [`disks ${disks.join(', ') || '(none)'}`, `config ${g.cfgPath}`];
  if (g.domain) parts.unshift(`running domain ${g.name} (id ${g.domain.id})`);
  return parts.join(', ');
}

/** Differences between the wanted guest and the existing one (only fields the args set). */
export function guestDifferences(a: GuestArgs, g: XenGuestFacts): string[] {
  const out: string[] = [];
  if (a.memory && g.memory !== toMb(a.memory)) out.push(`memory is ${g.memory} MB, wanted ${toMb(a.memory)} MB`);
  if (a.vcpus && g.vcpus !== a.vcpus) out.push(`vcpus is ${g.vcpus}, wanted ${a.vcpus}`);
  const primary = g.vifs[0];
  if (a.ips.length && (primary?.ips ?? []).join(' ') !== a.ips.join(' ')) {
    out.push(`IPs are ${(primary?.ips ?? []).join(' ') || '(none)'}, wanted ${a.ips.join(' ')}`);
  }
  if (a.bridge && primary?.bridge !== a.bridge) out.push(`bridge is ${primary?.bridge ?? '(none)'}, wanted ${a.bridge}`);
  return out;
}

/** The `call` that creates (or recreates) the guest; its run is injected so the plan stays pure. */
export type CreateStep = (a: GuestArgs, force: boolean) => Change;

function cfgPathOf(a: GuestArgs): string {
  return `${a.cfgDir}/${a.hostname}.cfg`;
}

/** Pure plan of the guest module. Throws ModuleError when an existing guest differs and force is off. */
export function planGuest(a: GuestArgs, f: GuestFacts, create: CreateStep): Plan {
  const g = f.state.guests.find((x) => x.name === a.hostname);
  const start: Change = { kind: 'exec', command: cmd('xl', 'create', g?.cfgPath ?? cfgPathOf(a)) };
  const destroy: Change[] = g?.domain ? [{ kind: 'exec', command: cmd('xl', 'destroy', a.hostname) }] : [];
  if (a.state === 'absent') {
    if (!g) return noChange(`guest ${a.hostname} is absent`);
    const backend = g.disks.some((d) => d.target.startsWith('phy:')) ? `--lvm=${a.lvm ?? vgOf(g)}` : `--dir=${a.dir ?? dirOf(g)}`;
    return changes(`remove guest ${a.hostname}: destroys ${destroyedBy(g)}`, [
      ...destroy,
      { kind: 'exec', command: sh`xen-delete-image ${backend} ${`--hostname=${a.hostname}`} && rm -f ${g.cfgPath} ${`${a.cfgDir}/auto/${a.hostname}.cfg`}` },
    ]);
  }
  const startIt = a.state === 'running' ? [start] : [];
  const link = `${a.cfgDir}/auto/${a.hostname}.cfg`;
  const autoOn: Change[] = a.autostart ? [{ kind: 'exec', command: sh`ln -sfn ${g?.cfgPath ?? cfgPathOf(a)} ${link}` }] : [];
  const hooks = a.hooks.length ? `, ${a.hooks.length} hook task(s) inside its root` : '';
  if (!g) {
    return changes(`create guest ${a.hostname} (${a.dhcp ? 'dhcp' : a.ips.join(' ')})${hooks}${a.autostart ? `, linked from ${a.cfgDir}/auto` : ''}${a.state === 'running' ? ', then start it' : ''}`, [create(a, false), ...autoOn, ...startIt]);
  }
  if (a.force) {
    return changes(`recreate guest ${a.hostname} (force): destroys ${destroyedBy(g)}${hooks}`, [...destroy, create(a, true), ...autoOn, ...startIt]);
  }
  const diffs = guestDifferences(a, g);
  if (diffs.length) {
    throw new ModuleError(`guest ${a.hostname} exists but differs (${diffs.join('; ')}); not recreating it without force: true, which would destroy ${destroyedBy(g)}`);
  }
  const autoFix: Change[] = a.autostart === true && !g.autostart ? autoOn
    : a.autostart === false && g.autostart ? [{ kind: 'exec', command: sh`rm -f ${link}` }] : [];
  const autoMsg = autoFix.length ? `${a.autostart ? 'link' : 'unlink'} ${link}` : '';
  if (a.state === 'running' && !g.domain) return changes([`start guest ${a.hostname}`, autoMsg].filter(Boolean).join(', '), [...autoFix, start]);
  if (a.state === 'stopped' && g.domain) {
    return changes([`shut down guest ${a.hostname} (id ${g.domain.id})`, autoMsg].filter(Boolean).join(', '), [...autoFix, { kind: 'exec', command: cmd('xl', 'shutdown', '-w', a.hostname) }]);
  }
  if (autoFix.length) return changes(`guest ${a.hostname}: ${autoMsg}`, autoFix);
  return noChange(`guest ${a.hostname} exists and matches${g.domain ? ` (running, id ${g.domain.id})` : ' (not running)'}`);
}

function dirOf(g: XenGuestFacts): string {
  const t = g.disks[0]?.target.replace(/^file:/, '') ?? '';
  const m = /^(.*)\/domains\/[^/]+\/[^/]+$/.exec(t);
  if (!m) throw new ModuleError(`cannot tell the --dir of guest ${g.name} from its disk ${JSON.stringify(t)}`);
  return m[1]!;
}

function vgOf(g: XenGuestFacts): string {
  const t = g.disks[0]?.target.replace(/^phy:/, '') ?? '';
  const m = /^\/dev\/([^/]+)\/[^/]+$/.exec(t);
  if (!m) throw new ModuleError(`cannot tell the volume group of guest ${g.name} from its disk ${JSON.stringify(t)}`);
  return m[1]!;
}
