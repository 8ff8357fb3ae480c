/**
 * Ordered full-system stop and start from a policy's `order` groups, as playbook tasks: the
 * shutdown pauses the watcher first (planned work must not look like a failure), then stops each
 * group (guest shutdown, power off after the timeout) on whichever hosts run its VMs and waits
 * until they are off before the next group; the startup runs the groups in reverse, each VM on the
 * host chosen as the watcher chooses (where it is registered, anti-affinity, least loaded), and
 * lifts the pause last. Each stage is one task: the next starts once it is done on every host.
 */
import { task, type Host, type TaskContext, type Task, type Vars } from '@shipshape/core';
import { listVms, vm as esxiVm } from '@shipshape/esxi';
import { chooseHost, type HostObservation } from './decide.js';
import type { RescuePolicy } from './policy.js';
import { pausedInfo, setPaused, type StorePaths } from './store.js';

const REGISTER = 'rescue_vms';

interface Seen { readonly vms: readonly { name: string; power: string; vmx: string }[] }

/** Every play host lists its VMs (registered as `rescue_vms`, read by the stage tasks). */
export const listVmsTask = (): Task => task('list the VMs of every host', async (h) => ({
  changed: false, data: { vms: (await listVms(h)).map((v) => ({ name: v.name, power: v.power, vmx: v.vmx })) },
}), { register: REGISTER });

/** What every play host listed, as observations. */
function observed(ctx: TaskContext): HostObservation[] {
  const vars = ctx.vars as Vars & { ansible_play_hosts?: string[]; hostvars: Record<string, Vars> };
  return (vars.ansible_play_hosts ?? [ctx.host]).map((host) => {
    const seen = vars.hostvars[host]?.[REGISTER] as Seen | undefined;
    return { host, ssh: 'up' as const, vms: (seen?.vms ?? []).map((v) => ({ name: v.name, power: v.power as 'on' | 'off' })) };
  });
}

/** Apply the VMs' module runs on this host; changed when any changed, failed with the first failure. */
async function applyAll(h: Host, tasks: readonly Task[]) {
  const msgs: string[] = [];
  let changed = false;
  for (const t of tasks) {
    const r = await h.apply(t);
    if (r.status === 'failed') return { status: 'failed' as const, changed, msg: r.msg };
    changed ||= r.changed;
    if (r.changed && r.msg) msgs.push(r.msg);
  }
  return { changed, msg: msgs.length ? msgs.join('; ') : 'nothing to do on this host' };
}

export function stopGroupTask(policy: RescuePolicy, group: readonly string[], stage: number): Task {
  return task(`stage ${stage}: stop ${group.join(', ')}`, async (h, ctx) => {
    const here = observed(ctx).find((o) => o.host === h.name)!;
    const running = group.filter((name) => here.vms.some((v) => v.name === name && v.power === 'on'));
    return applyAll(h, running.map((name) => esxiVm({ name, state: 'stopped', shutdownTimeoutSeconds: policy.shutdownTimeoutSeconds })));
  });
}

export function startGroupTask(policy: RescuePolicy, group: readonly string[], stage: number): Task {
  return task(`stage ${stage}: start ${group.join(', ')}`, async (h, ctx) => {
    const hosts = observed(ctx);
    const mine: string[] = [];
    for (const name of group) {
      if (hosts.some((o) => o.vms.some((v) => v.name === name && v.power === 'on'))) continue;
      // Where it is registered, if anywhere; else any candidate host (registered there from its .vmx).
      const registered = hosts.filter((o) => o.vms.some((v) => v.name === name)).map((o) => o.host);
      const others = registered.length ? hosts.map((o) => o.host).filter((x) => !registered.includes(x)) : [];
      const to = chooseHost(policy, name, hosts, () => true, others);
      if (to === h.name) mine.push(name);
    }
    return applyAll(h, mine.map((name) => esxiVm({ name, state: 'running', vmx: policy.vms[name]!.vmx })));
  });
}

/** Set or lift `rescue pause` (on the controller, once per play). */
export function pauseTask(paths: StorePaths, paused: boolean, reason: string): Task {
  return task(paused ? 'pause the rescue watcher' : 'resume the rescue watcher', async () => {
    if ((pausedInfo(paths) !== undefined) === paused) return { changed: false, msg: `the watcher is already ${paused ? 'paused' : 'active'}` };
    await setPaused(paths, paused, reason);
    return { changed: true, msg: `${paused ? 'paused' : 'resumed'}: ${paths.paused}` };
  }, { runOnce: true });
}

/** The tasks of an ordered shutdown: pause the watcher, then each group in order. */
export function shutdownTasks(policy: RescuePolicy, paths: StorePaths): Task[] {
  return [pauseTask(paths, true, 'ordered shutdown'), ...policy.order.flatMap((g, i) => [listVmsTask(), stopGroupTask(policy, g, i + 1)])];
}

/** The tasks of an ordered startup: each group in reverse order, then lift the pause (the watcher last). */
export function startupTasks(policy: RescuePolicy, paths: StorePaths): Task[] {
  const groups = [...policy.order].reverse();
  return [...groups.flatMap((g, i) => [listVmsTask(), startGroupTask(policy, g, i + 1)]), pauseTask(paths, false, 'ordered startup')];
}
