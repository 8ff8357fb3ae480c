import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { destroyLabDir, ensureSshd, requireRoot } from './admin.js';
import { LabError } from './errors.js';
import { newBmc, startBmc } from './internal/bmc.js';
import { buildBusyboxTree } from './internal/busybox-tree.js';
import { createHost, hostKeyLine, launchHost, type HostRecord } from './internal/host.js';
import { hostAddress, labDir } from './internal/paths.js';
import { pickPort } from './internal/port.js';
import { prepareLayers, writePrepared } from './internal/prepare.js';
import { isAlive, mustRun } from './internal/proc.js';
import { loadState, saveState, type LabState } from './internal/state.js';
import { renderInventoryIni } from './inventory.js';
import { Lab } from './lab-object.js';
import { resolveProfile } from './profiles.js';

export interface LabHostOptions {
  /** Hostname and inventory name: letters, digits, `-`. */
  readonly name: string;
  /** @default the lab's `profile` */
  readonly profile?: string;
}

export interface StartLabOptions {
  /** 1..254: the lab lives in /var/tmp/shipshape-lab/<id> and its hosts on 127.77.<id>.<n>. */
  readonly id: number;
  /** A count (hosts `host1`..`hostN`) or named hosts. */
  readonly hosts: number | readonly LabHostOptions[];
  /** @default 'debian' */
  readonly profile?: string;
  /** Extra directories of profiles, searched before the package's own. */
  readonly profilesDir?: string | readonly string[];
  /** Keep the lab after this process exits (the CLI's `lab up`); stop it with stopLab(id). @default false */
  readonly persistent?: boolean;
  /** sshd port of every host. @default 22, or 2222 when the machine itself holds port 22 on all addresses */
  readonly port?: number;
  /** Per host, for sshd to come up. @default 30000 */
  readonly timeoutMs?: number;
}

const HOST_NAME = /^[a-z][a-z0-9-]{0,62}$/i;

function hostList(o: StartLabOptions): LabHostOptions[] {
  const list = typeof o.hosts === 'number'
    ? Array.from({ length: o.hosts }, (_, i) => ({ name: `host${i + 1}` }))
    : [...o.hosts];
  if (list.length < 1 || list.length > 254) throw new LabError(`lab ${o.id}: hosts must be 1..254, got ${list.length}`);
  const seen = new Set<string>();
  for (const h of list) {
    if (!HOST_NAME.test(h.name)) throw new LabError(`lab ${o.id}: bad host name ${JSON.stringify(h.name)} (expected ${HOST_NAME})`);
    if (seen.has(h.name)) throw new LabError(`lab ${o.id}: duplicate host name ${h.name}`);
    seen.add(h.name);
  }
  return list;
}

/** Refuse to take over a lab id that a live process (or `lab up`) still uses; clear a stale one. */
async function claimDir(id: number, dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  let state: LabState | undefined;
  try {
    state = loadState(dir);
  } catch {
    state = undefined;
  }
  if (state && (state.ownerPid === undefined || (state.ownerPid !== process.pid && isAlive(state.ownerPid)))) {
    const who = state.ownerPid === undefined ? 'a persistent lab (lab up)' : `process ${state.ownerPid}`;
    throw new LabError(`lab ${id} is in use by ${who}; stop it first (stopLab(${id}) / shipshape lab down ${id})`);
  }
  await destroyLabDir(dir);
}

/**
 * Bind each of the host's shared paths to the lab-wide `<lab>/shared/<path>` (one directory seen by
 * every host that shares the path), below the host root in the machine's mount namespace, before
 * the host starts: its namespace inherits the mount, and unmounting the lab removes it.
 */
async function bindShared(labDirectory: string, h: HostRecord): Promise<void> {
  for (const p of h.shared ?? []) {
    const source = path.join(labDirectory, 'shared', p);
    const target = path.join(h.root, p);
    await mkdir(source, { recursive: true });
    await mkdir(target, { recursive: true });
    await mustRun('mount', ['--bind', source, target], `binding the shared ${p} of ${h.name}`);
  }
}

/**
 * Start a lab of real OpenSSH hosts, each in its own mount+UTS+PID namespace with its own root,
 * hostname and loopback address. Needs root.
 * @example const lab = await startLab({ id: 3, hosts: [{ name: 'web1' }, { name: 'esx1', profile: 'busybox' }] });
 */
export async function startLab(options: StartLabOptions): Promise<Lab> {
  requireRoot('startLab');
  const { id } = options;
  if (!Number.isInteger(id) || id < 1 || id > 254) throw new LabError(`lab id must be an integer 1..254, got ${id}`);
  const extra = typeof options.profilesDir === 'string' ? [options.profilesDir] : [...(options.profilesDir ?? [])];
  const wanted = hostList(options);
  const profiles = wanted.map((h) => resolveProfile(h.profile ?? options.profile ?? 'debian', extra));
  await ensureSshd();
  const dir = labDir(id);
  await claimDir(id, dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const port = options.port ?? (await pickPort(hostAddress(id, 0)));
  const hosts: HostRecord[] = wanted.map((h, i) => ({
    name: h.name, profile: profiles[i].name, base: profiles[i].base, address: hostAddress(id, i), port,
    root: path.join(dir, h.name, 'root'), dir: path.join(dir, h.name), layers: profiles[i].layers,
    ...(profiles[i].shared ? { shared: profiles[i].shared } : {}),
    ...(profiles[i].bmc ? { bmc: newBmc(hostAddress(id, i)) } : {}),
  }));
  const state: LabState = {
    id, dir, keyPath: path.join(dir, 'id_ed25519'), knownHostsPath: path.join(dir, 'known_hosts'),
    inventoryPath: path.join(dir, 'inventory.ini'), ownerPid: options.persistent ? undefined : process.pid, hosts,
  };
  saveState(state);
  const lab = new Lab(state, options.timeoutMs ?? 30000);
  try {
    await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `shipshape-lab-${id}`, '-f', state.keyPath], 'client key');
    const busyboxTree = path.join(dir, '_busybox');
    if (hosts.some((h) => h.base === 'busybox')) await buildBusyboxTree(busyboxTree);
    const pub = readFileSync(`${state.keyPath}.pub`, 'utf8');
    const prepared = await prepareLayers(hosts.flatMap((h) => h.layers));
    await Promise.all(hosts.map((h) => createHost(h, h.base === 'debian' ? '/' : busyboxTree, pub)));
    for (const h of hosts) await bindShared(dir, h);
    await Promise.all(hosts.map((h) => writePrepared(path.join(h.dir, 'state'), h.layers, prepared)));
    saveState(state);
    await writeFile(state.knownHostsPath, hosts.map((h) => `${hostKeyLine(h)}\n`).join(''));
    await writeFile(state.inventoryPath, renderInventoryIni(lab.entries(), state.knownHostsPath));
    await Promise.all(hosts.map((h) => launchHost(h, lab.timeoutMs)));
    await Promise.all(hosts.map((h) => (h.bmc ? startBmc(h.name, h.dir, h.bmc, lab.timeoutMs) : undefined)));
    saveState(state);
  } catch (e) {
    await destroyLabDir(dir).catch(() => undefined);
    throw e;
  }
  if (!options.persistent) lab.stopOnExit();
  return lab;
}

