import { describe, expect, it } from '@jest/globals';
import * as testlab from './index.js';

describe('@shipshape/testlab public surface', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(testlab).sort()).toEqual([
      'LAB_BASE', 'Lab', 'LabError', 'cleanStaleLabs', 'ensureSshd', 'labInventory', 'labStatus', 'listProfiles', 'localShells',
      'profilesDir', 'renderInventoryIni', 'requireRoot', 'resolveProfile', 'startLab', 'stopLab',
    ]);
  });
});
