import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from './errors.js';
import { livePid } from './internal/host.js';
import { LAB_BASE, labDir } from './internal/paths.js';
import { isAlive, runProgram } from './internal/proc.js';
import { killAll, processesOf, unmountAll } from './internal/cleanup.js';
import { loadState } from './internal/state.js';

/** Throws a LabError unless this process runs as root (namespaces and overlay mounts need it). */
export function requireRoot(what = 'the shipshape test lab'): void {
  if (process.getuid?.() !== 0) {
    throw new LabError(`${what} must run as root: it mounts overlays and creates namespaces ` +
      `(uid is ${process.getuid?.()}); run it with sudo, e.g. sudo npm test`);
  }
}

/** Install openssh-server with apt-get when /usr/sbin/sshd is missing (says so on stderr). */
export async function ensureSshd(): Promise<void> {
  if (existsSync('/usr/sbin/sshd')) return;
  process.stderr.write('shipshape testlab: /usr/sbin/sshd is missing; installing openssh-server with apt-get\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const r = await runProgram('apt-get', ['install', '-y', '--no-install-recommends', 'openssh-server'], { env });
  if (r.code !== 0 || !existsSync('/usr/sbin/sshd')) {
    throw new LabError(`apt-get install openssh-server failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}

/** One host of a lab as seen from any process. */
export interface LabHostStatus {
  readonly name: string;
  readonly profile: string;
  readonly address: string;
  readonly port: number;
  readonly root: string;
  readonly running: boolean;
}

export interface LabStatus {
  readonly id: number;
  readonly dir: string;
  readonly ownerPid?: number;
  readonly keyPath: string;
  readonly knownHostsPath: string;
  readonly inventoryPath: string;
  readonly hosts: readonly LabHostStatus[];
}

/** The state of lab `id` read from its state.json, or undefined when there is no such lab. */
export function labStatus(id: number): LabStatus | undefined {
  const state = loadState(labDir(id));
  if (!state) return undefined;
  const hosts = state.hosts.map((h) => ({
    name: h.name, profile: h.profile, address: h.address, port: h.port, root: h.root, running: livePid(h) !== undefined,
  }));
  const { dir, ownerPid, keyPath, knownHostsPath, inventoryPath } = state;
  return { id, dir, ownerPid, keyPath, knownHostsPath, inventoryPath, hosts };
}

/** Stop lab `dir`'s processes, unmount everything below it and remove it. */
export async function destroyLabDir(dir: string): Promise<void> {
  await killAll(processesOf(dir), dir);
  await unmountAll(dir);
  await rm(dir, { recursive: true, force: true });
}

/**
 * Stop lab `id` from any process: kill its hosts (found through /proc, not only state.json),
 * unmount its overlays and delete `/var/tmp/shipshape-lab/<id>`. Does nothing if it does not exist.
 */
export async function stopLab(id: number): Promise<void> {
  requireRoot('stopLab');
  if (existsSync(labDir(id))) await destroyLabDir(labDir(id));
}

/** Who owns a lab directory: a pid, nobody (`lab up`), or 'none' when state.json is missing or broken. */
function ownerOf(dir: string): number | 'persistent' | 'none' {
  try {
    const state = loadState(dir);
    return state ? (state.ownerPid ?? 'persistent') : 'none';
  } catch {
    return 'none';
  }
}

/**
 * Remove labs left behind by crashed runs: those whose owner process is gone, plus those owned
 * by `alsoOwners` (e.g. the jest process at teardown). Persistent labs (`lab up`) and labs of
 * other live processes (other engineers' concurrent runs) are kept. Returns the ids removed.
 */
export async function cleanStaleLabs(alsoOwners: readonly number[] = []): Promise<number[]> {
  requireRoot('cleanStaleLabs');
  if (!existsSync(LAB_BASE)) return [];
  const removed: number[] = [];
  for (const entry of readdirSync(LAB_BASE)) {
    const id = Number(entry);
    if (!Number.isInteger(id)) continue;
    const owner = ownerOf(path.join(LAB_BASE, entry));
    if (owner === 'persistent') continue;
    if (owner !== 'none' && isAlive(owner) && !alsoOwners.includes(owner)) continue;
    await destroyLabDir(path.join(LAB_BASE, entry));
    removed.push(id);
  }
  return removed;
}
