// Public surface of @shipshape/esxi: an explicit list.
export { esxiVersionFact, esxiReleaseFact, maintenanceModeFact, bootbankFact, hostUuidFact, esxcliSystemFact, encryptionModeFact, recoveryIdFact, esxiFacts, parseBootbank } from './facts.js';
export {
  parseVmwareVersion, parseEsxcliVersion, parseMaintenanceMode, parseUuid, parseVmwareRelease, parseHostSummaryMaintenance, parseEncryptionMode, parseAutoBackup, parseBackupConfig, parseManifest, parseGetAllVms, parsePowerState, parseSshConfigList,
} from './parse.js';
export type { EsxiVersion, EsxiRelease, AutoBackupOutput, BundleLocation, BundleManifest, RegisteredVm, VmPowerState } from './parse.js';
export { sshdSettings, sshdSettingsSchema, planSshdSettings } from './sshd.js';
export type { SshdSettingsArgs, SshdSettingsFacts } from './sshd.js';
export { vm, vmSchema, planVm, listVms, stopVm, startVm, registerVm, unregisterVm, datastorePath, vmxFilePath } from './vm.js';
export type { VmArgs, VmState } from './vm.js';
export { persistConfig, persistConfigSchema, planPersistConfig, unsavedFiles } from './persist.js';
export { maintenanceMode, maintenanceModeSchema, planMaintenanceMode, maintenanceCommand } from './maintenance.js';
export type { MaintenanceModeArgs } from './maintenance.js';
export { backupConfig, backupConfigSchema, planBackupConfig } from './backup.js';
export type { BackupConfigArgs } from './backup.js';
export { restoreConfig, restoreConfigSchema, planRestoreConfig, restoreCommand, RESTORE_PATH } from './restore.js';
export type { RestoreConfigArgs, RestoreFacts } from './restore.js';
export { inspectBundle, viewBundle, stateDigest, stateFiles } from './bundle.js';
export type { BundleInfo, BundleView } from './bundle.js';
export { bundleName, bundleStamp, bundlesToPrune, hostBundles } from './internal/store.js';
export { modules } from './registry.js';
