/**
 * Where bundles are kept: a directory on the controller, `configBundle-<host>-<timestamp>.tgz`,
 * N generations per host. Written atomically (temp file + rename).
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const STAMP = /^\d{8}T\d{6}(\.\d{3})?Z$/;

/**
 * `20261122T040512.345Z` (UTC, milliseconds so that two runs in one second do not collide):
 * sorts by time, and @shipshape/storage's retention reads it.
 */
export function bundleStamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '');
}

export function bundleName(host: string, stamp: string): string {
  return `configBundle-${host}-${stamp}.tgz`;
}

/** The stored bundles of one host, oldest first. */
export function hostBundles(names: readonly string[], host: string): string[] {
  const prefix = `configBundle-${host}-`;
  // Older names carry whole seconds: compare them as `.000`.
  const key = (n: string) => n.slice(prefix.length, -4).replace(/(\d{6})Z$/, '$1.000Z');
  return names
    .filter((n) => n.startsWith(prefix) && n.endsWith('.tgz') && STAMP.test(n.slice(prefix.length, -4)))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Pure: which bundles to delete so that `keep` remain (oldest go first). */
export function bundlesToPrune(names: readonly string[], host: string, keep: number): string[] {
  const mine = hostBundles(names, host);
  return mine.slice(0, Math.max(0, mine.length - keep));
}

export class BundleDir {
  constructor(readonly dir: string) {}

  async list(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  read(name: string): Promise<Buffer> {
    return readFile(path.join(this.dir, name));
  }

  async put(name: string, data: Buffer): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const target = path.join(this.dir, name);
    const tmp = path.join(this.dir, `.${name}.${process.pid}.part`);
    await writeFile(tmp, data);
    await rename(tmp, target);
    return target;
  }

  delete(name: string): Promise<void> {
    return rm(path.join(this.dir, name), { force: true });
  }
}
