// Public surface of @shipshape/proxmox: vzdump (OpenVZ: vzdump 1.x and PVE; Proxmox VE's LXC) with off-host generations, and restore;
// Proxmox VE facts, containers (pct), VMs (qm), templates (pveam) and restore drills.
export { vzdump, selectTargets, intervalNotElapsed } from './vzdump/module.js';
export type { VzdumpArgs, VzdumpData, VzdumpFacts } from './vzdump/module.js';
export { dumpContainer } from './vzdump/dump.js';
export type { DumpedArchive } from './vzdump/dump.js';
export { vzdumpCommand, vzdumpDialectFact, parseVzdumpHelp } from './vzdump/dialect.js';
export type { DumpOptions, VzdumpMode, VzdumpCompress, VzdumpDialect, VzdumpDialectName } from './vzdump/dialect.js';
export { parseVzdumpOutput, logPathOf, ARCHIVE_NAME } from './vzdump/output.js';
export type { VzdumpReport, VzdumpBackup, GuestType } from './vzdump/output.js';
export { vzrestore, vzrestoreSchema, restoreCommand, pickArchive } from './vzdump/restore.js';
export { nodeContainersFact, parseNodeContainers, LISTINGS } from './vzdump/node.js';
export type { ContainerTool, NodeContainers } from './vzdump/node.js';
export type { VzrestoreArgs, VzrestoreFacts, RestoreTool } from './vzdump/restore.js';
export { VzdumpError } from './errors.js';
export { modules } from './registry.js';
export {
  pveversionFact, nodesFact, storagesFact, pctListFact, pctConfigFact, qmListFact, qmConfigFact, pveamListFact,
  parsePveversion, parseStorages, parsePctList, parseGuestConfig, parseQmList, parsePveamList,
} from './pve/facts.js';
export type { PveVersion, PveNodes, PveStorage, VmInfo, PveTemplate } from './pve/facts.js';
export { container } from './pve/container.js';
export { containerSchema, planContainer } from './pve/container-plan.js';
export type { ContainerArgs, PctFacts } from './pve/container-plan.js';
export { vm } from './pve/vm.js';
export { vmSchema, planVm } from './pve/vm-plan.js';
export type { VmArgs, QmFacts } from './pve/vm-plan.js';
export { template, templateSchema, planTemplate } from './pve/template.js';
export type { TemplateArgs, TemplateFacts } from './pve/template.js';
export { restoreDrill, restoreDrillSchema, planDrill } from './pve/drill.js';
export type { RestoreDrillArgs, RestoreDrillFacts, DrillRecord } from './pve/drill.js';
