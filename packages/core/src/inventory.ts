import type { HostSpec, InventoryView } from './types.js';

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/**
 * A minimal inventory of known hosts with groups: `all`, `*`, names, groups, globs, `a:b` / `a,b`
 * unions, `&x` intersections and `!x` exclusions. Groups come from `groupsOf` (default: `vars.groups`).
 * @shipshape/inventory has the full Ansible one.
 * @example staticInventory(hosts).select('web:!web2')
 */
export function staticInventory(
  hosts: readonly HostSpec[],
  groupsOf: (h: HostSpec) => readonly string[] = (h) => (Array.isArray(h.vars.groups) ? (h.vars.groups as string[]) : []),
): InventoryView {
  const term = (p: string): HostSpec[] => {
    if (p === 'all' || p === '*') return [...hosts];
    const re = glob(p);
    return hosts.filter((h) => re.test(h.name) || groupsOf(h).some((g) => re.test(g)));
  };
  return {
    hosts,
    groupNames: (name) => {
      const h = hosts.find((x) => x.name === name);
      const gs = h ? groupsOf(h).filter((g) => g !== 'all') : [];
      return gs.length ? [...new Set(gs)].sort() : ['ungrouped'];
    },
    groupMembers() {
      const out: Record<string, string[]> = { all: hosts.map((h) => h.name), ungrouped: [] };
      for (const h of hosts) {
        const gs = groupsOf(h).filter((g) => g !== 'all');
        if (!gs.length) out.ungrouped!.push(h.name);
        for (const g of gs) (out[g] ??= []).push(h.name);
      }
      return out;
    },
    select(pattern: string): HostSpec[] {
      let selected = new Set<HostSpec>();
      const parts = pattern.split(/[:,]/).map((t) => t.trim()).filter(Boolean);
      for (const part of parts.filter((x) => !/^[&!]/.test(x))) for (const h of term(part)) selected.add(h);
      for (const part of parts.filter((x) => x.startsWith('&'))) {
        const keep = new Set(term(part.slice(1)));
        selected = new Set([...selected].filter((h) => keep.has(h)));
      }
      for (const part of parts.filter((x) => x.startsWith('!'))) for (const h of term(part.slice(1))) selected.delete(h);
      return hosts.filter((h) => selected.has(h));
    },
  };
}
