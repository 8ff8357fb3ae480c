// Locks the public surface of @shipshape/rescue.
import { describe, expect, it } from '@jest/globals';
import * as rescue from './index.js';

describe('@shipshape/rescue exports', () => {
  it('is exactly this list', () => {
    expect(Object.keys(rescue).sort()).toEqual([
      'BmcError', 'appendEvents', 'bmcFromVars', 'chassisPower', 'chassisPowerStatus', 'chooseHost', 'decide', 'definePolicy', 'eventLine', 'initialState',
      'ipmiPower', 'ipmiPowerSchema', 'ipmitool', 'ipmitoolArgs', 'listVmsTask', 'loadState', 'modules', 'parsePolicy', 'parsePowerControl', 'parsePowerStatus',
      'pauseTask', 'pausedInfo', 'planIpmiPower', 'policySchema', 'processAlive', 'protectedVms', 'saveState', 'sendNotification', 'setPaused',
      'shutdownTasks', 'startGroupTask', 'startupTasks', 'stopGroupTask', 'storePaths', 'waitForPower', 'watch', 'watcherInfo',
    ]);
    expect(rescue.ipmiPower.module.name).toBe('ipmi.power');
  });
});
