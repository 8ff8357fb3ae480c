/**
 * Virtual machines on one host through `vim-cmd vmsvc/*`: listing with power state, a stop that
 * asks the guest first (guest shutdown, power off after a timeout), and the `esxi.vm` module.
 */
import { changes, defineModule, ModuleError, noChange, sh, type Host, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { parseGetAllVms, parsePowerState, type RegisteredVm, type VmPowerState } from './parse.js';

export interface VmState extends RegisteredVm {
  readonly power: VmPowerState;
}

async function vimCmd(host: Host, command: ReturnType<typeof sh>): Promise<string> {
  const r = await host.run(command, { allowFail: true });
  if (r.code !== 0) throw new ModuleError(`${host.name}: ${command.display} failed (rc=${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
  return r.stdout;
}

/** The registered VMs of a host with their power state (`getallvms`, then `power.getstate` each). */
export async function listVms(host: Host): Promise<VmState[]> {
  const vms = parseGetAllVms(await vimCmd(host, sh`vim-cmd vmsvc/getallvms`));
  const out: VmState[] = [];
  for (const vm of vms) out.push({ ...vm, power: parsePowerState(await vimCmd(host, sh`vim-cmd vmsvc/power.getstate ${vm.id}`)) });
  return out;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How often a shutting-down guest's power state is read again. */
const POLL_MS = 500;

/**
 * Stop a running VM: `power.shutdown` (a guest shutdown through VMware Tools), wait up to
 * `timeoutSeconds` for it to power off, then `power.off`. Returns how it stopped.
 */
export async function stopVm(host: Host, vm: RegisteredVm, timeoutSeconds: number): Promise<'shut down' | 'powered off'> {
  const state = async () => parsePowerState(await vimCmd(host, sh`vim-cmd vmsvc/power.getstate ${vm.id}`));
  const asked = await host.run(sh`vim-cmd vmsvc/power.shutdown ${vm.id}`, { allowFail: true });
  if (asked.code === 0) {
    const deadline = Date.now() + timeoutSeconds * 1000;
    while (Date.now() < deadline) {
      if ((await state()) !== 'on') return 'shut down';
      await pause(POLL_MS);
    }
  }
  // No VMware Tools, or the guest did not finish in time.
  if ((await state()) !== 'on') return 'shut down';
  await vimCmd(host, sh`vim-cmd vmsvc/power.off ${vm.id}`);
  return 'powered off';
}

export async function startVm(host: Host, vm: RegisteredVm): Promise<void> {
  await vimCmd(host, sh`vim-cmd vmsvc/power.on ${vm.id}`);
}

export const vmSchema = z
  .object({
    /** The VM's name as `vim-cmd vmsvc/getallvms` shows it. */
    name: z.string().min(1).describe('The VM\'s name as `vim-cmd vmsvc/getallvms` shows it.'),
    /** running: powered on; stopped: powered off (guest shutdown first). */
    state: z.enum(['running', 'stopped']).describe('running: powered on; stopped: powered off (guest shutdown first).'),
    /** Seconds a guest shutdown may take before the VM is powered off. */
    shutdownTimeoutSeconds: z.number().int().positive().default(120).describe('Seconds a guest shutdown may take before the VM is powered off.'),
  })
  .strict();
export type VmArgs = z.output<typeof vmSchema>;

/** Pure: the power operation that brings the VM to the wanted state. */
export function planVm(args: VmArgs, facts: { host: string; vms: readonly VmState[] }): Plan {
  const found = facts.vms.filter((v) => v.name === args.name);
  if (found.length !== 1) {
    throw new ModuleError(`${facts.host}: ${found.length ? `${found.length} VMs are` : 'no VM is'} registered as ${JSON.stringify(args.name)}`);
  }
  const vm = found[0]!;
  const result = { id: vm.id, name: vm.name, vmx: vm.vmx };
  const on = vm.power === 'on';
  if (on === (args.state === 'running')) return noChange(`${vm.name} is already ${on ? 'powered on' : 'powered off'}`);
  if (args.state === 'running') {
    return changes(`power on ${vm.name}`, [{ kind: 'exec', command: sh`vim-cmd vmsvc/power.on ${vm.id}` }], { result });
  }
  return changes(`stop ${vm.name}`, [
    { kind: 'call', describe: `guest shutdown of ${vm.name} (vmid ${vm.id}), power off after ${args.shutdownTimeoutSeconds} s`, run: async () => undefined },
  ], { result });
}

/**
 * Keep a registered VM powered on or off. Stopping asks the guest first (`power.shutdown`) and
 * powers the VM off only when it has not finished within `shutdownTimeoutSeconds`.
 * @example
 * vm({ name: 'web1', state: 'stopped', shutdownTimeoutSeconds: 60 })
 */
export const vm = defineModule({
  name: 'esxi.vm',
  description: 'Power an ESXi VM on or off (guest shutdown first, then power off)',
  schema: vmSchema,
  gather: async (host) => ({ host: host.name, vms: await listVms(host) }),
  plan: planVm,
  async apply(host, plan, args) {
    const target = plan.result as unknown as RegisteredVm;
    if (args.state === 'running') {
      await startVm(host, target);
      return { msg: `powered on ${target.name}` };
    }
    return { msg: `${target.name} ${await stopVm(host, target, args.shutdownTimeoutSeconds)}` };
  },
});
