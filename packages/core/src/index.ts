// Public surface of @shipshape/core: an explicit list, internals stay under src/internal/.
export { ShipshapeError, ConnectError, CommandError, ArgumentError, InventoryError, ModuleError, PlaybookError } from './errors.js';
export type { ErrorCode, UnreachableReason } from './errors.js';
export { sh, cmd, quote, raw, script, secret, Secret, RawShell, joinCommands, maskSecrets } from './command.js';
export type { Command, Arg } from './command.js';
export { defineModule, parseArgs, noChange, changes } from './module.js';
export type { ModuleFactory, ModuleSpec } from './module.js';
export { playbook, task, block, taskName } from './playbook.js';
export { run } from './runner.js';
export type { RunOptions, RunSummary } from './runner.js';
export { sshConnect, SshConnection } from './connection/ssh.js';
export { LocalConnection } from './connection/local.js';
export { HostImpl, becomeCommand } from './host.js';
export { hostnameFact, osReleaseFact, kernelFact, whichFact, standardFacts, parseOsRelease } from './facts.js';
export type { KernelFact } from './facts.js';
export { staticInventory } from './inventory.js';
export { normalizeMode } from './internal/file-commands.js';
export { shlexSplit } from './internal/shlex.js';
export type * from './types.js';
