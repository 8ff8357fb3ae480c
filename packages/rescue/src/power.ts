/**
 * The `ipmi.power` module: a host's chassis power through its BMC (ipmitool on the controller,
 * credentials from the host's `bmc_*` vars). Without `state` it only reads the power state.
 */
import { changes, defineModule, noChange, type Host, type Plan, type TaskResult } from '@shipshape/core';
import { z } from 'zod';
import { bmcFromVars, chassisPower, chassisPowerStatus, type BmcTarget, type ChassisPower, type PowerControl } from './ipmitool.js';

export const ipmiPowerSchema = z
  .object({
    /** on / off (hard) / soft (ACPI shutdown): idempotent; cycle / reset: always act (an off chassis is powered on). Without it: read the state only. */
    state: z.enum(['on', 'off', 'soft', 'cycle', 'reset']).optional()
      .describe('on / off (hard) / soft (ACPI shutdown): idempotent; cycle / reset: always act (an off chassis is powered on). Without it: read the state only.'),
    /** Seconds to wait until `chassis power status` reads the wanted state after on, off or soft. */
    waitSeconds: z.number().int().min(0).default(60).describe('Seconds to wait until `chassis power status` reads the wanted state after on, off or soft.'),
  })
  .strict();
export type IpmiPowerArgs = z.output<typeof ipmiPowerSchema>;

export interface IpmiPowerFacts {
  readonly host: string;
  readonly power: ChassisPower;
}

/** The control to send and the state it must lead to (undefined: none to wait for). */
export interface PowerStep {
  readonly control: PowerControl;
  readonly expect?: ChassisPower;
}

/** Pure: the chassis control the wanted state needs, or why none. */
export function planIpmiPower(args: IpmiPowerArgs, facts: IpmiPowerFacts): Plan<{ power: ChassisPower } & Partial<PowerStep>> {
  const { power } = facts;
  const s = args.state;
  if (s === undefined) return noChange(`chassis power is ${power}`, { power });
  if ((s === 'on' && power === 'on') || ((s === 'off' || s === 'soft') && power === 'off')) return noChange(`chassis power is already ${power}`, { power });
  // Cycle and reset of a chassis that is off: IPMI leaves it off (or refuses); power it on instead.
  const step: PowerStep = s === 'on' || ((s === 'cycle' || s === 'reset') && power === 'off') ? { control: 'on', expect: 'on' }
    : s === 'off' || s === 'soft' ? { control: s, expect: 'off' } : { control: s };
  return changes(`chassis power ${step.control}${step.control !== s ? ` (was off; ${s} asked)` : ''}`, [
    { kind: 'call', describe: `ipmitool chassis power ${step.control}`, run: (h) => powerControl(h, step, args.waitSeconds) },
  ], { result: { power, ...step } });
}

/** Send the control, then wait (at most `waitSeconds`) until the chassis reads the state it leads to. */
async function powerControl(host: Host, step: PowerStep, waitSeconds: number): Promise<Partial<TaskResult>> {
  const t = bmcFromVars(host.name, host.vars);
  const said = await chassisPower(t, step.control);
  if (!step.expect) return { msg: `Chassis Power Control: ${said}`, data: { power: await chassisPowerStatus(t) } };
  const now = await waitForPower(t, step.expect, waitSeconds);
  if (now !== step.expect) {
    return { status: 'failed', msg: `Chassis Power Control: ${said}, but chassis power is still ${now} after ${waitSeconds} s`, data: { power: now } };
  }
  return { msg: `Chassis Power Control: ${said}; chassis power is ${now}`, data: { power: now } };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** After a control: read the status until it is `expect` (at most `seconds`); the last state read. */
export async function waitForPower(t: BmcTarget, expect: ChassisPower, seconds: number): Promise<ChassisPower> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const now = await chassisPowerStatus(t);
    if (now === expect || Date.now() >= deadline) return now;
    await pause(250);
  }
}

/**
 * Power a host's chassis on or off through its BMC, or read its state (`register` it: `power` in the
 * result). ipmitool runs on the controller, never on the host; the host's inventory gives
 * `bmc_address`, `bmc_user`, `bmc_password` (vault it; it is passed in IPMI_PASSWORD, never on a
 * command line, and masked). A host that is off cannot be connected to: give BMC plays a local
 * connection (`ansible_connection=local`, as Ansible's ipmi_power plays do). After on/off/soft it
 * waits until `chassis power status` reads the new state, else it fails.
 * @example
 * ipmiPower({ state: 'off' }, { name: 'fence the failed host' })
 */
export const ipmiPower = defineModule({
  name: 'ipmi.power',
  description: 'Chassis power of a host through its BMC (ipmitool -I lanplus): on, off, soft, cycle, reset, or read it',
  schema: ipmiPowerSchema,
  gather: async (host: Host) => ({ host: host.name, power: await chassisPowerStatus(bmcFromVars(host.name, host.vars)) }),
  plan: planIpmiPower,
});
