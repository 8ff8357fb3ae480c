import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../errors.js';
import type { Profile } from '../profiles.js';
import type { BmcRecord } from './bmc.js';
import { shDir } from './paths.js';
import { isAlive, mustRun, waitUntil } from './proc.js';

/** One host as recorded in state.json. */
export interface HostRecord extends Pick<Profile, 'base' | 'layers' | 'shared'> {
  readonly name: string;
  /** The profile's name; its base, layers and shared paths are recorded with the host. */
  readonly profile: string;
  readonly address: string;
  readonly port: number;
  /** The host's filesystem (overlay mount point), readable from the controller. */
  readonly root: string;
  /** The host's lab directory: upper/, work/, etc/ (sshd config and keys), state/, console.log. */
  readonly dir: string;
  /** The host's BMC (profiles with `bmc`). */
  readonly bmc?: BmcRecord;
  /** The `unshare` process (machine pid namespace). */
  launcherPid?: number;
  /** The supervisor, PID 1 of the host's pid namespace, as seen from the machine. */
  pid?: number;
}

const sshdConfig = (h: HostRecord): string => `# shipshape test lab host ${h.name}: generated, the host's own /etc/ssh is not used
ListenAddress ${h.address}:${h.port}
HostKey /run/lab/etc/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile /run/lab/etc/authorized_keys .ssh/authorized_keys
StrictModes no
UseDNS no
PrintMotd no
PrintLastLog no
PidFile none
MaxSessions 64
MaxStartups 64:30:128
AcceptEnv LANG LC_*
`;

/** Create the host's directories, keys and sshd config, and mount its root overlay. */
export async function createHost(h: HostRecord, lowerDir: string, authorizedKey: string): Promise<void> {
  await Promise.all(['upper', 'work', 'root', 'etc', 'state'].map((d) => mkdir(path.join(h.dir, d), { recursive: true })));
  const key = path.join(h.dir, 'etc/ssh_host_ed25519_key');
  if (!existsSync(key)) await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', h.name, '-f', key], 'host key');
  await writeFile(path.join(h.dir, 'etc/sshd_config'), sshdConfig(h));
  await writeFile(path.join(h.dir, 'etc/authorized_keys'), authorizedKey, { mode: 0o600 });
  // The machine's /root (dotfiles, caches, keys) stays out of debian hosts: a whiteout hides it,
  // and a directory made over a whiteout is opaque, so the host gets an empty /root of its own.
  const hideRoot = h.base === 'debian' && !existsSync(path.join(h.dir, 'upper/root'));
  if (hideRoot) await mustRun('mknod', [path.join(h.dir, 'upper/root'), 'c', '0', '0'], 'whiteout of /root');
  const opts = `lowerdir=${lowerDir},upperdir=${h.dir}/upper,workdir=${h.dir}/work`;
  await mustRun('mount', ['-t', 'overlay', 'overlay', '-o', opts, h.root], `mounting the root of ${h.name}`);
  if (hideRoot) await mkdir(path.join(h.root, 'root'), { mode: 0o700 });
}

/** The host's public key line for known_hosts. */
export function hostKeyLine(h: HostRecord): string {
  const [type, key] = readFileSync(path.join(h.dir, 'etc/ssh_host_ed25519_key.pub'), 'utf8').split(' ');
  return `${h.port === 22 ? h.address : `[${h.address}]:${h.port}`} ${type} ${key}`;
}

const consolePath = (h: HostRecord): string => path.join(h.dir, 'console.log');

function consoleTail(h: HostRecord): string {
  const text = existsSync(consolePath(h)) ? readFileSync(consolePath(h), 'utf8') : '';
  return `--- ${consolePath(h)} (last lines) ---\n${text.split('\n').slice(-15).join('\n')}`;
}

/** How many times sshd announced its listener in the console log: one per boot. */
export function listenCount(h: HostRecord): number {
  if (!existsSync(consolePath(h))) return 0;
  const needle = `Server listening on ${h.address} port ${h.port}.`;
  return readFileSync(consolePath(h), 'utf8').split(needle).length - 1;
}

/** Wait until sshd has logged one more listener than `before`, failing fast if the host died. */
export async function waitBooted(h: HostRecord, before: number, timeoutMs: number): Promise<void> {
  await waitUntil(() => listenCount(h) > before, `sshd of lab host ${h.name} (${h.address})`, {
    timeoutMs,
    failed: () => (isAlive(h.launcherPid) ? undefined : 'the host exited during boot'),
    detail: () => consoleTail(h),
  });
}

/** Start the host's namespaces and supervisor, detached (setsid), and wait for sshd. */
export async function launchHost(h: HostRecord, timeoutMs: number): Promise<void> {
  const before = listenCount(h);
  const log = openSync(consolePath(h), 'a');
  const args = ['--mount', '--uts', '--pid', '--fork', '--propagation', 'private', '--kill-child',
    '/bin/sh', path.join(shDir, 'stage0.sh'), h.dir, h.name, shDir, ...h.layers];
  const child = spawn('unshare', args, { detached: true, stdio: ['ignore', log, log], env: { PATH: process.env.PATH } });
  closeSync(log);
  child.unref();
  h.launcherPid = child.pid;
  await waitBooted(h, before, timeoutMs);
  h.pid = Number(readFileSync(path.join(h.dir, 'pid'), 'utf8'));
}

/** The supervisor pid, only if it still is this host's (pids get reused). */
export function livePid(h: HostRecord): number | undefined {
  try {
    return h.pid && isAlive(h.pid) && readlinkSync(`/proc/${h.pid}/root`) === realpathSync(h.root) ? h.pid : undefined;
  } catch {
    return undefined;
  }
}

/** Simulated reboot: SIGUSR1 to the supervisor, then wait for the new sshd. */
export async function rebootHost(h: HostRecord, timeoutMs: number): Promise<void> {
  const pid = livePid(h);
  if (!pid) throw new LabError(`lab host ${h.name} is not running`);
  const before = listenCount(h);
  process.kill(pid, 'SIGUSR1');
  await waitBooted(h, before, timeoutMs);
}
