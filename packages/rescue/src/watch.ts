/**
 * The watcher's loop, all of its I/O: each round probes every host over SSH (connect and list its
 * VMs, within the probe timeout) and asks the BMC of each host that missed, reads the pause flag,
 * lets decide() choose, writes the events and the state, then runs the actions (fence through
 * ipmitool, esxi.vm to start or evict a VM, notifications). Their outcomes go into the next round.
 */
import { ArgumentError, playbook, run, staticInventory, task, type HostSpec, type InventoryView, type RunSummary, type Task } from '@shipshape/core';
import { listVms, vm as esxiVm } from '@shipshape/esxi';
import { isAlive } from './internal/process.js';
import { decide, type Action, type HostObservation, type Outcome, type RescueEvent } from './decide.js';
import { bmcFromVars, BmcError, chassisPower, chassisPowerStatus, type BmcTarget } from './ipmitool.js';
import { sendNotification } from './notify.js';
import type { RescuePolicy } from './policy.js';
import { waitForPower } from './power.js';
import { appendEvents, loadState, pausedInfo, saveState, saveWatcherInfo, watcherInfo, type StorePaths } from './store.js';

export interface WatchOptions {
  readonly policy: RescuePolicy;
  readonly paths: StorePaths;
  readonly inventory: InventoryView;
  /** Stop after this many rounds (tests, cron-style use); default: until the signal aborts. */
  readonly rounds?: number;
  readonly signal?: AbortSignal;
  /** Each event as it is logged (the CLI prints them). */
  readonly onEvent?: (e: RescueEvent) => void;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  if (signal?.aborted) return resolve();
  const wake = () => {
    clearTimeout(t);
    signal?.removeEventListener('abort', wake);
    resolve();
  };
  const t = setTimeout(wake, ms);
  signal?.addEventListener('abort', wake, { once: true });
});

const summaryError = (s: RunSummary, host: string): string | undefined => {
  if (s.unreachableHosts.includes(host)) return s.results.find((r) => r.host === host)?.result.msg ?? 'unreachable';
  const failed = s.results.find((r) => r.host === host && r.result.status === 'failed');
  return failed ? failed.result.msg ?? 'failed' : undefined;
};

/** One probe round over SSH: the hosts that answered with their VMs; the others with the reason. */
async function probe(policy: RescuePolicy, specs: readonly HostSpec[]): Promise<HostObservation[]> {
  const timeoutS = policy.probe.timeoutSeconds ?? policy.probe.intervalSeconds;
  const inventory = staticInventory(specs.map((s) => ({ ...s, connection: { ...s.connection, connectTimeoutMs: Math.round(timeoutS * 1000) } })));
  const seen = new Map<string, HostObservation['vms']>();
  const probeTask = task('rescue probe', async (h) => {
    seen.set(h.name, (await listVms(h)).map((v) => ({ name: v.name, power: v.power })));
    return { changed: false };
  }, { timeout: Math.max(1, Math.ceil(timeoutS)) });
  const s = await run(playbook({ name: 'rescue probe', hosts: 'all', tasks: [probeTask] }), { inventory, forks: specs.length || 1 });
  return specs.map((spec): HostObservation => {
    const vms = seen.get(spec.name);
    const error = summaryError(s, spec.name);
    return vms && !error ? { host: spec.name, ssh: 'up', vms } : { host: spec.name, ssh: 'down', vms: [], reason: error ?? 'no answer' };
  });
}

async function bmcState(t: BmcTarget): Promise<'on' | 'off' | 'unreachable'> {
  try {
    return await chassisPowerStatus(t);
  } catch (e) {
    if (e instanceof BmcError) return 'unreachable';
    throw e;
  }
}

/** Run one task on one host; the outcome says whether it worked. */
async function onHost(inventory: InventoryView, host: string, t: Task): Promise<{ ok: boolean; detail: string }> {
  const s = await run(playbook({ name: 'rescue', hosts: host, tasks: [t] }), { inventory });
  const err = summaryError(s, host);
  return err ? { ok: false, detail: err } : { ok: true, detail: s.results[0]?.result.msg ?? 'done' };
}

async function act(o: WatchOptions, bmcs: Map<string, BmcTarget>, a: Action): Promise<Outcome> {
  const { policy, inventory } = o;
  try {
    if (a.kind === 'fence') {
      const t = bmcs.get(a.host)!;
      const said = await chassisPower(t, 'off');
      const now = await waitForPower(t, 'off', policy.fencing.offTimeoutSeconds);
      return { action: a, ok: now === 'off', detail: now === 'off' ? `Chassis Power Control: ${said}; chassis power is off` : `Chassis Power Control: ${said}, but chassis power is still ${now}` };
    }
    if (a.kind === 'start') return { action: a, ...(await onHost(inventory, a.host, esxiVm({ name: a.vm, state: 'running', vmx: a.vmx }))) };
    if (a.kind === 'evict') return { action: a, ...(await onHost(inventory, a.host, esxiVm({ name: a.vm, state: 'absent', shutdownTimeoutSeconds: policy.shutdownTimeoutSeconds }))) };
    return { action: a, ok: true, detail: await sendNotification(policy, a.event) };
  } catch (e) {
    return { action: a, ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Watch the policy's hosts until the signal aborts (or `rounds` rounds are done). Refuses to start
 * while another live watcher holds the state directory. Resolves to the number of rounds run.
 */
export async function watch(o: WatchOptions): Promise<number> {
  const { policy, paths } = o;
  const specs = o.inventory.select(policy.hosts);
  if (specs.length === 0) throw new ArgumentError(`the policy's hosts pattern ${JSON.stringify(policy.hosts)} matches no host of the inventory`, 'hosts', policy.hosts);
  const bmcs = new Map(specs.map((s) => [s.name, bmcFromVars(s.name, s.vars)] as const));
  const other = watcherInfo(paths);
  if (other?.pid && other.pid !== process.pid && isAlive(other.pid)) {
    throw new ArgumentError(`another watcher (pid ${other.pid}) already uses ${paths.dir}: one watcher per state directory`, 'stateDir', paths.dir);
  }
  const startedAt = new Date().toISOString();
  let state = loadState(paths);
  let outcomes: Outcome[] = [];
  let round = other?.round ?? 0;
  let ran = 0;
  const log = async (events: readonly RescueEvent[]) => {
    await appendEvents(paths, events);
    for (const e of events) o.onEvent?.(e);
  };
  await log([{ at: Date.now(), type: 'watch-start', reason: `watching ${specs.map((s) => s.name).join(', ')} every ${policy.probe.intervalSeconds} s (${state.recoveries.length + state.moves.length} operations in progress from ${paths.state})` }]);
  try {
    while (!o.signal?.aborted && (o.rounds === undefined || ran < o.rounds)) {
      const started = Date.now();
      const observed = await probe(policy, specs);
      const hosts = await Promise.all(observed.map(async (h) => (h.ssh === 'down' ? { ...h, bmc: await bmcState(bmcs.get(h.host)!) } : h)));
      const d = decide(policy, state, { at: Date.now(), paused: pausedInfo(paths) !== undefined, hosts, outcomes });
      // The intent is on disk before anything is done: a restarted watcher picks it up.
      await log(d.events);
      await saveState(paths, d.state);
      state = d.state;
      outcomes = [];
      for (const a of d.actions) outcomes.push(await act(o, bmcs, a));
      round += 1;
      ran += 1;
      await saveWatcherInfo(paths, { pid: process.pid, round, at: new Date().toISOString(), startedAt });
      if (o.rounds !== undefined && ran >= o.rounds) break;
      await sleep(Math.max(0, policy.probe.intervalSeconds * 1000 - (Date.now() - started)), o.signal);
    }
  } finally {
    await saveWatcherInfo(paths, { round, at: new Date().toISOString(), startedAt });
  }
  return ran;
}
