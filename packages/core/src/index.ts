// Public surface of @shipshape/core: an explicit list, internals stay under src/internal/. What module
// authors need beyond it (file probes, shell word splitting) is in ./module-kit.ts (@shipshape/core/module-kit).
export { ShipshapeError, ConnectError, CommandError, ArgumentError, InventoryError, ModuleError, PlaybookError, errorMessage } from './errors.js';
export type { ErrorCode, UnreachableReason } from './errors.js';
export { sh, cmd, quote, raw, script, RawShell, joinCommands, pathArg } from './command.js';
export { secret, Secret, maskSecrets, maskDeep, reveal, registerSecretValue, MASK } from './secrets.js';
export type { Command, Arg, ChecksumAlgorithm, Probe, ProbeRequest, ProbedPath } from './command.js';
export { defineModule, parseArgs, noChange, changes, failure, moduleIndex, moduleName } from './module.js';
export type { ModuleFactory, AnyModuleFactory, ModuleSpec, ModuleSet, ModuleEntry } from './module.js';
export { playbook, task, block, taskName, TASK_OPTION_NAMES, PLAY_FIELD_NAMES } from './playbook.js';
export { run, DEFAULT_TASK_TIMEOUT_S, NO_LOG_MSG, batches as serialBatches } from './runner.js';
export type { RunOptions, RunSummary, SharedHostState } from './runner.js';
export { sshConnect, SshConnection } from './connection/ssh.js';
export { checkHostKey, entriesFor, knownHostsName, matchHostPatterns, type HostKeyStatus, type HostKeyVerdict, type KnownHostEntry } from './connection/known-hosts.js';
export { LocalConnection } from './connection/local.js';
export { nestedConnection, withEnvAndCwd, catUploadCommand, type NestedSpec } from './connection/nested.js';
export { hostnameFact, osReleaseFact, kernelFact, whichFact, parseOsRelease } from './facts.js';
export type { KernelFact } from './facts.js';
export { setupFact, parseSetupOutput, ansibleFactsView } from './setup-facts.js';
export { staticInventory } from './inventory.js';
export { pyCompile, pySearch, pyMatch, pyExpand, pySubn } from './pyregex.js';
export type { PyRegex } from './pyregex.js';
export { loadJinja, loadedJinja } from './jinja/index.js';
export { mergeVars, extendVars, hasTemplates, inventoryMagic, OMIT } from './vars.js';
export type { JinjaEngine } from './jinja/index.js';
export { z } from 'zod';
export type * from './types.js';
