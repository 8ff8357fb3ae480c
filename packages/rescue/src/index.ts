// Public surface of @shipshape/rescue: an explicit list.
export { bmcFromVars, ipmitoolArgs, ipmitool, parsePowerStatus, parsePowerControl, chassisPowerStatus, chassisPower, BmcError } from './ipmitool.js';
export type { BmcTarget, ChassisPower, PowerControl, IpmitoolResult } from './ipmitool.js';
export { ipmiPower, ipmiPowerSchema, planIpmiPower, waitForPower } from './power.js';
export type { IpmiPowerArgs, IpmiPowerFacts, PowerStep } from './power.js';
export { modules } from './registry.js';
