/** Load a TypeScript inventory through tsx and turn it into Ansible's YAML structure. */
import { pathToFileURL } from 'node:url';
import { InventoryError } from '@shipshape/core';
import type { GroupDefinition, InventoryDefinition } from '../define.js';
import { isMap } from './yamlinv.js';

async function importTs(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  // Under jest (vm modules) TypeScript is already transformed; elsewhere tsx registers a loader.
  if (process.env.JEST_WORKER_ID !== undefined) return (await import(url)) as Record<string, unknown>;
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
}

export async function loadTsInventory(file: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = await importTs(file);
  } catch (e) {
    throw new InventoryError(`cannot load TypeScript inventory: ${(e as Error).message}`, file, undefined, { cause: e });
  }
  let def = mod.default;
  if (typeof def === 'function') def = await (def as () => unknown)();
  if (!isMap(def)) {
    throw new InventoryError('a TypeScript inventory must default-export inventory({...}) (an object)', file);
  }
  return toYamlShape(def as InventoryDefinition, file);
}

function hostsMap(hosts: GroupDefinition['hosts']): Record<string, unknown> | undefined {
  if (hosts === undefined) return undefined;
  if (Array.isArray(hosts)) return Object.fromEntries(hosts.map((h) => [h, null]));
  return { ...(hosts as Record<string, unknown>) };
}

function groupShape(g: GroupDefinition | null, file: string, name: string): Record<string, unknown> | null {
  if (g === null) return null;
  if (!isMap(g)) throw new InventoryError(`group '${name}' must be an object with hosts/children/vars`, file);
  for (const k of Object.keys(g)) {
    if (!['hosts', 'children', 'vars'].includes(k)) {
      throw new InventoryError(`group '${name}' has unknown key '${k}' (expected hosts, children, vars)`, file);
    }
  }
  const out: Record<string, unknown> = {};
  if (g.vars) out.vars = g.vars;
  if (g.children) {
    out.children = Array.isArray(g.children)
      ? Object.fromEntries(g.children.map((c) => [c, null]))
      : Object.fromEntries(
          Object.entries(g.children as Record<string, GroupDefinition | null>).map(([c, b]) => [c, groupShape(b, file, c)]),
        );
  }
  const hosts = hostsMap((g as GroupDefinition).hosts);
  if (hosts) out.hosts = hosts;
  return out;
}

function toYamlShape(def: InventoryDefinition, file: string): Record<string, unknown> {
  for (const k of Object.keys(def)) {
    if (!['hosts', 'groups', 'vars'].includes(k)) {
      throw new InventoryError(`inventory({...}) has unknown key '${k}' (expected vars, hosts, groups)`, file);
    }
  }
  const all: Record<string, unknown> = {};
  if (def.vars) all.vars = def.vars;
  const hosts = hostsMap(def.hosts);
  if (hosts) all.hosts = hosts;
  const out: Record<string, unknown> = { all };
  for (const [name, g] of Object.entries(def.groups ?? {})) {
    if (name === 'all') throw new InventoryError("use the top-level vars/hosts of inventory({...}) instead of groups.all", file);
    out[name] = groupShape(g, file, name);
  }
  return out;
}
