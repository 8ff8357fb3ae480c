// Locks the public surface of @shipshape/esxi.
import { describe, expect, it } from '@jest/globals';
import * as esxi from './index.js';

describe('@shipshape/esxi exports', () => {
  it('is exactly this list', () => {
    expect(Object.keys(esxi).sort()).toEqual([
      'RESTORE_PATH', 'backupConfig', 'backupConfigSchema', 'bootbankFact', 'bundleName', 'bundleStamp',
      'bundlesToPrune', 'datastorePath', 'encryptionModeFact', 'esxcliSystemFact', 'esxiFacts', 'esxiReleaseFact', 'esxiVersionFact', 'hostBundles', 'hostUuidFact', 'inspectBundle', 'listVms',
      'maintenanceCommand', 'maintenanceMode', 'maintenanceModeFact', 'maintenanceModeSchema', 'parseAutoBackup', 'parseBackupConfig', 'parseBootbank', 'parseEncryptionMode',
      'parseEsxcliVersion', 'parseGetAllVms', 'parseHostSummaryMaintenance', 'parseMaintenanceMode', 'parseManifest', 'parsePowerState', 'parseSshConfigList', 'parseUuid', 'parseVmwareRelease', 'parseVmwareVersion', 'persistConfig', 'persistConfigSchema',
      'planBackupConfig', 'planMaintenanceMode', 'planPersistConfig', 'planRestoreConfig', 'planSshdSettings', 'planVm', 'recoveryIdFact', 'registerVm', 'restoreCommand', 'restoreConfig',
      'restoreConfigSchema', 'sshdSettings', 'sshdSettingsSchema', 'startVm', 'stateDigest', 'stateFiles', 'stopVm', 'unregisterVm', 'unsavedFiles', 'viewBundle', 'vm', 'vmSchema', 'vmxFilePath',
    ]);
  });
  it('module factories carry their definitions under the names the CLI uses', () => {
    expect([esxi.persistConfig, esxi.maintenanceMode, esxi.backupConfig, esxi.restoreConfig].map((f) => f.module.name)).toEqual([
      'esxi.persistConfig', 'esxi.maintenanceMode', 'esxi.backupConfig', 'esxi.restoreConfig',
    ]);
    expect(esxi.persistConfig().options).toEqual({});
  });
});
