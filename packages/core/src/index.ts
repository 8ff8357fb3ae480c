// Public surface of @shipshape/core: an explicit list, internals stay under src/internal/.
export { ShipshapeError, ConnectError, CommandError, ArgumentError, InventoryError, ModuleError, PlaybookError } from './errors.js';
export type { ErrorCode, UnreachableReason } from './errors.js';
export { sh, cmd, quote, raw, secret, Secret, RawShell, joinCommands, maskSecrets } from './command.js';
export type { Command, Arg } from './command.js';
export { defineModule, parseArgs, noChange, changes } from './module.js';
export type { ModuleFactory, ModuleSpec } from './module.js';
export { playbook, task, block, taskName } from './playbook.js';
export type * from './types.js';
