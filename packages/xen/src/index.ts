// Public surface of @shipshape/xen: an explicit list; internals stay under src/internal/.
export { guest } from './modules/guest.js';
export { guestSchema, planGuest, createImageArgs, guestDifferences, destroyedBy, toMb } from './modules/guest-plan.js';
export type { GuestArgs, GuestFacts, CreateStep } from './modules/guest-plan.js';
export { vif, vifSchema, planVif } from './modules/vif.js';
export type { VifArgs } from './modules/vif.js';
export { guestRoot, guestRootSchema, planGuestRoot } from './modules/guest-root.js';
export type { GuestRootArgs } from './modules/guest-root.js';
export { pair, xenFacts, registryFacts, choosePairOctet } from './pair.js';
export type { PairOptions, PairSubnet, GuestSize, OctetRequest } from './pair.js';
export { sftpJail, authorizedKeys, jailKeysFile, resticBackup, BACKUP } from './hooks.js';
export type { SftpJailOptions, ResticBackupOptions } from './hooks.js';
export {
  hostingRoles, basePackages, BASE_PACKAGES, etckeeper, muninNode, exim4Satellite, nrpe, locale, timezone, rootAliases, loginAlert, rkhunter, converge,
} from './roles.js';
export type { HostingRolesOptions, MuninNodeOptions, Exim4SatelliteOptions, NrpeOptions } from './roles.js';
export { parseRegistry, renderRegistryRow, registryOctet, registryEntry, registryEntrySchema, planRegistryEntry, REGISTRY_HEADER } from './guest-registry.js';
export type { RegistryKind, RegistryRow, PairRegistry, RegistryEntryArgs } from './guest-registry.js';
export { parseXenCfg, parseCfgEntries, parseVif, parseDisk, renderVif, replaceVifs } from './facts/cfg.js';
export type { XenGuestConfig, XenVif, XenDisk, CfgEntry } from './facts/cfg.js';
export { parseXlList } from './facts/xl.js';
export type { XlDomain } from './facts/xl.js';
export { xenStateFact, xenStateCommand, parseXenState } from './facts/state.js';
export type { XenHostState, XenGuestFacts } from './facts/state.js';
export { parseInstallSummary } from './summary.js';
export type { InstallSummary } from './summary.js';
export { guestMac, sameMac } from './mac.js';
export { chrootConnection, applyInRoot } from './internal/chroot.js';
export type { HookReport } from './internal/chroot.js';
export { modules } from './registry.js';
