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

describe('@shipshape/xen types', () => {
  it('reject wrong arguments at compile time (checked by tsc -p tsconfig.json)', () => {
    // @ts-expect-error state is one of present|running|stopped|absent
    const a = () => xen.guest({ hostname: 'a', ips: ['10.0.0.1'], state: 'started' });
    // @ts-expect-error vcpus is a number
    const b = () => xen.guest({ hostname: 'a', ips: ['10.0.0.1'], vcpus: '2' });
    // @ts-expect-error ip is required
    const c = () => xen.vif({ guest: 'a' });
    // @ts-expect-error backupHost is required
    const d = () => xen.pair({ name: 'a', domain: 'example.org', size: { memory: '1G', size: '1G', swap: '1G', vcpus: 1 }, hosting: net, backup: net });
    expect([a, b, c, d].every((f) => typeof f === 'function')).toBe(true);
  });
});

const net = { prefix: '10.0.0', netmask: '255.255.255.0', gateway: '10.0.0.1', bridge: 'xenbr0' };
