// Public surface of @shipshape/proxmox: vzdump (OpenVZ/PVE 3.x) with off-host generations.
export { vzdump, selectTargets, intervalNotElapsed } from './vzdump/module.js';
export type { VzdumpArgs, VzdumpData, VzdumpFacts } from './vzdump/module.js';
export { dumpContainer, vzdumpCommand } from './vzdump/dump.js';
export type { DumpOptions, DumpedArchive, VzdumpMode, VzdumpCompress } from './vzdump/dump.js';
export { parseVzdumpOutput, logPathOf, ARCHIVE_NAME } from './vzdump/output.js';
export type { VzdumpReport, VzdumpBackup, GuestType } from './vzdump/output.js';
export { containersFact, parseVzlistStatus } from './facts.js';
export type { ContainerStatus, ContainerState } from './facts.js';
export { VzdumpError } from './errors.js';
