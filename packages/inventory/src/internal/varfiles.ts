/**
 * group_vars/ and host_vars/ beside inventory sources and beside the playbook, found and
 * merged like Ansible's host_group_vars plugin and DataLoader.find_vars_files:
 * `<name>`, `<name>.yml`, `<name>.yaml`, `<name>.json` (first that exists), or a directory
 * `<name>/` whose files (no extension or .yml/.yaml/.json, hidden and `~` files skipped)
 * load in sorted order, recursively.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { InventoryError, type Vars } from '@shipshape/core';
import type { LoadContext } from './yamlload.js';
import { isMap } from './yamlinv.js';
import { yamlLoader } from './sources.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

export class VarFiles {
  private readonly cache = new Map<string, Vars>();
  private readonly found = new Map<string, string[]>();
  constructor(private readonly ctx: LoadContext) {}

  /** Directories whose group_vars/host_vars count for inventory sources (Ansible's rule). */
  static sourceDirs(sources: readonly string[]): string[] {
    return sources.filter((s) => !(s.includes(',') && !existsSync(s))).map((s) => (isDir(s) ? s : dirname(s)));
  }

  /** Variables for entities (group or host names) from `<base>/<subdir>/`, merged in the given order. */
  async load(base: string, subdir: 'group_vars' | 'host_vars', names: readonly string[]): Promise<Vars> {
    let out: Vars = {};
    for (const name of names) {
      if (name.startsWith('/')) continue;
      for (const file of this.files(join(base, subdir), name)) out = { ...out, ...(await this.loadFile(file)) };
    }
    return out;
  }

  /** The file that gave `key` its value in load(base, subdir, names): the last one that sets it. */
  originOf(base: string, subdir: 'group_vars' | 'host_vars', names: readonly string[], key: string): string | undefined {
    for (const name of [...names].reverse()) {
      if (name.startsWith('/')) continue;
      const file = [...this.files(join(base, subdir), name)].reverse().find((f) => this.cache.get(f)?.[key] !== undefined);
      if (file) return file;
    }
    return undefined;
  }

  /** Files for one entity, looked up once per directory and name. */
  private files(root: string, name: string): string[] {
    const key = `${root}\0${name}`;
    let hit = this.found.get(key);
    if (!hit) {
      hit = isDir(root) ? findVarsFiles(realpathSync(root), name) : [];
      this.found.set(key, hit);
    }
    return hit;
  }

  private async loadFile(file: string): Promise<Vars> {
    const hit = this.cache.get(file);
    if (hit) return hit;
    const data = (await yamlLoader()).loadDataFile(file, this.ctx);
    let vars: Vars = {};
    if (data !== null && data !== undefined && data !== '') {
      if (!isMap(data)) throw new InventoryError('variable files must contain a dictionary of variables', file);
      vars = data;
    }
    this.cache.set(file, vars);
    return vars;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function findVarsFiles(path: string, name: string): string[] {
  for (const ext of EXTENSIONS) {
    const full = join(path, name + ext);
    if (!existsSync(full)) continue;
    return isDir(full) ? dirVarsFiles(full) : [full];
  }
  return [];
}

function dirVarsFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const ext = extname(entry);
    const full = join(dir, entry);
    if (isDir(full)) {
      if (!ext) found.push(...dirVarsFiles(full));
    } else if (!ext || EXTENSIONS.includes(ext)) found.push(full);
  }
  return found;
}
