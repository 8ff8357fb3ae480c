import { Writable } from 'node:stream';
import { changes, defineModule, ModuleError, sh, type Host, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { inspectBundle } from './bundle.js';
import { BundleDir, bundleName, bundleStamp, bundlesToPrune, hostBundles } from './internal/store.js';
import { parseBackupConfig } from './parse.js';

export const backupConfigSchema = z
  .object({
    /** Directory on the controller that keeps the bundles (created when missing). */
    dest: z.string().min(1),
    /** Generations kept per host; older bundles are deleted. @default 7 */
    keep: z.number().int().min(1).default(7),
  })
  .strict();
export type BackupConfigArgs = z.output<typeof backupConfigSchema>;

/** Pure: sync, make a bundle, fetch it, store it (the bundle is compared after fetching). */
export function planBackupConfig(args: BackupConfigArgs, facts: { host: string }): Plan {
  return changes(`back up the config bundle of ${facts.host} to ${args.dest}`, [
    { kind: 'exec', command: sh`vim-cmd hostsvc/firmware/sync_config` },
    { kind: 'exec', command: sh`vim-cmd hostsvc/firmware/backup_config` },
    { kind: 'call', describe: `fetch the bundle over SSH and keep ${args.keep} generations`, run: async () => undefined },
  ]);
}

async function fetchFile(host: Host, remotePath: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) });
  await host.connection.download(remotePath, sink);
  return Buffer.concat(chunks);
}

/**
 * Back up a host's configuration bundle: `vim-cmd hostsvc/firmware/sync_config`, `backup_config`,
 * then fetch the file it names. The printed URL (`http://* /downloads/...`) would need the host's
 * HTTPS service and credentials; the same file sits under `/scratch/downloads/` on the host, so it
 * is read over the SSH connection the run already has. Stored on the controller as
 * `configBundle-<host>-<UTC timestamp>.tgz` in `dest`, keeping `keep` generations. When the
 * configuration inside equals the newest stored one, nothing is stored and the task is `ok`.
 * @example
 * backupConfig({ dest: 'backups/esxi', keep: 14 })
 */
export const backupConfig = defineModule({
  name: 'esxi.backupConfig',
  description: 'Fetch the ESXi config bundle and keep N generations on the controller',
  schema: backupConfigSchema,
  supportsCheck: false,
  gather: async (host) => ({ host: host.name }),
  plan: planBackupConfig,
  async apply(host, _plan, args) {
    await host.run(sh`vim-cmd hostsvc/firmware/sync_config`);
    const loc = parseBackupConfig((await host.run(sh`vim-cmd hostsvc/firmware/backup_config`)).stdout);
    const data = await fetchFile(host, loc.path);
    const fresh = inspectBundle(data, `${host.name}:${loc.path}`);
    const dir = new BundleDir(args.dest);
    const names = await dir.list();
    const newest = hostBundles(names, host.name).at(-1);
    if (newest && inspectBundle(await dir.read(newest), newest).configDigest === fresh.configDigest) {
      return { changed: false, msg: `configuration unchanged since ${newest}`, data: { bundle: newest } };
    }
    const name = bundleName(host.name, bundleStamp(new Date()));
    if (names.includes(name)) throw new ModuleError(`${args.dest}/${name} exists already`);
    const file = await dir.put(name, data);
    const pruned = bundlesToPrune([...names, name], host.name, args.keep);
    for (const old of pruned) await dir.delete(old);
    return { changed: true, msg: `stored ${file}${pruned.length ? `, pruned ${pruned.join(', ')}` : ''}`, data: { bundle: name, path: file, build: fresh.manifest.build } };
  },
});
