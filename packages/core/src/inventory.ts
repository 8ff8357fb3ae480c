import type { HostSpec, InventoryView } from './types.js';

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/**
 * A minimal inventory of known hosts with groups (from `vars.groups`): `all`, names, groups, globs,
 * `a:b` / `a,b` unions, `:&` intersections and `:!` exclusions. @shipshape/inventory has the full one.
 */
export function staticInventory(hosts: readonly HostSpec[]): InventoryView {
  const groupsOf = (h: HostSpec) => (Array.isArray(h.vars.groups) ? (h.vars.groups as string[]) : []);
  const term = (p: string): HostSpec[] => {
    if (p === 'all' || p === '*') return [...hosts];
    const re = glob(p);
    return hosts.filter((h) => re.test(h.name) || groupsOf(h).some((g) => re.test(g)));
  };
  return {
    hosts,
    select(pattern: string): HostSpec[] {
      let selected = new Set<HostSpec>();
      const parts = pattern.split(/[:,]/).filter(Boolean);
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
