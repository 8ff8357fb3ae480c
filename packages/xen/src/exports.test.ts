// The public surface of @shipshape/xen is locked: adding or removing an export is a visible change.
import { describe, expect, it } from '@jest/globals';
import * as xen from './index.js';

describe('@shipshape/xen exports', () => {
  it('lists exactly these runtime exports', () => {
    expect(Object.keys(xen).sort()).toEqual([
      'applyInRoot', 'choosePairOctet', 'chrootConnection', 'createImageArgs', 'destroyedBy', 'guest', 'guestDifferences', 'guestMac',
      'guestSchema', 'pair', 'parseCfgEntries', 'parseDisk', 'parseInstallSummary', 'parseVif', 'parseXenCfg', 'parseXenState',
      'parseXlList', 'planGuest', 'planVif', 'renderVif', 'replaceVifs', 'sameMac', 'sftpJail', 'toMb', 'vif', 'vifSchema',
      'xenFacts', 'xenStateCommand', 'xenStateFact',
    ]);
  });
});
