/**
 * The watcher's brain, pure: from the policy, the state kept on disk, one round of observations
 * and the outcomes of the last round's actions, decide the next state, the events to log (each
 * with its reason) and the actions to run. No I/O: the loop (watch.ts) observes and acts.
 */
import type { RescuePolicy } from './policy.js';
import { protectedVms } from './policy.js';

export type VmPower = 'on' | 'off' | 'suspended';

export interface ObservedVm {
  readonly name: string;
  readonly power: VmPower;
}

export interface HostObservation {
  readonly host: string;
  /** The SSH probe (connect and list the VMs) answered in time. */
  readonly ssh: 'up' | 'down';
  /** Why the probe missed. */
  readonly reason?: string;
  /** The host's registered VMs (when ssh is up). */
  readonly vms: readonly ObservedVm[];
  /** The BMC's chassis power; undefined when it was not asked (the host answered over SSH). */
  readonly bmc?: 'on' | 'off' | 'unreachable';
}

export type Action =
  | { readonly kind: 'fence'; readonly host: string }
  | { readonly kind: 'start'; readonly vm: string; readonly vmx: string; readonly host: string }
  | { readonly kind: 'evict'; readonly vm: string; readonly host: string }
  | { readonly kind: 'notify'; readonly event: RescueEvent };

export interface Outcome {
  readonly action: Action;
  readonly ok: boolean;
  readonly detail: string;
}

export interface Observation {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly paused: boolean;
  readonly hosts: readonly HostObservation[];
  /** What the previous round's actions did. */
  readonly outcomes: readonly Outcome[];
}

export type HostStatus = 'up' | 'suspect' | 'failed' | 'fenced';

export interface HostRecord {
  readonly status: HostStatus;
  readonly misses: number;
  readonly firstMissAt?: number;
  /** An alert about this host was sent (fencing impossible / unconfirmed): not again until it changes. */
  readonly alerted?: boolean;
}

/** A protected VM being brought up elsewhere after its host was fenced. */
export interface Recovery {
  readonly vm: string;
  readonly from: string;
  readonly to?: string;
  readonly stage: 'pending' | 'starting';
  readonly alerted?: boolean;
  /** Hosts where starting it failed: not chosen again. */
  readonly tried?: readonly string[];
  /** Waiting for a host that is down and not fenced (reported once). */
  readonly held?: boolean;
}

/** An anti-affinity move: the VM leaves `from` (guest shutdown, unregister), then starts on `to`. */
export interface Move {
  readonly vm: string;
  readonly from: string;
  readonly to: string;
  readonly stage: 'evicting' | 'starting';
}

export interface WatcherState {
  readonly version: 1;
  readonly paused: boolean;
  readonly hosts: Readonly<Record<string, HostRecord>>;
  /** Where each protected VM last ran (host name). */
  readonly where: Readonly<Record<string, string>>;
  readonly recoveries: readonly Recovery[];
  readonly moves: readonly Move[];
  /** Failovers completed: VM, from, to, when. */
  readonly done: readonly { readonly vm: string; readonly from: string; readonly to: string; readonly at: number }[];
  /** Anti-affinity conflicts already reported as unresolvable (group index). */
  readonly stuck: readonly number[];
}

export type EventType =
  | 'watch-start' | 'paused' | 'resumed' | 'host-miss' | 'host-recovered' | 'host-failed' | 'fence' | 'fenced' | 'fence-failed' | 'fence-impossible'
  | 'host-back' | 'failover-start' | 'hold' | 'start' | 'start-failed' | 'failover' | 'no-target' | 'running-elsewhere' | 'anti-affinity'
  | 'evict' | 'evict-failed' | 'moved' | 'anti-affinity-stuck' | 'duplicate' | 'notified' | 'notify-failed';

export interface RescueEvent {
  readonly at: number;
  readonly type: EventType;
  readonly reason: string;
  readonly host?: string;
  readonly vm?: string;
  readonly to?: string;
  /** Sent to the notification command/webhook as well (an alert or a completed failover). */
  readonly notify?: boolean;
}

export interface Decision {
  readonly state: WatcherState;
  readonly events: readonly RescueEvent[];
  readonly actions: readonly Action[];
}

export const initialState = (): WatcherState => ({ version: 1, paused: false, hosts: {}, where: {}, recoveries: [], moves: [], done: [], stuck: [] });

/** Hosts where the VM is powered on, among those that answered. */
function runningOn(obs: Observation, vm: string): string[] {
  return obs.hosts.filter((h) => h.ssh === 'up' && h.vms.some((v) => v.name === vm && v.power === 'on')).map((h) => h.host);
}

const load = (o: HostObservation) => o.vms.filter((v) => v.power === 'on').length;

/**
 * Pure placement: among the VM's candidate hosts that answer and are up, not `exclude`, prefer one
 * where no VM of its anti-affinity groups runs, then the least loaded (powered-on VMs), then the
 * policy's order (the VM's `hosts`, else the observation order). Undefined when none is usable.
 */
export function chooseHost(policy: RescuePolicy, vm: string, hosts: readonly HostObservation[], up: (h: string) => boolean, exclude: readonly string[] = []): string | undefined {
  const candidates = policy.vms[vm]?.hosts ?? hosts.map((h) => h.host);
  const partners = new Set(policy.antiAffinity.filter((g) => g.includes(vm)).flat().filter((v) => v !== vm));
  const usable = candidates
    .map((name) => hosts.find((h) => h.host === name))
    .filter((h): h is HostObservation => !!h && h.ssh === 'up' && up(h.host) && !exclude.includes(h.host));
  const conflict = (h: HostObservation) => (h.vms.some((v) => partners.has(v.name) && v.power === 'on') ? 1 : 0);
  return [...usable].sort((a, b) => conflict(a) - conflict(b) || load(a) - load(b) || usable.indexOf(a) - usable.indexOf(b))[0]?.host;
}

/** One round: the next state, the events (with reasons) and the actions. */
export function decide(policy: RescuePolicy, prev: WatcherState, obs: Observation): Decision {
  const events: RescueEvent[] = [];
  const actions: Action[] = [];
  const at = obs.at;
  const say = (type: EventType, reason: string, extra: Omit<RescueEvent, 'at' | 'type' | 'reason'> = {}) => {
    const e: RescueEvent = { at, type, reason, ...extra };
    events.push(e);
    if (e.notify) actions.push({ kind: 'notify', event: e });
  };
  const hosts: Record<string, HostRecord> = { ...prev.hosts };
  let recoveries = [...prev.recoveries];
  let moves = [...prev.moves];
  const done = [...prev.done];
  let stuck = [...prev.stuck];
  const where: Record<string, string> = { ...prev.where };
  const protectedList = protectedVms(policy);

  // What the last actions did (their effects show in this round's observations).
  const failedStarts = new Map<string, string>();
  for (const o of obs.outcomes) {
    const a = o.action;
    if (a.kind === 'fence' && !o.ok) {
      say('fence-failed', `power off of ${a.host} not confirmed: ${o.detail}; nothing is started while it may still run`, { host: a.host, notify: !hosts[a.host]?.alerted });
      hosts[a.host] = { ...hosts[a.host]!, alerted: true };
    }
    if (a.kind === 'start' && !o.ok) {
      say('start-failed', `${a.vm} did not start on ${a.host}: ${o.detail}`, { vm: a.vm, host: a.host });
      failedStarts.set(a.vm, a.host);
    }
    if (a.kind === 'evict' && !o.ok) say('evict-failed', `${a.vm} did not leave ${a.host}: ${o.detail}`, { vm: a.vm, host: a.host });
    if (a.kind === 'notify') say(o.ok ? 'notified' : 'notify-failed', `${a.event.type} of ${a.event.vm ?? a.event.host}: ${o.detail}`, { host: a.event.host, vm: a.event.vm });
  }

  if (obs.paused !== prev.paused) {
    say(obs.paused ? 'paused' : 'resumed', obs.paused ? 'rescue pause is set (planned maintenance): no host is declared failed, nothing is fenced, started or moved'
      : 'rescue pause was lifted: monitoring resumes, misses are counted from now');
  }

  // Where the protected VMs run now.
  for (const vm of protectedList) {
    const on = runningOn(obs, vm);
    if (on.length === 1) where[vm] = on[0]!;
    if (on.length > 1) say('duplicate', `${vm} is powered on on ${on.join(' and ')}`, { vm, notify: true });
  }

  // Host states: a miss only counts while not paused; a host is failed after K consecutive misses,
  // the grace period since the first, and a BMC that answers.
  const { missesBeforeFailure: k, graceSeconds } = policy.probe;
  for (const o of obs.hosts) {
    const h: HostRecord = hosts[o.host] ?? { status: 'up', misses: 0 };
    if (o.ssh === 'up') {
      if (h.status === 'suspect') say('host-recovered', `${o.host} answered again after ${h.misses} missed probe${h.misses === 1 ? '' : 's'}: not a failure`, { host: o.host });
      if (h.status === 'fenced' || h.status === 'failed') say('host-back', `${o.host} answers again (powered on): it is a candidate host again`, { host: o.host });
      hosts[o.host] = { status: 'up', misses: 0 };
      continue;
    }
    if (h.status === 'fenced') continue;
    if (obs.paused) {
      if (h.status === 'suspect') hosts[o.host] = { status: 'up', misses: 0 };
      continue;
    }
    if (h.status === 'failed') {
      if (o.bmc === 'off') {
        hosts[o.host] = { status: 'fenced', misses: h.misses };
        say('fenced', `the BMC of ${o.host} reads chassis power off`, { host: o.host });
        recoveries = recoveries.concat(recoveriesOf(o.host));
      } else if (o.bmc === 'on') {
        actions.push({ kind: 'fence', host: o.host });
      }
      continue;
    }
    const misses = h.status === 'suspect' ? h.misses + 1 : 1;
    const firstMissAt = h.status === 'suspect' ? h.firstMissAt ?? at : at;
    if (misses === 1) say('host-miss', `${o.host} missed a probe (${o.reason ?? 'no answer'})`, { host: o.host });
    const due = misses >= k && at - firstMissAt >= graceSeconds * 1000;
    if (!due) {
      hosts[o.host] = { status: 'suspect', misses, firstMissAt, alerted: h.alerted };
      continue;
    }
    if (o.bmc === 'unreachable' || o.bmc === undefined) {
      if (!h.alerted) say('fence-impossible', `${o.host} missed ${misses} probes but its BMC does not answer: it cannot be fenced, so nothing is done`, { host: o.host, notify: true });
      hosts[o.host] = { status: 'suspect', misses, firstMissAt, alerted: true };
      continue;
    }
    say('host-failed', `${o.host} missed ${misses} consecutive probes over ${Math.round((at - firstMissAt) / 1000)} s and its BMC answers (chassis power ${o.bmc})`, { host: o.host });
    if (o.bmc === 'off') {
      hosts[o.host] = { status: 'fenced', misses };
      say('fenced', `the BMC of ${o.host} already reads chassis power off`, { host: o.host });
      recoveries = recoveries.concat(recoveriesOf(o.host));
    } else {
      hosts[o.host] = { status: 'failed', misses };
      say('fence', `powering ${o.host} off through its BMC before anything else`, { host: o.host });
      actions.push({ kind: 'fence', host: o.host });
    }
  }

  /** Protected VMs that lived on `host` (or whose host is unknown): to be recovered. */
  function recoveriesOf(host: string): Recovery[] {
    const list = protectedList.filter((vm) => (where[vm] === host || where[vm] === undefined) && !recoveries.some((r) => r.vm === vm));
    for (const vm of list) say('failover-start', `${vm} ran on ${host}${where[vm] === undefined ? ' (or its host is unknown)' : ''}, now fenced: it is brought up elsewhere`, { vm, host });
    return list.map((vm) => ({ vm, from: host, stage: 'pending' as const }));
  }

  const isUp = (h: string) => hosts[h]?.status === 'up';
  // A VM may be running on a host that is down and not fenced: then nothing may start it.
  const unfencedDown = obs.hosts.filter((o) => o.ssh === 'down' && hosts[o.host]?.status !== 'fenced').map((o) => o.host);

  if (!obs.paused) {
    recoveries = recoveries.flatMap((r): Recovery[] => {
      const on = runningOn(obs, r.vm);
      if (on.length > 0) {
        const to = on[0]!;
        if (r.stage === 'starting' && r.to === to) {
          say('failover', `${r.vm} runs on ${to} (was on ${r.from}, fenced)`, { vm: r.vm, host: r.from, to, notify: true });
        } else {
          say('running-elsewhere', `${r.vm} already runs on ${to}: it is not started again`, { vm: r.vm, host: r.from, to });
        }
        done.push({ vm: r.vm, from: r.from, to, at });
        return [];
      }
      // It may still run on a host that is down but not fenced (its last host, or any when unknown).
      const maybeOn = unfencedDown.filter((h) => where[r.vm] === undefined || h === where[r.vm]);
      if (maybeOn.length > 0) {
        if (!r.held) say('hold', `${r.vm} may still run on ${maybeOn.join(', ')} (down, not fenced): it is not started anywhere`, { vm: r.vm, host: maybeOn[0] });
        return [{ ...r, held: true }];
      }
      const failedOn = failedStarts.get(r.vm);
      const tried = failedOn && !(r.tried ?? []).includes(failedOn) ? [...(r.tried ?? []), failedOn] : r.tried ?? [];
      const to = chooseHost(policy, r.vm, obs.hosts, isUp, tried);
      if (!to) {
        if (!r.alerted) say('no-target', `no candidate host of ${r.vm} is up and answering${tried.length ? ` (it failed to start on ${tried.join(', ')})` : ''}: it stays down`, { vm: r.vm, host: r.from, notify: true });
        return [{ ...r, stage: 'pending', to: undefined, alerted: true, tried }];
      }
      say('start', `registering and powering on ${r.vm} on ${to}: ${reasonFor(policy, r.vm, to, obs.hosts)}`, { vm: r.vm, host: to });
      actions.push({ kind: 'start', vm: r.vm, vmx: policy.vms[r.vm]!.vmx, host: to });
      return [{ vm: r.vm, from: r.from, to, stage: 'starting', tried }];
    });

    moves = moves.flatMap((m): Move[] => {
      const on = runningOn(obs, m.vm);
      if (on.includes(m.to)) {
        say('moved', `${m.vm} runs on ${m.to} now (left ${m.from})`, { vm: m.vm, host: m.from, to: m.to, notify: true });
        return [];
      }
      if (on.includes(m.from)) {
        actions.push({ kind: 'evict', vm: m.vm, host: m.from });
        return [{ ...m, stage: 'evicting' }];
      }
      if (on.length > 0) {
        say('running-elsewhere', `${m.vm} runs on ${on[0]}: the move to ${m.to} is dropped`, { vm: m.vm, host: on[0] });
        return [];
      }
      if (!isUp(m.to)) return []; // the target went away: the next round looks again
      actions.push({ kind: 'start', vm: m.vm, vmx: policy.vms[m.vm]!.vmx, host: m.to });
      return [{ ...m, stage: 'starting' }];
    });

    // Anti-affinity, once nothing else is in flight: move the later VM of a group off a shared host.
    if (recoveries.length === 0 && moves.length === 0) {
      policy.antiAffinity.forEach((group, gi) => {
        const together = obs.hosts.find((o) => o.ssh === 'up' && group.filter((vm) => o.vms.some((v) => v.name === vm && v.power === 'on')).length > 1);
        if (!together) {
          stuck = stuck.filter((g) => g !== gi);
          return;
        }
        const members = group.filter((vm) => together.vms.some((v) => v.name === vm && v.power === 'on'));
        const order = Object.keys(policy.vms);
        const vm = [...members].sort((a, b) => order.indexOf(b) - order.indexOf(a))[0]!;
        const to = chooseHost(policy, vm, obs.hosts, isUp, [together.host]);
        const free = to !== undefined && !obs.hosts.find((o) => o.host === to)!.vms.some((v) => group.includes(v.name) && v.power === 'on');
        if (!to || !free) {
          if (!stuck.includes(gi)) say('anti-affinity-stuck', `${members.join(' and ')} share ${together.host} and no other candidate host of ${vm} is free of them`, { vm, host: together.host, notify: true });
          stuck = stuck.includes(gi) ? stuck : [...stuck, gi];
          return;
        }
        say('anti-affinity', `${members.join(' and ')} must not share a host and both run on ${together.host}: ${vm} (the later in the policy) moves to ${to}`, { vm, host: together.host, to });
        say('evict', `guest shutdown of ${vm} on ${together.host}, then unregister it there`, { vm, host: together.host });
        actions.push({ kind: 'evict', vm, host: together.host });
        moves = [...moves, { vm, from: together.host, to, stage: 'evicting' }];
      });
    }
  }

  const state: WatcherState = { version: 1, paused: obs.paused, hosts, where, recoveries, moves, done: done.slice(-50), stuck };
  return { state, events, actions: obs.paused ? actions.filter((a) => a.kind === 'notify') : actions };
}

function reasonFor(policy: RescuePolicy, vm: string, to: string, hosts: readonly HostObservation[]): string {
  const h = hosts.find((o) => o.host === to)!;
  const list = policy.vms[vm]!.hosts;
  return `${list ? `a candidate host (${list.join(', ')})` : 'a watched host'} that answers, ${load(h)} VM${load(h) === 1 ? '' : 's'} running there, the least loaded`;
}
