/**
 * `shipshape rescue watch|status|pause|resume POLICY.ts`: the rescue watcher (@shipshape/rescue)
 * and its controls. The policy file's default export is a policy (definePolicy).
 */
import { resolve } from 'node:path';
import { maskSecrets } from '@shipshape/core';
import type { RescueEvent, RescuePolicy, StorePaths } from '@shipshape/rescue';
import { EXIT, openInventory, type CommonArgs } from '../execute.js';
import { loadDefaultExport } from '../load.js';

const rescue = () => import('@shipshape/rescue');

async function loadPolicy(file: string): Promise<{ policy: RescuePolicy; paths: StorePaths }> {
  const r = await rescue();
  const path = resolve(file);
  const policy = r.parsePolicy(await loadDefaultExport(path), path);
  return { policy, paths: r.storePaths(policy, path) };
}

const line = (e: RescueEvent) => maskSecrets(`${new Date(e.at).toISOString()} ${e.type}${e.host ? ` ${e.host}` : ''}${e.vm ? ` ${e.vm}` : ''}${e.to ? ` -> ${e.to}` : ''}: ${e.reason}`);

export interface WatchArgs extends CommonArgs {
  readonly policy: string;
  readonly rounds?: number;
}

/** Watch until SIGINT/SIGTERM (the round in progress finishes) or `--rounds` rounds are done. */
export async function rescueWatch(a: WatchArgs): Promise<number> {
  const { policy, paths } = await loadPolicy(a.policy);
  const inventory = await openInventory(a, {});
  const abort = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (abort.signal.aborted) process.exit(sig === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
    stoppedBy = sig;
    process.stderr.write(`${sig}: the watcher stops after this round\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await (await rescue()).watch({ policy, paths, inventory, rounds: a.rounds, signal: abort.signal, onEvent: (e) => process.stdout.write(`${line(e)}\n`) });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return stoppedBy === 'SIGTERM' ? EXIT.terminated : stoppedBy ? EXIT.interrupted : EXIT.ok;
}

/** What the watcher's state directory says: pause, the watcher, hosts, VMs, operations in progress. */
export async function rescueStatus(a: { policy: string; json?: boolean }): Promise<number> {
  const r = await rescue();
  const { policy, paths } = await loadPolicy(a.policy);
  const state = r.loadState(paths);
  const paused = r.pausedInfo(paths);
  const watcher = r.watcherInfo(paths);
  const running = watcher?.pid !== undefined && r.processAlive(watcher.pid);
  if (a.json) {
    process.stdout.write(`${JSON.stringify({ stateDir: paths.dir, ...state, paused: paused ?? false, watcher: { ...watcher, running } }, null, 2)}\n`);
    return EXIT.ok;
  }
  const out = [
    `state: ${paths.dir}`,
    `paused: ${paused ? `yes, since ${paused.at}${paused.reason ? ` (${paused.reason})` : ''}` : 'no'}`,
    `watcher: ${running ? `running (pid ${watcher!.pid})` : 'not running'}${watcher?.at ? `, last round ${watcher.at} (round ${watcher.round})` : ''}`,
    'hosts:',
    ...Object.entries(state.hosts).map(([h, s]) => `  ${h}: ${s.status}${s.misses ? ` (${s.misses} missed probes)` : ''}`),
    'protected VMs:',
    ...r.protectedVms(policy).map((vm) => `  ${vm}: ${state.where[vm] ? `last seen on ${state.where[vm]}` : 'not seen yet'}`),
    ...state.recoveries.map((x) => `failover in progress: ${x.vm} from ${x.from}${x.to ? ` to ${x.to}` : ''} (${x.stage})`),
    ...state.moves.map((m) => `anti-affinity move in progress: ${m.vm} ${m.from} -> ${m.to} (${m.stage})`),
    ...state.done.slice(-5).map((d) => `failover done: ${d.vm} ${d.from} -> ${d.to} at ${new Date(d.at).toISOString()}`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}

/** `rescue pause` (planned maintenance: the watcher acts on nothing) or `rescue resume`. */
export async function rescuePause(a: { policy: string; pause: boolean; reason?: string }): Promise<number> {
  const r = await rescue();
  const { paths } = await loadPolicy(a.policy);
  await r.setPaused(paths, a.pause, a.reason);
  process.stdout.write(a.pause ? `paused: the watcher of ${paths.dir} acts on nothing until shipshape rescue resume\n` : `resumed: the watcher of ${paths.dir} acts again\n`);
  return EXIT.ok;
}
