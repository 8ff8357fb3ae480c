// Data-fixture tests of the watcher's pure core: fixtures/decide/*.json hold a policy, optionally a
// starting state, and rounds of observations (hosts as { name: { ssh, vms: { vm: power }, bmc } },
// outcomes of the last actions), each with the events and actions expected from decide().
import { describe, expect, it } from '@jest/globals';
import { fixtureCases } from '@shipshape/core/testing';
import { decide, initialState, type Action, type HostObservation, type Outcome, type WatcherState } from './decide.js';
import { parsePolicy } from './policy.js';

interface Round {
  at?: number;
  paused?: boolean;
  hosts: Record<string, { ssh?: 'up' | 'down'; vms?: Record<string, 'on' | 'off'>; bmc?: 'on' | 'off' | 'unreachable' }>;
  outcomes?: { action: Action; ok: boolean; detail?: string }[];
  events: string[];
  actions?: string[];
}

const show = (a: Action) => (a.kind === 'fence' ? `fence ${a.host}` : a.kind === 'notify' ? `notify ${a.event.type}` : `${a.kind} ${a.vm} ${a.host}`);

describe('decide', () => {
  for (const [file, c] of fixtureCases<{ policy: unknown; state?: Partial<WatcherState>; rounds: Round[] }>(new URL('./fixtures/decide/', import.meta.url))) {
    it(file, () => {
      const policy = parsePolicy(c.policy, file);
      let state: WatcherState = { ...initialState(), ...c.state };
      c.rounds.forEach((r, i) => {
        const hosts: HostObservation[] = Object.entries(r.hosts).map(([host, o]) => ({
          host, ssh: o.ssh ?? 'up', reason: o.ssh === 'down' ? 'timeout' : undefined, bmc: o.bmc,
          vms: Object.entries(o.vms ?? {}).map(([name, power]) => ({ name, power })),
        }));
        const outcomes: Outcome[] = (r.outcomes ?? []).map((o) => ({ ...o, detail: o.detail ?? 'done' }));
        const d = decide(policy, state, { at: r.at ?? i * 1000, paused: r.paused ?? false, hosts, outcomes });
        expect({ round: i, events: d.events.map((e) => e.type), actions: d.actions.map(show) }).toEqual({ round: i, events: r.events, actions: r.actions ?? [] });
        state = JSON.parse(JSON.stringify(d.state)) as WatcherState; // what the disk keeps
      });
    });
  }
});
