// Public surface of @shipshape/rescue: an explicit list.
export { bmcFromVars, ipmitoolArgs, ipmitool, parsePowerStatus, parsePowerControl, chassisPowerStatus, chassisPower, BmcError } from './ipmitool.js';
export type { BmcTarget, ChassisPower, PowerControl, IpmitoolResult } from './ipmitool.js';
export { ipmiPower, ipmiPowerSchema, planIpmiPower, waitForPower } from './power.js';
export type { IpmiPowerArgs, IpmiPowerFacts, PowerStep } from './power.js';
export { modules } from './registry.js';
export { definePolicy, parsePolicy, policySchema, protectedVms } from './policy.js';
export type { RescuePolicy, RescuePolicyInput } from './policy.js';
export { decide, chooseHost, initialState } from './decide.js';
export type { Action, Decision, EventType, HostObservation, HostRecord, HostStatus, Move, ObservedVm, Observation, Outcome, Recovery, RescueEvent, VmPower, WatcherState } from './decide.js';
export { storePaths, loadState, saveState, pausedInfo, setPaused, watcherInfo, eventLine, appendEvents } from './store.js';
export type { StorePaths, PauseInfo, WatcherInfo } from './store.js';
export { sendNotification } from './notify.js';
export { watch } from './watch.js';
export type { WatchOptions } from './watch.js';
export { isAlive as processAlive } from './internal/process.js';
export { shutdownTasks, startupTasks, stopGroupTask, startGroupTask, listVmsTask, pauseTask } from './order.js';
