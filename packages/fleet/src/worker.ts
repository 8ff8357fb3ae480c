import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { run, ShipshapeError, type PlaybookDef, type RunEvent, type Vars } from '@shipshape/core';
import { BULL_PREFIX, checkTag, keys, PREFIX } from './keys.js';
import { HostLocks } from './locks.js';
import type { PlaybookBundle, SliceJob, SliceSummary } from './protocol.js';
import { streamWriter, wanted } from './publish.js';
import { newRedis } from './redis.js';
import { ControllerGone, playSync } from './sync.js';
import type { QueueTarget } from './url.js';
import { decode, fromWire, inventoryFromWire, type Unvault, type WireInventory } from './wire.js';

export interface WorkerOptions {
  readonly target: QueueTarget;
  /** @default `<hostname>-<pid>` */
  readonly name?: string;
  /** Slices of hosts pinned to these tags (`shipshape_worker_tag`) run here too. */
  readonly tags?: readonly string[];
  /** Slices worked on at once (per queue: the untagged one and each tag's). @default 1 */
  readonly concurrency?: number;
  /**
   * Milliseconds after which a slice whose worker stopped answering is taken over: BullMQ's job lock
   * and stalled check, and the host locks' TTL. @default 30000
   */
  readonly stallTimeoutMs?: number;
  /** The compiled playbook as a module of this process (its @shipshape/* imports resolved to ours). */
  readonly loadPlaybook: (bundle: PlaybookBundle, sha: string) => Promise<{ playbook: PlaybookDef; dir: string }>;
  /** Decrypts inline vault values with this worker's own vault password. */
  readonly unvault: Unvault;
  /** One line about what the worker does (stderr). */
  readonly log: (line: string) => void;
}

export interface RunningWorker {
  readonly name: string;
  /** Stop taking slices; running slices finish first. */
  close(): Promise<void>;
}

/** What `queue status` shows of a worker (kept fresh in Redis while it lives). */
export interface WorkerInfo {
  readonly name: string;
  readonly host: string;
  readonly pid: number;
  readonly tags: readonly string[];
  readonly concurrency: number;
  readonly since: string;
  readonly active: readonly { readonly run: string; readonly slice: number; readonly hosts: number }[];
}

/**
 * Serve slices from the queue: each runs with the in-process runner on its hosts, its events go to
 * the run's stream, its hosts are locked in Redis while it runs.
 * @example await startWorker({ target: parseQueueUrl('redis://10.0.0.5:6379'), loadPlaybook, unvault, log: console.error })
 */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const { Worker, UnrecoverableError } = await import('bullmq');
  const name = o.name ?? `${hostname()}-${process.pid}`;
  const tags = (o.tags ?? []).map((t) => checkTag(t, '--tags'));
  const stall = o.stallTimeoutMs ?? 30000;
  const concurrency = o.concurrency ?? 1;
  const redis = await newRedis(o.target, `${PREFIX}:worker:${name}`);
  const sub = redis.duplicate();
  for (const c of [redis, sub]) c.on('error', () => undefined); // reconnects on its own; shown once below
  let downSince: number | undefined;
  redis.on('close', () => {
    if (downSince === undefined) o.log(`lost Redis at ${o.target.shown}; reconnecting`);
    downSince ??= Date.now();
  });
  redis.on('ready', () => {
    if (downSince !== undefined) o.log(`Redis at ${o.target.shown} is back`);
    downSince = undefined;
  });
  const active = new Map<string, { run: string; slice: number; hosts: number; abort: AbortController }>();
  const cache = new Map<string, Promise<unknown>>();
  const info = (): WorkerInfo => ({
    name, host: hostname(), pid: process.pid, tags, concurrency, since,
    active: [...active.values()].map(({ run: r, slice, hosts }) => ({ run: r, slice, hosts })),
  });
  const since = new Date().toISOString();
  const heartbeat = () => redis.multi().sadd(keys.workers, name).set(keys.worker(name), JSON.stringify(info()), 'PX', stall * 2).exec().catch(() => undefined);
  await heartbeat();
  const beat = setInterval(() => void heartbeat(), stall / 3);

  await sub.subscribe(keys.cancelChannel);
  sub.on('message', (_channel, runId: string) => {
    for (const a of active.values()) {
      if (a.run !== runId || a.abort.signal.aborted) continue;
      a.abort.abort();
      o.log(`slice ${a.slice + 1} of run ${runId}: cancelled by its controller; finishing the in-flight tasks`);
    }
  });

  const fetched = <T>(key: string, what: string): Promise<T> => {
    let p = cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = redis.get(key).then((text) => {
        if (text === null) throw new ShipshapeError('ABORTED', `the run's ${what} is no longer in Redis (${key}): its controller is gone`);
        return decode(text) as T;
      });
      p.catch(() => cache.delete(key));
      cache.set(key, p);
    }
    return p;
  };

  const processor = async (job: Job<SliceJob>): Promise<SliceSummary> => {
    const d = job.data;
    const attempt = Math.max(1, job.attemptsStarted ?? 1);
    const out = streamWriter(redis, d.run);
    const abort = new AbortController();
    const slot = `${d.run}/${d.slice}/${attempt}`;
    active.set(slot, { run: d.run, slice: d.slice, hosts: d.hosts.length, abort });
    void heartbeat();
    const locks = new HostLocks(redis, keys.hostLock, d.hosts, `${name}/${randomUUID()}`, stall);
    const empty: SliceSummary = { stats: {}, failedHosts: [], unreachableHosts: [], aborted: true };
    try {
      out.write({ kind: 'start', slice: d.slice, attempt, worker: name });
      const [cancelled, alive] = await Promise.all([redis.exists(keys.cancelled(d.run)), redis.exists(keys.alive(d.run))]);
      if (cancelled || !alive) abort.abort();
      const locked = await locks.acquire(abort.signal, (held) => o.log(`slice ${d.slice + 1} of run ${d.run}: waiting for the locks of ${held.join(', ')} (held by another worker)`));
      if (!locked) {
        out.write({ kind: 'end', slice: d.slice, attempt, worker: name, summary: empty });
        return empty;
      }
      let lockLost: string | undefined;
      locks.keepAlive((why) => {
        o.log(`slice ${d.slice + 1} of run ${d.run}: ${why}; starting no new task, the slice will run again`);
        lockLost = why;
        abort.abort();
      });
      // What cannot work on another attempt either fails the slice at once.
      let inventory: WireInventory;
      let loaded: { playbook: PlaybookDef; dir: string };
      try {
        const [bundle, inv] = await Promise.all([
          fetched<PlaybookBundle>(keys.playbook(d.playbook), 'playbook'),
          fetched<WireInventory>(keys.inventory(d.run), 'inventory'),
        ]);
        inventory = inv;
        loaded = await loadCached(cache, d.playbook, () => o.loadPlaybook(bundle, d.playbook));
      } catch (e) {
        throw new UnrecoverableError((e as Error).message);
      }
      const plays = loaded.playbook.plays
        .filter((_p, i) => !d.plays || d.plays.includes(i))
        .map((p) => (d.batched ? { ...p, serial: undefined } : p));
      o.log(`slice ${d.slice + 1} of run ${d.run} (attempt ${attempt}): ${d.hosts.join(', ')}`);
      const f = d.flags;
      const together = d.peers && d.peers.length > 1 && plays.length > 1;
      const sync = together
        ? playSync({
          redis, run: d.run, slice: d.slice, peers: d.peers!, hosts: new Set(inventory.hosts.map((h) => h.name)), unvault: o.unvault, signal: abort.signal,
          waiting: (play) => out.write({ kind: 'wait', slice: d.slice, attempt, play }),
        })
        : undefined;
      const summary = await run({ ...loaded.playbook, plays }, {
        sync,
        playHostsAll: (i) => inventory.plays[plays[i]?.hosts ?? 'all'] ?? [],
        inventory: inventoryFromWire(inventory, d.hosts, o.unvault),
        extraVars: fromWire(f.extraVars, o.unvault) as Vars,
        check: f.check, diff: f.diff, tags: f.tags, skipTags: f.skipTags, forks: f.forks, taskTimeout: f.taskTimeout, startAtTask: f.startAtTask,
        playbookDir: loaded.dir,
        onEvent: (event: RunEvent) => {
          if (wanted(event, f.verbosity)) out.write({ kind: 'event', slice: d.slice, attempt, event });
        },
        signal: abort.signal,
      }).catch((e: unknown) => {
        // Nobody is left to report to: another attempt would wait the same way.
        if (e instanceof ControllerGone) throw new UnrecoverableError(e.message);
        throw e;
      });
      // Hosts another worker may have taken over: this attempt's results do not count.
      if (lockLost) throw new ShipshapeError('ABORTED', `lost the host locks: ${lockLost}`);
      const result: SliceSummary = { stats: summary.stats, failedHosts: summary.failedHosts, unreachableHosts: summary.unreachableHosts, aborted: summary.aborted };
      out.write({ kind: 'end', slice: d.slice, attempt, worker: name, summary: result });
      await out.flush();
      return result;
    } finally {
      await locks.release();
      active.delete(slot);
      void heartbeat();
    }
  };

  const workers: Worker[] = [undefined, ...tags].map((tag) => {
    const w = new Worker<SliceJob, SliceSummary>(keys.queue(tag), processor, {
      connection: redis, prefix: BULL_PREFIX, concurrency, name,
      lockDuration: stall, stalledInterval: stall, maxStalledCount: 5,
      removeOnComplete: { count: 100 }, removeOnFail: { count: 100 },
    });
    w.on('error', () => undefined); // Redis away: shown by the connection's own messages
    w.on('failed', (job, e) => job && o.log(`slice ${job.data.slice + 1} of run ${job.data.run} failed: ${e.message}`));
    return w;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  o.log(`worker ${name} serving ${o.target.shown}${tags.length ? ` (tags ${tags.join(', ')})` : ''}, ${concurrency} slice(s) at once`);

  return {
    name,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      clearInterval(beat);
      await redis.multi().srem(keys.workers, name).del(keys.worker(name)).exec().catch(() => undefined);
      sub.disconnect();
      redis.disconnect();
    },
  };
}

function loadCached<T>(cache: Map<string, Promise<unknown>>, sha: string, load: () => Promise<T>): Promise<T> {
  const key = `loaded:${sha}`;
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
