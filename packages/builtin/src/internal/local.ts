/** Controller-side files: reading sources (copy/template) and writing fetched files atomically. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ModuleError, type Vars } from '@shipshape/core';

export interface LocalEntry {
  /** Path relative to the walked root, with '/' separators. */
  readonly rel: string;
  readonly dir: boolean;
}

/** Every file and directory under `root` (not following symlinked directories), sorted. */
export async function walkLocal(root: string): Promise<LocalEntry[]> {
  const out: LocalEntry[] = [];
  async function visit(rel: string): Promise<void> {
    const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.push({ rel: r, dir: true });
        await visit(r);
      } else out.push({ rel: r, dir: false });
    }
  }
  await visit('');
  return out;
}

/** Read a controller file; the error names the field and the path. */
export async function readLocal(file: string, field: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    throw new ModuleError(`${field}: cannot read controller file ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Where a relative controller `src` is, searched as Ansible does for a playbook outside a role:
 * `<playbook_dir>/<subdir>/src`, then `<playbook_dir>/src`, then the working directory. Absolute paths
 * are used as they are; a trailing '/' (copy a directory's contents) is kept.
 */
export async function findLocalSource(src: string, vars: Vars, subdir: 'files' | 'templates', field = 'src'): Promise<string> {
  if (path.isAbsolute(src)) return src;
  const dir = typeof vars.playbook_dir === 'string' ? vars.playbook_dir : undefined;
  const candidates = [...(dir ? [path.join(dir, subdir, src), path.join(dir, src)] : []), path.resolve(src)];
  for (const c of candidates) {
    if (await fs.stat(c).then(() => true, () => false)) return src.endsWith('/') && !c.endsWith('/') ? `${c}/` : c;
  }
  throw new ModuleError(`${field}: could not find controller path ${JSON.stringify(src)}; searched ${candidates.join(', ')}`);
}

export async function localKind(file: string, field: string): Promise<'file' | 'directory'> {
  try {
    return (await fs.stat(file)).isDirectory() ? 'directory' : 'file';
  } catch (e) {
    throw new ModuleError(`${field}: controller path ${file} does not exist`, { cause: e });
  }
}

/** A controller file's mode as 4 octal digits. */
export async function localModeOf(file: string): Promise<string> {
  return ((await fs.stat(file)).mode & 0o7777).toString(8).padStart(4, '0');
}

/** Write a controller file atomically: temp file in the same directory, then rename. */
export async function writeLocalAtomic(file: string, data: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.shipshape-${process.pid}-${Date.now()}`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw new ModuleError(`cannot write ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/** A controller file's bytes, or undefined when it does not exist. */
export async function readLocalIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModuleError(`cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
}
