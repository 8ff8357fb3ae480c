import { changes, defineModule, ModuleError, sh, type Host, type Plan, type TaskResult } from '@shipshape/core';
import { z } from 'zod';
import { viewBundle } from './bundle.js';
import { encryptionModeFact } from './facts.js';
import type { Destination } from '@shipshape/storage';
import { bundleName, bundleStamp, bundlesToPrune, hostBundles } from './internal/store.js';
import { openTarget } from './internal/targets.js';
import { parseBackupConfig } from './parse.js';

export const backupConfigSchema = z
  .object({
    /** A directory on the controller (created when missing), or a @shipshape/storage destination (`local` directory on a host, `sftp`, `ftp`, `ftps`). */
    dest: z.union([
      z.string().min(1),
      z.custom<Destination>((v) => typeof v === 'object' && v !== null && ['local', 'sftp', 'ftp', 'ftps'].includes((v as { type?: string }).type ?? ''), {
        message: 'expected a directory path or a storage destination { type: local|sftp|ftp|ftps, ... }',
      }),
    ]).describe('A directory on the controller (created when missing), or a @shipshape/storage destination (`local` directory on a host, `sftp`, `ftp`, `ftps`).'),
    /** Generations kept per host; older bundles are deleted. */
    keep: z.number().int().min(1).default(7).describe('Generations kept per host; older bundles are deleted.'),
  })
  .strict();
export type BackupConfigArgs = z.output<typeof backupConfigSchema>;

/** Pure: sync, make a bundle, fetch it, store it (the bundle is compared after fetching). */
export function planBackupConfig(args: BackupConfigArgs, facts: { host: string }): Plan {
  const where = typeof args.dest === 'string' ? args.dest : `${args.dest.type} ${args.dest.path}`;
  const backup = sh`vim-cmd hostsvc/firmware/backup_config`;
  /** Where backup_config put the bundle. */
  let made: string | undefined;
  return changes(`back up the config bundle of ${facts.host} to ${where}`, [
    // Only the bundle stored says whether anything changed.
    { kind: 'exec', command: sh`vim-cmd hostsvc/firmware/sync_config`, unchanged: () => 'synced' },
    { kind: 'call', describe: backup.display, run: async (host) => {
      made = parseBackupConfig((await host.run(backup)).stdout).path;
      return { changed: false };
    } },
    { kind: 'call', describe: `fetch the bundle over SSH and keep ${args.keep} generations`, run: (host) => storeBundle(host, made!, args) },
  ]);
}

/** A bundle is a few hundred KiB: read it as a command's stdout bytes. */
async function fetchFile(host: Host, remotePath: string): Promise<Buffer> {
  return (await host.run(sh`cat -- ${remotePath}`)).stdoutBytes;
}

/**
 * Fetch the bundle backup_config made at `remotePath` and store it in `dest`, keeping `keep` generations;
 * unchanged when a controller directory's newest bundle holds the same configuration.
 */
async function storeBundle(host: Host, remotePath: string, args: BackupConfigArgs): Promise<Partial<TaskResult>> {
  const data = await fetchFile(host, remotePath);
  const encryption = await host.fact(encryptionModeFact, undefined);
  const fresh = viewBundle(data, `${host.name}:${remotePath}`);
  const notes = [`configuration encryption: ${encryption}`];
  if (!fresh.inspected) notes.push(`bundle stored, not inspected (${fresh.note})`);
  else if (fresh.encrypted) notes.push('configuration encrypted: its files were not compared');
  const target = await openTarget(args.dest);
  try {
    const names = await target.list();
    const newest = hostBundles(names, host.name).at(-1);
    const digest = fresh.inspected ? fresh.configDigest : undefined;
    if (newest && digest && (await target.digestOf(newest).catch(() => undefined)) === digest) {
      return { changed: false, msg: `configuration unchanged since ${newest} (${notes.join('; ')})`, data: { bundle: newest, encryption } };
    }
    const name = bundleName(host.name, bundleStamp(new Date()));
    if (names.includes(name)) throw new ModuleError(`${target.label}/${name} exists already`);
    await target.put(name, data);
    const pruned = bundlesToPrune([...names, name], host.name, args.keep);
    for (const old of pruned) await target.delete(old);
    const msg = `stored ${target.label}/${name}${pruned.length ? `, pruned ${pruned.join(', ')}` : ''} (${notes.join('; ')})`;
    const build = fresh.inspected ? fresh.manifest.build ?? null : null;
    return { changed: true, msg, data: { bundle: name, build, encryption, inspected: fresh.inspected } };
  } finally {
    await target.close();
  }
}

/**
 * Back up a host's configuration bundle: `vim-cmd hostsvc/firmware/sync_config`, `backup_config`,
 * then fetch the file it names. The printed URL (`http://* /downloads/...`) would need the host's
 * HTTPS service and credentials; the same file sits under `/scratch/downloads/` on the host, so it
 * is read over the SSH connection the run already has. Stored as
 * `configBundle-<host>-<UTC timestamp>.tgz` in `dest` (a controller directory, or a
 * @shipshape/storage destination: SFTP, FTP/FTPS, a directory on a host), keeping `keep`
 * generations. In a controller directory a bundle whose configuration equals the newest stored
 * one is not stored again (task `ok`); storage destinations cannot be read back, so there every
 * run stores a new generation.
 * @example
 * backupConfig({ dest: 'backups/esxi', keep: 14 })
 * backupConfig({ dest: { type: 'sftp', host: 'nas', user: 'backup', privateKeyPath: '/root/.ssh/id_nas', path: '/srv/esxi' } })
 */
export const backupConfig = defineModule({
  name: 'esxi.backupConfig',
  description: 'Fetch the ESXi config bundle and keep N generations on the controller',
  schema: backupConfigSchema,
  supportsCheck: false,
  gather: async (host) => ({ host: host.name }),
  plan: planBackupConfig,
});
