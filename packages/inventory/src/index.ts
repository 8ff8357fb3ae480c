// Public surface of @shipshape/inventory: an explicit list; internals stay under src/internal/.
export { loadInventory, Inventory } from './inventory.js';
export type { LoadInventoryOptions, InventoryGroup } from './inventory.js';
export { inventory } from './define.js';
export type { InventoryDefinition, GroupDefinition } from './define.js';
export { renderList, renderHost, renderGraph, listHosts, listData } from './render.js';
export { inventoryCommand } from './command.js';
export type { InventoryCommandOptions } from './command.js';
export { CONNECTION_VARS } from './internal/connection.js';
export type { ConnectionDefaults } from './internal/connection.js';
export { VaultValue } from './internal/secrets.js';
export { decryptVault, encryptVault, readVaultPassword } from './internal/vault.js';
