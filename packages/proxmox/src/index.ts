// Public surface of @shipshape/proxmox: vzdump (OpenVZ: vzdump 1.x and PVE) with off-host generations, and restore.
export { vzdump, selectTargets, intervalNotElapsed } from './vzdump/module.js';
export type { VzdumpArgs, VzdumpData, VzdumpFacts } from './vzdump/module.js';
export { dumpContainer } from './vzdump/dump.js';
export type { DumpedArchive } from './vzdump/dump.js';
export { vzdumpCommand, vzdumpDialectFact, parseVzdumpHelp } from './vzdump/dialect.js';
export type { DumpOptions, VzdumpMode, VzdumpCompress, VzdumpDialect, VzdumpDialectName } from './vzdump/dialect.js';
export { parseVzdumpOutput, logPathOf, ARCHIVE_NAME } from './vzdump/output.js';
export type { VzdumpReport, VzdumpBackup, GuestType } from './vzdump/output.js';
export { vzrestore, vzrestoreSchema, restoreCommand, pickArchive } from './vzdump/restore.js';
export type { VzrestoreArgs, VzrestoreFacts, RestoreTool } from './vzdump/restore.js';
export { VzdumpError } from './errors.js';
export { modules } from './registry.js';
