// The public surface of @shipshape/xen is locked: adding or removing an export is a visible change.
import { describe, expect, it } from '@jest/globals';
import * as xen from './index.js';

describe('@shipshape/xen exports', () => {
  it('lists exactly these runtime exports', () => {
    expect(Object.keys(xen).sort()).toEqual([
      'BACKUP', 'BASE_PACKAGES', 'REGISTRY_HEADER', 'applyInRoot', 'authorizedKeys', 'basePackages', 'choosePairOctet', 'chrootConnection',
      'converge', 'createImageArgs', 'destroyedBy', 'etckeeper', 'exim4Satellite', 'guest', 'guestDifferences', 'guestMac', 'guestRoot',
      'guestRootSchema', 'guestSchema', 'hostingRoles', 'jailKeysFile', 'locale', 'loginAlert', 'modules', 'muninNode', 'nrpe', 'pair',
      'parseCfgEntries', 'parseDisk', 'parseInstallSummary', 'parseRegistry', 'parseVif', 'parseXenCfg', 'parseXenState', 'parseXlList',
      'planGuest', 'planGuestRoot', 'planRegistryEntry', 'planVif', 'registryEntry', 'registryEntrySchema', 'registryFacts', 'registryOctet',
      'renderRegistryRow', 'renderVif', 'replaceVifs', 'resticBackup', 'rkhunter', 'rootAliases', 'sameMac', 'sftpJail', 'timezone', 'toMb',
      'vif', 'vifSchema', 'xenFacts', 'xenStateCommand', 'xenStateFact',
    ]);
  });
});
