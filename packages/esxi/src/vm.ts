/**
 * Virtual machines on one host through `vim-cmd vmsvc/*` and `solo/registervm`: listing with power
 * state, registering a `.vmx` of a datastore, a stop that asks the guest first (guest shutdown,
 * power off after a timeout), unregistering, and the `esxi.vm` module over them.
 */
import { changes, defineModule, ModuleError, noChange, sh, type Change, type Command, type Host, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { parseGetAllVms, parsePowerState, type RegisteredVm, type VmPowerState } from './parse.js';

export interface VmState extends RegisteredVm {
  readonly power: VmPowerState;
}

async function vimCmd(host: Host, command: Command): Promise<string> {
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

const DATASTORE_PATH = /^\[([^\]/]+)\] (.+\.vmx)$/;
const FILE_PATH = /^\/vmfs\/volumes\/([^/]+)\/(.+\.vmx)$/;
const safeRelative = (rel: string) => !rel.split('/').some((p) => p === '' || p === '.' || p === '..');

/** `/vmfs/volumes/shared/mgmt/mgmt.vmx` or `[shared] mgmt/mgmt.vmx` as getallvms shows it: `[shared] mgmt/mgmt.vmx`. */
export function datastorePath(vmx: string): string {
  const m = FILE_PATH.exec(vmx) ?? DATASTORE_PATH.exec(vmx);
  if (!m || !safeRelative(m[2]!)) throw new ModuleError(`not a .vmx on a datastore: ${JSON.stringify(vmx)} (expected /vmfs/volumes/<datastore>/<dir>/<name>.vmx or [<datastore>] <dir>/<name>.vmx)`);
  return `[${m[1]}] ${m[2]}`;
}

/** The file path of a `.vmx` (`[shared] mgmt/mgmt.vmx` → `/vmfs/volumes/shared/mgmt/mgmt.vmx`). */
export function vmxFilePath(vmx: string): string {
  const m = DATASTORE_PATH.exec(datastorePath(vmx))!;
  return `/vmfs/volumes/${m[1]}/${m[2]}`;
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

export async function startVm(host: Host, vm: Pick<RegisteredVm, 'id'>): Promise<void> {
  await vimCmd(host, sh`vim-cmd vmsvc/power.on ${vm.id}`);
}

/** `vim-cmd solo/registervm <vmx>`: registers the VM on this host and returns its vmid. */
export async function registerVm(host: Host, vmx: string): Promise<string> {
  const out = (await vimCmd(host, sh`vim-cmd solo/registervm ${vmxFilePath(vmx)}`)).trim();
  if (!/^\d+$/.test(out)) throw new ModuleError(`${host.name}: vim-cmd solo/registervm: unexpected output ${JSON.stringify(out.slice(0, 200))}`);
  return out;
}

/** `vim-cmd vmsvc/unregister <vmid>`: the VM leaves this host's inventory, its files stay. */
export async function unregisterVm(host: Host, vm: Pick<RegisteredVm, 'id'>): Promise<void> {
  await vimCmd(host, sh`vim-cmd vmsvc/unregister ${vm.id}`);
}

export const vmSchema = z
  .object({
    /** The VM's name as `vim-cmd vmsvc/getallvms` shows it. */
    name: z.string().min(1).describe('The VM\'s name as `vim-cmd vmsvc/getallvms` shows it.'),
    /** running: powered on; stopped: powered off (guest shutdown first); absent: not registered on this host (stopped first). */
    state: z.enum(['running', 'stopped', 'absent']).describe('running: powered on; stopped: powered off (guest shutdown first); absent: not registered on this host (stopped first).'),
    /** The VM's .vmx on a datastore (`/vmfs/volumes/shared/mgmt/mgmt.vmx` or `[shared] mgmt/mgmt.vmx`): registered when the host does not have the VM yet. */
    vmx: z.string().min(1).optional().describe('The VM\'s .vmx on a datastore (`/vmfs/volumes/shared/mgmt/mgmt.vmx` or `[shared] mgmt/mgmt.vmx`): registered when the host does not have the VM yet.'),
    /** Seconds a guest shutdown may take before the VM is powered off. */
    shutdownTimeoutSeconds: z.number().int().positive().default(120).describe('Seconds a guest shutdown may take before the VM is powered off.'),
  })
  .strict();
export type VmArgs = z.output<typeof vmSchema>;

/** What the module did, step by step: its message is their outcomes. */
/** Pure: the register / power / unregister steps that bring the VM to the wanted state on this host. */
export function planVm(args: VmArgs, facts: { host: string; vms: readonly VmState[] }): Plan {
  // The task's message: what each step did, in order.
  const done: string[] = [];
  const step = (describe: string, run: (host: Host) => Promise<string>): Change => ({
    kind: 'call',
    describe,
    run: async (h) => (done.push(await run(h)), { msg: done.join(', ') }),
  });
  const found = facts.vms.filter((v) => v.name === args.name);
  if (found.length > 1) throw new ModuleError(`${facts.host}: ${found.length} VMs are registered as ${JSON.stringify(args.name)}`);
  const vm = found[0];
  const wanted = args.vmx === undefined ? undefined : datastorePath(args.vmx);
  if (vm && wanted !== undefined && vm.vmx !== wanted) {
    throw new ModuleError(`${facts.host}: ${JSON.stringify(args.name)} is registered from ${vm.vmx}, not ${wanted}`);
  }
  if (!vm) {
    if (args.state === 'absent') return noChange(`${args.name} is not registered`);
    if (wanted === undefined) throw new ModuleError(`${facts.host}: no VM is registered as ${JSON.stringify(args.name)} (give vmx to register it)`);
    const steps = [step(`vim-cmd solo/registervm ${vmxFilePath(wanted)}`, async (h) => `registered ${args.name} (vmid ${await registerVm(h, wanted)})`)];
    if (args.state === 'running') {
      steps.push(step(`vim-cmd vmsvc/power.on <new vmid of ${args.name}>`, async (h) => {
        const id = (await listVms(h)).find((v) => v.vmx === wanted)?.id;
        if (!id) throw new ModuleError(`${h.name}: ${wanted} is not listed after registering it`);
        await startVm(h, { id });
        return `powered on ${args.name}`;
      }));
    }
    return changes(`register ${args.name}${args.state === 'running' ? ' and power it on' : ''}`, steps, { result: { name: args.name, vmx: wanted } });
  }
  const result = { id: vm.id, name: vm.name, vmx: vm.vmx };
  const on = vm.power === 'on';
  const stop = step(`guest shutdown of ${vm.name} (vmid ${vm.id}), power off after ${args.shutdownTimeoutSeconds} s`,
    async (h) => `${vm.name} ${await stopVm(h, vm, args.shutdownTimeoutSeconds)}`);
  if (args.state === 'absent') {
    const unregister = step(`vim-cmd vmsvc/unregister ${vm.id}`, async (h) => (await unregisterVm(h, vm), `unregistered ${vm.name}`));
    return changes(`unregister ${vm.name}`, on ? [stop, unregister] : [unregister], { result });
  }
  if (on === (args.state === 'running')) return noChange(`${vm.name} is already ${on ? 'powered on' : 'powered off'}`, result);
  if (args.state === 'running') {
    return changes(`power on ${vm.name}`, [step(`vim-cmd vmsvc/power.on ${vm.id}`, async (h) => (await startVm(h, vm), `powered on ${vm.name}`))], { result });
  }
  return changes(`stop ${vm.name}`, [stop], { result });
}

/**
 * Keep a VM registered and powered on, powered off, or not registered on a host. `vmx` registers
 * it from its datastore when the host lacks it (a shared datastore: the VM of a failed host).
 * Stopping asks the guest first (`power.shutdown`) and powers the VM off only when it has not
 * finished within `shutdownTimeoutSeconds`. Powering on fails while another host runs the VM
 * (it holds the VM's lock on the datastore).
 * @example
 * vm({ name: 'vcenter', state: 'running', vmx: '/vmfs/volumes/shared/vcenter/vcenter.vmx' })
 */
export const vm = defineModule({
  name: 'esxi.vm',
  description: 'Register, power on or off (guest shutdown first), or unregister an ESXi VM',
  schema: vmSchema,
  gather: async (host) => ({ host: host.name, vms: await listVms(host) }),
  plan: planVm,
});
