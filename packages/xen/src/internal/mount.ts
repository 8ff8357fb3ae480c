/** Mount a guest's root disk on dom0, prepared as for hooks, run something inside, and leave nothing mounted. */
import { ModuleError, sh, type Host } from '@shipshape/core';
import { parseXenCfg } from '../facts/cfg.js';
import { hookEnvironment } from './chroot.js';

/**
 * The guest's root disk (xvda2, else the first disk of its cfg) mounted on a fresh `mktemp -d` directory of
 * dom0 with the hook environment (chroot.ts); `fn` gets the mount point. Everything is undone afterwards,
 * also when `fn` throws. The guest must not be running (its disk would be in use).
 */
export async function withGuestRoot<T>(h: Host, cfgDir: string, hostname: string, fn: (root: string) => Promise<T>): Promise<T> {
  const path = `${cfgDir}/${hostname}.cfg`;
  const file = await h.readFile(path);
  if (!file.exists || !file.content) throw new ModuleError(`${path}: missing, cannot mount the root of guest ${hostname}`);
  const cfg = parseXenCfg(file.content.toString('utf8'), path);
  const disk = cfg.disks.find((d) => d.vdev === 'xvda2') ?? cfg.disks[0];
  if (!disk) throw new ModuleError(`${path}: no disk entries, cannot mount the guest root`);
  const colon = disk.target.indexOf(':');
  const [kind, target] = [disk.target.slice(0, colon), disk.target.slice(colon + 1)];
  const prefix = (await h.$`mktemp -d /tmp/shipshape-xen.XXXXXXXXXX`).stdout.trim();
  try {
    await h.run(kind === 'phy' ? sh`mount ${target} ${prefix}` : sh`mount -o loop ${target} ${prefix}`);
    const env = hookEnvironment(prefix);
    try {
      await h.run(env.enter);
      return await fn(prefix);
    } finally {
      await h.run(env.leave, { allowFail: true });
      await h.run(sh`umount ${prefix}`);
    }
  } finally {
    await h.run(sh`rmdir ${prefix}`, { allowFail: true });
  }
}

/** Files of a mounted root read as text (absent ones left out); for public material such as host keys. */
export async function readFromRoot(h: Host, root: string, files: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of files) {
    const r = await h.readFile(`${root}${f}`);
    if (r.exists && r.content) out[f] = r.content.toString('utf8');
  }
  return out;
}
