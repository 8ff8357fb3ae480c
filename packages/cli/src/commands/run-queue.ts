import { ArgumentError, Secret, serialBatches, taskName, type PlaybookDef, type Task, type Vars } from '@shipshape/core';
import type { Inventory } from '@shipshape/inventory';
import type { Phase } from '@shipshape/fleet';
import { runWithReporters, type CommonArgs } from '../execute.js';
import { bundlePlaybook } from '../portable.js';
import { queueTarget } from './worker.js';

export interface QueueArgs {
  readonly queue: string;
  /** With rediss://: the CA certificate file the server's certificate must be issued by. */
  readonly queueCa?: string;
  readonly sliceSize?: number;
  /** Seconds Redis may stay away (or no worker serve the queue) before the run fails. */
  readonly queueTimeout?: number;
}

const DEFAULT_QUEUE_TIMEOUT_S = 60;

function everyTask(tasks: readonly Task[], visit: (t: Task) => void): void {
  for (const t of tasks) {
    visit(t);
    if (t.kind === 'block') for (const part of [t.block, t.rescue ?? [], t.always ?? []]) everyTask(part, visit);
  }
}

function playTasks(pb: PlaybookDef, visit: (t: Task, play: string) => void): void {
  for (const play of pb.plays) {
    const handlers = Object.values(play.handlers ?? {}).flatMap((h) => (Array.isArray(h) ? h : [h])) as Task[];
    everyTask([...play.tasks, ...handlers], (t) => visit(t, play.name));
  }
}

/** A Secret anywhere in plain data: its path, else undefined. */
function secretIn(v: unknown, path: string): string | undefined {
  if (v instanceof Secret) return path;
  if (Array.isArray(v)) return v.map((x, i) => secretIn(x, `${path}[${i}]`)).find(Boolean);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.entries(v).map(([k, x]) => secretIn(x, `${path}.${k}`)).find(Boolean);
  }
  return undefined;
}

/**
 * What queue mode cannot keep the meaning of is refused before anything runs: `runOnce` (each
 * slice would run it once), `serial` in a playbook of several plays, secret() values of the playbook.
 */
function refuseUnsupported(pb: PlaybookDef, file: string): void {
  const how = 'queue mode sends no secret in clear: give it to the workers as an inline !vault value in the inventory or group_vars (each worker decrypts it with its own --vault-password-file)';
  playTasks(pb, (t, play) => {
    if (t.options.runOnce) throw new ArgumentError(`${file}: play "${play}", task "${taskName(t)}": runOnce is not supported with --queue (every slice would run it once); run it in a play of its own without --queue`, 'queue', taskName(t));
    const args = t.kind === 'module' && typeof t.args !== 'function' ? secretIn(t.args, 'args') : undefined;
    const blockDefaults = t.kind === 'block' ? secretIn(t.defaults, 'defaults') : undefined;
    const where = args ?? blockDefaults;
    if (where) throw new ArgumentError(`${file}: play "${play}", task "${taskName(t)}": ${where} is a secret() value; ${how}`, 'queue', where);
  });
  for (const play of pb.plays) {
    const where = secretIn(play.vars, 'vars') ?? secretIn(play.defaults, 'defaults');
    if (where) throw new ArgumentError(`${file}: play "${play.name}": ${where} is a secret() value; ${how}`, 'queue', where);
    if (play.serial !== undefined && pb.plays.length > 1) {
      throw new ArgumentError(`${file}: play "${play.name}" has serial: with --queue, serial is supported in a playbook of one play only (batches span the whole run there)`, 'queue', 'serial');
    }
  }
}

/** `shipshape run … --queue URL`: the same run, its slices worked on by `shipshape worker`s. */
export async function runQueued(
  pb: PlaybookDef, inv: Inventory, args: CommonArgs & QueueArgs, extraVars: Vars, warnings: readonly string[], file: string, playbookDir: string,
): Promise<number> {
  const fleet = await import('@shipshape/fleet');
  const target = await queueTarget(args.queue, args.queueCa);
  refuseUnsupported(pb, file);
  const plays = pb.plays.map((p) => ({ name: p.name, hosts: inv.select(p.hosts ?? 'all', args.limit).map((h) => h.name) }));
  const delegates: Record<string, string[]> = {};
  playTasks(pb, (t) => {
    const d = t.options.delegateTo;
    if (d !== undefined && !(d in delegates)) delegates[d] = inv.select(d).map((h) => h.name);
  });
  const order = inv.hosts.map((h) => h.name);
  const union = new Set(plays.flatMap((p) => p.hosts));
  const serial = pb.plays.length === 1 ? pb.plays[0]!.serial : undefined;
  const phases: Phase[] = serial === undefined
    ? [{ hosts: order.filter((h) => union.has(h)) }]
    : serialBatches(plays[0]!.hosts, serial).map((hosts) => ({ hosts, plays: [0], batched: true }));
  const tags = new Map<string, string>();
  for (const h of inv.hosts) {
    const t = h.vars[fleet.WORKER_TAG_VAR];
    if (t === undefined || t === null || t === '') continue;
    if (typeof t !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(t)) {
      throw new ArgumentError(`host ${h.name}: ${fleet.WORKER_TAG_VAR} must be a worker tag (letters, digits, "_", "." or "-"), got ${JSON.stringify(t)}`, fleet.WORKER_TAG_VAR, String(t));
    }
    tags.set(h.name, t);
  }
  const queueRun = {
    target,
    timeoutMs: (args.queueTimeout ?? DEFAULT_QUEUE_TIMEOUT_S) * 1000,
    playbookName: pb.name,
    bundle: await bundlePlaybook(file),
    inventory: fleet.inventoryToWire(inv, Object.fromEntries(pb.plays.map((p, i) => [p.hosts ?? 'all', plays[i]!.hosts])), delegates),
    plays, phases,
    tagOf: (h: string) => tags.get(h),
    sliceSize: args.sliceSize,
    flags: {
      check: args.check, diff: args.diff, tags: args.tags, skipTags: args.skipTags, forks: args.forks, taskTimeout: args.taskTimeout,
      startAtTask: args.startAtTask, verbosity: args.verbose ?? 0, extraVars: fleet.toWire(extraVars, '-e var'),
    },
    check: !!args.check, diff: !!args.diff,
  };
  return runWithReporters(pb, inv, args, extraVars, warnings, playbookDir, undefined, (_pb, o) => fleet.runOnQueue(queueRun, o.onEvent ?? (() => undefined), o.signal));
}
