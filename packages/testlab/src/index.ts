// Public surface of @shipshape/testlab.
export { startLab } from './lab.js';
export type { StartLabOptions, LabHostOptions } from './lab.js';
export { Lab } from './lab-object.js';
export type { LabHost } from './lab-object.js';
export { stopLab, labStatus, cleanStaleLabs, ensureSshd, requireRoot } from './admin.js';
export type { LabStatus, LabHostStatus } from './admin.js';
export { listProfiles, resolveProfile, profilesDir } from './profiles.js';
export type { Profile, ProfileBase } from './profiles.js';
export { labInventory, renderInventoryIni } from './inventory.js';
export type { InventoryEntry } from './inventory.js';
export { LabError } from './errors.js';
export { LAB_BASE } from './internal/paths.js';
export type { ProcResult as ExecResult } from './internal/proc.js';
export { localShells } from './shells.js';
export type { LocalShell } from './shells.js';
