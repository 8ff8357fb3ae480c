/**
 * The in-memory inventory graph, built the way Ansible's InventoryData builds it:
 * groups and hosts keep insertion order, `all` and `ungrouped` always exist, and
 * `reconcile()` applies Ansible's post-parse rules (orphan groups under `all`,
 * group-less hosts under `ungrouped`).
 */
import type { Vars } from '@shipshape/core';
import { InventoryValueError } from './errors.js';

/** Where a host or a variable was defined: the file, and the line when the format has lines. */
export interface Origin {
  readonly file: string;
  readonly line?: number;
}

export class Group {
  vars: Vars = {};
  readonly origins: Record<string, Origin> = {};
  readonly hosts: HostEntry[] = [];
  readonly children: Group[] = [];
  readonly parents: Group[] = [];
  /** ansible_group_priority. */
  priority = 1;
  constructor(readonly name: string) {}

  /** Ancestors (not self), nearest first. */
  ancestors(): Group[] {
    return walk(this, 'parents');
  }

  /** Descendant groups in Ansible's preserve-ordering walk (self first). */
  descendants(): Group[] {
    return [this, ...walk(this, 'children')];
  }

  /** Hosts of this group and its descendants, without duplicates, in inventory order. */
  allHosts(): HostEntry[] {
    const seen = new Set<HostEntry>();
    for (const g of this.descendants()) for (const h of g.hosts) seen.add(h);
    return [...seen];
  }
}

function walk(start: Group, rel: 'parents' | 'children'): Group[] {
  const ordered: Group[] = [];
  const seen = new Set<Group>();
  let level = [...start[rel]];
  while (level.length) {
    const next: Group[] = [];
    for (const g of level) {
      if (seen.has(g) || g === start) continue;
      seen.add(g);
      ordered.push(g);
      next.push(...g[rel]);
    }
    level = next;
  }
  return ordered;
}

export class HostEntry {
  vars: Vars = {};
  readonly origins: Record<string, Origin> = {};
  /** Where the host was first named. */
  defined?: Origin;
  /** The inventory source that first named the host (Ansible's `inventory_file`). */
  source?: { readonly file: string; readonly dir: string };
  /** Groups the host was added to directly. */
  readonly direct: Group[] = [];
  constructor(readonly name: string) {}

  /** Every group the host belongs to, `all` included. */
  groups(): Group[] {
    const out = new Set<Group>();
    for (const g of this.direct) {
      out.add(g);
      for (const a of g.ancestors()) out.add(a);
    }
    return [...out];
  }
}

/** Variables set on one entity: a shallow assignment, as Ansible's set_variable. */
function setVar(target: { vars: Vars; origins: Record<string, Origin> }, key: string, value: unknown, at: Origin | undefined): void {
  target.vars[key] = value;
  if (at) target.origins[key] = at;
}

export class InventoryData {
  readonly groups = new Map<string, Group>();
  readonly hosts = new Map<string, HostEntry>();
  /** The place being parsed (set by the source parsers), recorded on hosts and variables. */
  at?: Origin;
  /** The source being parsed: a file, or a host list (whose directory Ansible names "None"). */
  source?: { readonly file: string; readonly dir: string };

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string): Group {
    let g = this.groups.get(name);
    if (!g) {
      g = new Group(name);
      this.groups.set(name, g);
    }
    return g;
  }

  addHost(name: string, group?: string, port?: number): HostEntry {
    let h = this.hosts.get(name);
    if (!h) {
      h = new HostEntry(name);
      h.defined = this.at;
      h.source = this.source;
      this.hosts.set(name, h);
      if (port !== undefined) setVar(h, 'ansible_port', port, this.at);
    }
    if (group) {
      const g = this.groups.get(group);
      if (!g) throw new InventoryValueError(`Could not find group ${group} in inventory`);
      if (!g.hosts.includes(h)) {
        g.hosts.push(h);
        h.direct.push(g);
      }
    }
    return h;
  }

  /** Add a group (or a host) as child of a group; refuses cycles like Ansible. */
  addChild(parent: string, child: string): void {
    const p = this.groups.get(parent);
    if (!p) throw new InventoryValueError(`${parent} is not a known group`);
    const c = this.groups.get(child);
    if (c) {
      if (c === p) throw new InventoryValueError(`can't add group to itself`);
      if (p.children.includes(c)) return;
      if (p.ancestors().includes(c)) {
        throw new InventoryValueError(`Adding group '${child}' as child to '${parent}' creates a recursive dependency loop.`);
      }
      p.children.push(c);
      if (!c.parents.includes(p)) c.parents.push(p);
      return;
    }
    if (this.hosts.has(child)) {
      this.addHost(child, parent);
      return;
    }
    throw new InventoryValueError(`${child} is not a known host nor group`);
  }

  /** Ansible's set_variable: a group of that name wins over a host of that name. */
  setVariable(entity: string, key: string, value: unknown): void {
    const target = this.groups.get(entity) ?? this.hosts.get(entity);
    if (!target) throw new InventoryValueError(`Could not identify group or host named ${entity}`);
    if (key === 'ansible_group_priority' && target instanceof Group) target.priority = Number.parseInt(String(value), 10);
    else setVar(target, key, value, this.at);
  }

  /** Ansible's reconcile_inventory. */
  reconcile(): void {
    const all = this.groups.get('all')!;
    const ungrouped = this.groups.get('ungrouped')!;
    for (const g of this.groups.values()) {
      if (g !== all && g.parents.length === 0) this.addChild('all', g.name);
    }
    for (const h of this.hosts.values()) {
      const mine = h.groups();
      if (mine.includes(ungrouped)) {
        if (mine.some((g) => g !== all && g !== ungrouped)) {
          ungrouped.hosts.splice(ungrouped.hosts.indexOf(h), 1);
          h.direct.splice(h.direct.indexOf(ungrouped), 1);
        }
      } else if (mine.length === 0 || (mine.length === 1 && mine[0] === all)) {
        this.addHost(h.name, 'ungrouped');
      }
    }
  }

  /** Hosts in the order `all` yields them (Ansible's get_hosts('all')). */
  allHostsInOrder(): HostEntry[] {
    return this.groups.get('all')!.allHosts();
  }

  /** Ansible's `group_names`: the host's groups without `all`, sorted. */
  groupNames(host: string): string[] {
    const h = this.hosts.get(host);
    return h ? h.groups().map((g) => g.name).filter((g) => g !== 'all').sort(cmp) : [];
  }

  /** Ansible's `groups`: every group with all its hosts, descendants included. */
  groupMembers(): Record<string, string[]> {
    return Object.fromEntries([...this.groups.values()].map((g) => [g.name, g.allHosts().map((h) => h.name)]));
  }

  /** Group depth: longest path from `all` (Ansible updates it incrementally to the same value). */
  depth(group: Group): number {
    const memo = new Map<Group, number>();
    const d = (g: Group): number => {
      const known = memo.get(g);
      if (known !== undefined) return known;
      const v = g.parents.length ? Math.max(...g.parents.map((p) => d(p) + 1)) : 0;
      memo.set(g, v);
      return v;
    };
    return d(group);
  }

  /** Groups sorted as Ansible's sort_groups: depth, priority, name. */
  sortGroups(groups: readonly Group[]): Group[] {
    const keyed = groups.map((g) => ({ g, depth: this.depth(g) }));
    keyed.sort((a, b) => a.depth - b.depth || a.g.priority - b.g.priority || cmp(a.g.name, b.g.name));
    return keyed.map((k) => k.g);
  }
}

/** Code-point string order, as Python compares str. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

