/**
 * TypeScript inventories: a `.ts` file default-exports `inventory({...})` (or a function
 * returning one, possibly async, for inventories computed at load time).
 */
import type { Vars } from '@shipshape/core';

export interface GroupDefinition {
  /** Host names (ranges like `web[01:03]` allowed) or host name → host variables. */
  readonly hosts?: readonly string[] | Readonly<Record<string, Vars | null>>;
  /** Child group names, or child name → nested group definition. */
  readonly children?: readonly string[] | Readonly<Record<string, GroupDefinition | null>>;
  readonly vars?: Vars;
}

export interface InventoryDefinition {
  /** Variables of the `all` group. */
  readonly vars?: Vars;
  /** Hosts outside any group (they land in `ungrouped`), name → variables. */
  readonly hosts?: readonly string[] | Readonly<Record<string, Vars | null>>;
  /** Groups by name. */
  readonly groups?: Readonly<Record<string, GroupDefinition>>;
}

/**
 * Declare an inventory in TypeScript; same model as Ansible's YAML inventories.
 * @example
 * // inventory/prod.ts
 * import { inventory } from '@shipshape/inventory';
 * export default inventory({
 *   vars: { ansible_user: 'root' },
 *   groups: {
 *     esxi: { hosts: { 'esx[01:03].lan': { ss_port: 22 } }, vars: { ss_known_hosts: '/etc/ss/known_hosts' } },
 *     web: { hosts: ['web1', 'web2'] },
 *     prod: { children: ['esxi', 'web'] },
 *   },
 * });
 */
export function inventory(definition: InventoryDefinition): InventoryDefinition {
  return definition;
}
