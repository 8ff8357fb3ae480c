/**
 * Minimal reader of (gzipped) ustar archives, enough to look inside ESXi config bundles
 * (configBundle.tgz -> Manifest.txt, state.tgz -> local.tgz -> etc/...) on the controller.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { ModuleError } from '@shipshape/core';

export interface TarEntry {
  readonly name: string;
  /** '0' file, '5' directory, '2' symlink, ... */
  readonly type: string;
  readonly data: Buffer;
}

const str = (b: Buffer, start: number, len: number) => {
  const s = b.subarray(start, start + len);
  const end = s.indexOf(0);
  return s.subarray(0, end < 0 ? len : end).toString('utf8');
};

/** Entries of a tar archive; gzip is detected by its magic bytes. Throws on a malformed archive. */
export function readTar(archive: Buffer): TarEntry[] {
  const buf = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  const out: TarEntry[] = [];
  let longName: string | undefined;
  for (let off = 0; off + 512 <= buf.length; ) {
    const header = buf.subarray(off, off + 512);
    if (header.every((x) => x === 0)) break;
    const size = parseInt(str(header, 124, 12).trim() || '0', 8);
    if (Number.isNaN(size)) throw new ModuleError(`bad tar header at offset ${off}`);
    const type = str(header, 156, 1) || '0';
    const prefix = str(header, 257, 6).startsWith('ustar') ? str(header, 345, 155) : '';
    const data = buf.subarray(off + 512, off + 512 + size);
    if (data.length !== size) throw new ModuleError(`truncated tar entry at offset ${off}`);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = str(data, 0, data.length);
      continue;
    }
    const name = longName ?? (prefix ? `${prefix}/${str(header, 0, 100)}` : str(header, 0, 100));
    longName = undefined;
    out.push({ name: name.replace(/^\.\//, ''), type, data });
  }
  return out;
}

/** The data of one regular file in an archive, or undefined. */
export function tarFile(entries: readonly TarEntry[], name: string): Buffer | undefined {
  return entries.find((e) => e.name === name && (e.type === '0' || e.type === '7'))?.data;
}

/** SHA-256 over the sorted names and contents of an archive's regular files. */
export function contentDigest(entries: readonly TarEntry[]): string {
  const h = createHash('sha256');
  for (const e of [...entries].filter((x) => x.type === '0').sort((a, b) => a.name.localeCompare(b.name))) {
    h.update(`${e.name}\0${e.data.length}\0`).update(e.data);
  }
  return h.digest('hex');
}
