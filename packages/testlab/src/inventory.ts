import { staticInventory, type HostSpec, type InventoryView } from '@shipshape/core';

/** A lab host as the inventory sees it: its spec and its group (the profile name). */
export interface InventoryEntry {
  readonly spec: HostSpec;
  readonly group: string;
}

/**
 * An InventoryView over lab hosts (core's staticInventory, groups = profile names). Patterns as in
 * Ansible: `all`, `*`, host names, groups, simple globs, `,`/`:` lists, `!x` to exclude, `&x` to intersect.
 * @example labInventory(entries).select('debian:!web2')
 */
export function labInventory(entries: readonly InventoryEntry[]): InventoryView {
  const groupOf = new Map(entries.map((e) => [e.spec.name, e.group]));
  return staticInventory(entries.map((e) => e.spec), (h) => [groupOf.get(h.name) ?? '']);
}

const q = (v: string): string => `'${v}'`;

/** An Ansible INI inventory: one group per profile, connection vars on every host. */
export function renderInventoryIni(entries: readonly InventoryEntry[], knownHostsPath: string): string {
  const groups = [...new Set(entries.map((e) => e.group))];
  const sshArgs = `-o UserKnownHostsFile=${knownHostsPath} -o StrictHostKeyChecking=yes`;
  const line = ({ spec }: InventoryEntry): string => {
    const c = spec.connection;
    return `${spec.name} ansible_host=${c.host} ansible_port=${c.port ?? 22} ansible_user=${c.user ?? 'root'}` +
      ` ansible_ssh_private_key_file=${c.privateKeyPath ?? ''} ansible_ssh_common_args=${q(sshArgs)}` +
      ['bmc_address', 'bmc_user', 'bmc_password'].filter((k) => spec.vars[k] !== undefined).map((k) => ` ${k}=${String(spec.vars[k])}`).join('');
  };
  const sections = groups.map((g) => [`[${g}]`, ...entries.filter((e) => e.group === g).map(line)].join('\n'));
  return `# shipshape test lab inventory (generated)\n${sections.join('\n\n')}\n`;
}
