// Locks the public surface of @shipshape/esxi.
import { describe, expect, it } from '@jest/globals';
import * as esxi from './index.js';

describe('@shipshape/esxi exports', () => {
  it('is exactly this list', () => {
    expect(Object.keys(esxi).sort()).toEqual([
      'RESTORE_PATH', 'backupConfig', 'backupConfigSchema', 'bootbankFact', 'bundleName', 'bundleStamp',
      'bundlesToPrune', 'datastorePath', 'encryptionModeFact', 'esxcliSystemFact', 'esxiFacts', 'esxiReleaseFact', 'esxiVersionFact', 'hostBundles', 'hostUuidFact', 'inspectBundle', 'listVms',
      'maintenanceCommand', 'maintenanceMode', 'maintenanceModeFact', 'maintenanceModeSchema', 'modules', 'parseAutoBackup', 'parseBackupConfig', 'parseBootbank', 'parseEncryptionMode',
      'parseEsxcliVersion', 'parseGetAllVms', 'parseHostSummaryMaintenance', 'parseMaintenanceMode', 'parseManifest', 'parsePowerState', 'parseSshConfigList', 'parseUuid', 'parseVmwareRelease', 'parseVmwareVersion', 'persistConfig', 'persistConfigSchema',
      'planBackupConfig', 'planMaintenanceMode', 'planPersistConfig', 'planRestoreConfig', 'planSshdSettings', 'planVm', 'recoveryIdFact', 'registerVm', 'restoreCommand', 'restoreConfig',
      'restoreConfigSchema', 'sshdSettings', 'sshdSettingsSchema', 'startVm', 'stateDigest', 'stateFiles', 'stopVm', 'unregisterVm', 'unsavedFiles', 'viewBundle', 'vm', 'vmSchema', 'vmxFilePath',
    ]);
  });
  it('module factories carry their definitions under the names the CLI uses', () => {
    expect(Object.entries(esxi.modules).map(([k, f]) => [k, f.module.name])).toEqual([
      ['backupConfig', 'esxi.backupConfig'], ['maintenanceMode', 'esxi.maintenanceMode'], ['persistConfig', 'esxi.persistConfig'],
      ['restoreConfig', 'esxi.restoreConfig'], ['sshdSettings', 'esxi.sshdSettings'], ['vm', 'esxi.vm'],
    ]);
    expect(esxi.persistConfig().options).toEqual({});
  });
});
