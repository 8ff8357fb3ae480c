/**
 * Inventory sources: files (INI, YAML/JSON, executables, TypeScript), directories of sources
 * (sorted, skipping what Ansible skips), and `host1,host2` host lists. Format detection
 * follows Ansible's plugin order: script, YAML (for .yml/.yaml/.json or no extension), INI.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { InventoryError } from '@shipshape/core';
import type { InventoryData } from './model.js';
import { parseIni } from './ini.js';
import type { LoadContext } from './yamlload.js';
import { parseYamlInventory, isMap } from './yamlinv.js';
import { looksExecutable, parseScript } from './script.js';
import { loadTsInventory } from './tsinv.js';
import { readVaultedFile } from './vault.js';
import { parseAddress } from './hostrange.js';

/** Entries Ansible ignores in an inventory directory (IGNORED_ALWAYS + INVENTORY_IGNORE_EXTS). */
const IGNORED =
  /^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;
const YAML_EXTS = ['.yml', '.yaml', '.json'];
const TS_EXTS = ['.ts', '.mts'];

export interface SourceContext extends LoadContext {
  readonly warnings: string[];
}

export async function parseSource(inv: InventoryData, source: string, ctx: SourceContext): Promise<void> {
  if (source.includes(',') && !existsSync(source)) return parseHostList(inv, source);
  let st;
  try {
    st = statSync(source);
  } catch (e) {
    throw new InventoryError('inventory source not found', source, undefined, { cause: e });
  }
  if (st.isDirectory()) {
    for (const entry of readdirSync(source).sort()) {
      if (!IGNORED.test(entry)) await parseSource(inv, join(source, entry), ctx);
    }
    return;
  }
  const ext = extname(source);
  inv.at = { file: source };
  inv.source = { file: source, dir: dirname(source) };
  if (TS_EXTS.includes(ext)) {
    return parseYamlInventory(inv, source, await loadTsInventory(source), ctx.warnings);
  }
  if (looksExecutable(source)) return parseScript(inv, source);
  const { text } = readVaultedFile(source, ctx.vaultPasswords, 'inventory');
  if (YAML_EXTS.includes(ext)) return parseYamlInventory(inv, source, (await yamlLoader()).parseYaml(text, source, ctx), ctx.warnings);
  if (!ext) {
    const data = await tryYaml(text, source, ctx);
    if (data !== undefined) return parseYamlInventory(inv, source, data, ctx.warnings);
  }
  parseIni(inv, source, text);
}

/** The YAML loader (and the yaml package) load on first use: INI inventories never need them. */
export const yamlLoader = () => import('./yamlload.js');

/** A file without extension is YAML when it parses to a mapping of group definitions. */
async function tryYaml(text: string, file: string, ctx: LoadContext): Promise<unknown> {
  const { parseYaml } = await yamlLoader();
  let data: unknown;
  try {
    data = parseYaml(text, file, ctx);
  } catch {
    return undefined;
  }
  if (!isMap(data) || !Object.keys(data).length) return undefined;
  return Object.values(data).every((v) => v === null || isMap(v)) ? data : undefined;
}

/** Ansible's host_list plugin: `-i 'web1,web2:2222,'`. */
function parseHostList(inv: InventoryData, list: string): void {
  inv.at = { file: `host list ${JSON.stringify(list)}` };
  inv.source = { file: list, dir: 'None' }; // Ansible's basedir() of a non-path: str(None)
  for (const item of list.split(',')) {
    const h = item.trim();
    if (!h) continue;
    let host = h;
    let port: number | undefined;
    try {
      ({ host, port } = parseAddress(h));
    } catch {
      // kept verbatim, like Ansible
    }
    if (!inv.hosts.has(host)) inv.addHost(host, 'ungrouped', port);
  }
}
