import type { HostSpec, InventoryView } from '@shipshape/core';

/** A lab host as the inventory sees it: its spec and its group (the profile name). */
export interface InventoryEntry {
  readonly spec: HostSpec;
  readonly group: string;
}

const glob = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/**
 * An InventoryView over lab hosts. Patterns as in Ansible: `all`, `*`, host names, group names
 * (profiles), simple globs (`web*`), lists separated by `,` or `:`, `!x` to exclude, `&x` to intersect.
 * @example labInventory(entries).select('debian:!web2')
 */
export function labInventory(entries: readonly InventoryEntry[]): InventoryView {
  const match = (term: string): Set<string> => {
    if (term === 'all' || term === '*') return new Set(entries.map((e) => e.spec.name));
    const re = glob(term);
    return new Set(entries.filter((e) => re.test(e.spec.name) || re.test(e.group)).map((e) => e.spec.name));
  };
  return {
    hosts: entries.map((e) => e.spec),
    select(pattern: string): HostSpec[] {
      const terms = pattern.split(/[,:]/).map((t) => t.trim()).filter(Boolean);
      let chosen = new Set<string>();
      for (const t of terms.filter((x) => !/^[!&]/.test(x))) for (const n of match(t)) chosen.add(n);
      for (const t of terms.filter((x) => x.startsWith('&'))) {
        const keep = match(t.slice(1));
        chosen = new Set([...chosen].filter((n) => keep.has(n)));
      }
      for (const t of terms.filter((x) => x.startsWith('!'))) for (const n of match(t.slice(1))) chosen.delete(n);
      return entries.filter((e) => chosen.has(e.spec.name)).map((e) => e.spec);
    },
  };
}

const q = (v: string): string => `'${v}'`;

/** An Ansible INI inventory: one group per profile, connection vars on every host. */
export function renderInventoryIni(entries: readonly InventoryEntry[], knownHostsPath: string): string {
  const groups = [...new Set(entries.map((e) => e.group))];
  const sshArgs = `-o UserKnownHostsFile=${knownHostsPath} -o StrictHostKeyChecking=yes`;
  const line = ({ spec }: InventoryEntry): string => {
    const c = spec.connection;
    return `${spec.name} ansible_host=${c.host} ansible_port=${c.port ?? 22} ansible_user=${c.user ?? 'root'}` +
      ` ansible_ssh_private_key_file=${c.privateKeyPath ?? ''} ansible_ssh_common_args=${q(sshArgs)}`;
  };
  const sections = groups.map((g) => [`[${g}]`, ...entries.filter((e) => e.group === g).map(line)].join('\n'));
  return `# shipshape test lab inventory (generated)\n${sections.join('\n\n')}\n`;
}
