/**
 * Output shaped like ansible-inventory: `--list` and `--host` JSON (keys sorted, 4-space
 * indent), `--graph`, and `--list-hosts`.
 *
 * Secrets: an inline `!vault` value prints as `{"__ansible_vault": "<ciphertext>"}`, exactly as
 * ansible-inventory prints it (never the plaintext). Values from a whole-file vault, which
 * ansible-inventory prints decrypted, print as "********" here: shipshape never prints plaintext.
 */
import { MASK, Secret } from '@shipshape/core';
import { ArgumentError } from '@shipshape/core';
import type { Group } from './internal/model.js';
import { VaultValue } from './internal/secrets.js';
import type { Inventory } from './inventory.js';

const INTERNAL_VARS = new Set([
  'ansible_config_file', 'ansible_playbook_python', 'ansible_version', 'groups', 'group_names', 'inventory_dir',
  'inventory_file', 'inventory_hostname', 'inventory_hostname_short', 'omit', 'playbook_dir', 'role_name',
  'role_names', 'role_path', 'ansible_facts', 'ansible_check_mode', 'ansible_diff_mode', 'ansible_forks',
  'ansible_inventory_sources', 'ansible_limit', 'ansible_play_batch', 'ansible_play_hosts', 'ansible_play_hosts_all',
  'ansible_play_name', 'ansible_play_role_names', 'ansible_playbook_python', 'ansible_run_tags', 'ansible_skip_tags',
  'ansible_verbosity', 'ansible_collection_name', 'ansible_dependent_role_names', 'ansible_loop', 'ansible_loop_var',
  'ansible_index_var', 'ansible_parent_role_names', 'ansible_parent_role_paths', 'ansible_role_name',
  'ansible_role_names', 'ansible_search_path',
]);

/** JSON-ready copy: vault values as Ansible prints them, other secrets masked, keys sorted. */
export function toAnsibleData(value: unknown): unknown {
  if (value instanceof VaultValue) return { __ansible_vault: value.ciphertext };
  if (value instanceof Secret) return MASK;
  if (Array.isArray(value)) return value.map(toAnsibleData);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return Object.fromEntries(keys.map((k) => [k, toAnsibleData((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function dump(value: unknown): string {
  return JSON.stringify(toAnsibleData(value), null, 4);
}

function publicVars(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).filter(([k]) => !INTERNAL_VARS.has(k)));
}

/** The object `ansible-inventory --list` prints. */
export function listData(inv: Inventory): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  const seen = new Set<string>();
  const format = (g: Group): void => {
    const entry: Record<string, unknown> = {};
    if (g.name !== 'all' && g.hosts.length) entry.hosts = g.hosts.map((h) => h.name);
    if (g.children.length) entry.children = g.children.map((c) => c.name);
    if (Object.keys(entry).length) out[g.name] = entry;
    for (const c of g.children) {
      if (!seen.has(c.name)) {
        seen.add(c.name);
        format(c);
      }
    }
  };
  format(inv.rawGroup('all')!);
  const hostvars: Record<string, unknown> = {};
  for (const h of inv.hosts) {
    const v = publicVars(h.vars);
    if (Object.keys(v).length) hostvars[h.name] = v;
  }
  return { _meta: { hostvars }, ...out };
}

/** `ansible-inventory --list` */
export function renderList(inv: Inventory): string {
  return dump(listData(inv));
}

/** `ansible-inventory --host NAME` */
export function renderHost(inv: Inventory, name: string): string {
  if (!inv.hosts.some((h) => h.name === name)) {
    throw new ArgumentError(`You must pass a single valid host to --host parameter (unknown host: ${name})`, 'host', name);
  }
  return dump(publicVars(inv.hostVars(name)));
}

/** `ansible-inventory --graph [GROUP]` */
export function renderGraph(inv: Inventory, group = 'all'): string {
  const start = inv.rawGroup(group);
  if (!start) throw new ArgumentError(`Pattern must be valid group name when using --graph: ${group}`, 'graph', group);
  const line = (name: string, depth: number): string => (depth ? '  |'.repeat(depth) + '--' + name : name);
  const walk = (g: Group, depth: number): string[] => {
    const out = [line(`@${g.name}:`, depth)];
    for (const c of g.children) out.push(...walk(c, depth + 1));
    if (g.name !== 'all') for (const h of g.hosts) out.push(line(h.name, depth + 1));
    return out;
  };
  return walk(start, 0).join('\n');
}

/** Host names matching a pattern (and optional --limit), in inventory order. */
export function listHosts(inv: Inventory, pattern = 'all', limit?: string): string[] {
  return inv.select(pattern, limit).map((h) => h.name);
}
