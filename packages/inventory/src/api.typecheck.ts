/**
 * Compile-time checks of the public types (run by `npm run typecheck`): each `@ts-expect-error` line
 * must fail to compile, or the type check fails. Nothing calls this.
 */
import { inventory, inventoryCommand, loadInventory } from './index.js';

export function apiTypeChecks(): unknown[] {
  return [
    inventory({ groups: { web: { hosts: ['a'] } } }),
    // @ts-expect-error groups take hosts/children/vars, not `host`
    inventory({ groups: { web: { host: ['a'] } } }),
    // @ts-expect-error children are names or nested group definitions
    inventory({ groups: { prod: { children: [1, 2] } } }),
    // @ts-expect-error sources are strings
    loadInventory(42),
    // @ts-expect-error sshConfigPath is a path or false
    loadInventory('hosts', { sshConfigPath: true }),
    // @ts-expect-error the inventory source is required
    inventoryCommand({ list: true }),
  ];
}
