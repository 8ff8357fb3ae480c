/**
 * Ansible's YAML inventory structure (`all` / `hosts` / `children` / `vars`), shared by YAML
 * files and TypeScript inventories, walked like ansible's `yaml` plugin.
 */
import { InventoryError } from '@shipshape/core';
import type { InventoryData } from './model.js';
import { expandHostPattern } from './hostrange.js';

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

export function parseYamlInventory(inv: InventoryData, file: string, data: unknown, warnings: string[]): void {
  if (data === null || data === undefined || data === '') throw new InventoryError('Parsed empty YAML file', file);
  if (!isMap(data)) {
    throw new InventoryError(`YAML inventory has invalid structure, it should be a dictionary, got: ${typeName(data)}`, file);
  }
  if (data.plugin) throw new InventoryError('Plugin configuration YAML file, not YAML inventory', file);
  for (const [name, body] of Object.entries(data)) parseGroup(inv, file, name, body, warnings);
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return 'str';
  return typeof v;
}

function parseGroup(inv: InventoryData, file: string, group: string, body: unknown, warnings: string[]): string {
  if (!(isMap(body) || body === null || body === undefined)) {
    warnings.push(`Skipping '${group}' as this is not a valid group definition`);
    return group;
  }
  inv.addGroup(group);
  if (!body) return group;
  for (const section of ['vars', 'children', 'hosts']) {
    const v = body[section];
    if (typeof v === 'string') body[section] = { [v]: null };
    else if (!(isMap(v) || v === null || v === undefined)) {
      throw new InventoryError(
        `Invalid "${section}" entry for "${group}" group, requires a dictionary, found "${typeName(v)}" instead.`,
        file,
      );
    }
  }
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (!isMap(value)) {
      warnings.push(`Skipping key (${key}) in group (${group}) as it is not a mapping, it is a ${typeName(value)}`);
      continue;
    }
    if (key === 'vars') {
      for (const [k, v] of Object.entries(value)) inv.setVariable(group, k, v);
    } else if (key === 'children') {
      for (const [sub, subBody] of Object.entries(value)) {
        parseGroup(inv, file, sub, subBody, warnings);
        wrap(file, () => inv.addChild(group, sub));
      }
    } else if (key === 'hosts') {
      for (const [pattern, hostVars] of Object.entries(value)) {
        const vars = hostVars ?? {};
        if (!isMap(vars)) {
          throw new InventoryError(`Invalid data for host '${pattern}' in group '${group}': expected a dictionary`, file);
        }
        const { hosts, port } = wrap(file, () => expandHostPattern(pattern));
        for (const h of hosts) {
          inv.addHost(h, group, port);
          for (const [k, v] of Object.entries(vars)) inv.setVariable(h, k, v);
        }
      }
    } else {
      warnings.push(`Skipping unexpected key (${key}) in group (${group}), only "vars", "children" and "hosts" are valid`);
    }
  }
  return group;
}

function wrap<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new InventoryError((e as Error).message, file, undefined, { cause: e });
  }
}

/** Groups in the JSON a dynamic inventory script prints (ansible's `script` plugin rules). */
export function parseScriptGroup(inv: InventoryData, file: string, group: string, data: unknown, hostSet: Set<string>): void {
  inv.addGroup(group);
  let body: Record<string, unknown>;
  if (!isMap(data)) body = { hosts: data };
  else if (!['hosts', 'vars', 'children'].some((k) => k in data)) body = { hosts: [group], vars: data };
  else body = data;
  if ('hosts' in body) {
    if (!Array.isArray(body.hosts)) {
      throw new InventoryError(`You defined a group '${group}' with bad data for the host list: ${JSON.stringify(body.hosts)}`, file);
    }
    for (const h of body.hosts) {
      hostSet.add(String(h));
      inv.addHost(String(h), group);
    }
  }
  if ('vars' in body) {
    if (!isMap(body.vars)) throw new InventoryError(`You defined a group '${group}' with bad data for variables`, file);
    for (const [k, v] of Object.entries(body.vars)) inv.setVariable(group, k, v);
  }
  const children = Array.isArray(body.children) ? body.children : isMap(body.children) ? Object.keys(body.children) : [];
  for (const c of children) {
    inv.addGroup(String(c));
    wrap(file, () => inv.addChild(group, String(c)));
  }
}

export { isMap };
