import { createHash, randomUUID } from 'node:crypto';
import type { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { ShipshapeError, type HostStats, type Reporter, type RunSummary } from '@shipshape/core';
import { BULL_PREFIX, keys, PREFIX, RUN_DATA_TTL_S } from './keys.js';
import { EventMerger } from './merge.js';
import type { PlaybookBundle, SliceFlags, SliceJob, SliceMessage } from './protocol.js';
import { newRedis, orLost, QueueUnavailable, RedisHealth } from './redis.js';
import { cutSlices, defaultSliceSize, type Slice } from './slices.js';
import { liveWorkers } from './status.js';
import type { QueueTarget } from './url.js';
import { decode, encode, type WireInventory } from './wire.js';

/** Hosts run together: the whole run, or one `serial` batch of a play. */
export interface Phase {
  readonly hosts: readonly string[];
  /** Plays to run; all when absent. */
  readonly plays?: readonly number[];
  /** Hosts batched for `serial` by the controller. */
  readonly batched?: boolean;
}

export interface QueueRun {
  readonly target: QueueTarget;
  /** How long Redis may stay away (or workers be missing) before the run fails. */
  readonly timeoutMs: number;
  readonly playbookName: string;
  readonly bundle: PlaybookBundle;
  readonly inventory: WireInventory;
  /** Every play's name and selected hosts, in order. */
  readonly plays: readonly { readonly name: string; readonly hosts: readonly string[] }[];
  readonly phases: readonly Phase[];
  /** A host's worker tag (`shipshape_worker_tag`), if pinned. */
  readonly tagOf: (host: string) => string | undefined;
  /** Hosts per slice; default: the hosts spread over the live workers' slots. */
  readonly sliceSize?: number;
  readonly flags: SliceFlags;
  readonly check: boolean;
  readonly diff: boolean;
}

/** A slice failed on its worker for a reason of its own (not a task: a playbook that would not load). */
export class SliceFailed extends ShipshapeError {
  constructor(message: string) {
    super('QUEUE', message);
  }
}

const newStats = (): HostStats => ({ ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 });

/**
 * Run a playbook through the queue: slices go to workers, their events come back into `onEvent`
 * as one run's, the summary covers each host once (its slice's last attempt).
 */
export async function runOnQueue(r: QueueRun, onEvent: Reporter, signal?: AbortSignal): Promise<RunSummary> {
  const t0 = Date.now();
  const health = new RedisHealth(r.target, r.timeoutMs);
  const clients: Redis[] = [];
  const client = async (role: string) => {
    const c = health.watch(await newRedis(r.target, `${PREFIX}:controller:${role}`));
    clients.push(c);
    return c;
  };
  const queues = new Map<string | undefined, Queue>();
  const queueEvents: QueueEvents[] = [];
  let clean = false;
  let alive: NodeJS.Timeout | undefined;
  let stuck: NodeJS.Timeout | undefined;
  try {
    const redis = await client('commands');
    await orLost(health, redis.ping());
    const workers = await orLost(health, liveWorkers(redis));
    if (!workers.length) {
      throw new QueueUnavailable(`no worker serves the queue at ${r.target.shown}: start one with shipshape worker --queue ${r.target.shown}`);
    }
    const slotsFor = (tag: string | undefined) => workers.filter((w) => tag === undefined || w.tags.includes(tag)).reduce((n, w) => n + w.concurrency, 0);
    const hostsByTag = new Map<string | undefined, string[]>();
    for (const p of r.phases) for (const h of p.hosts) hostsByTag.set(r.tagOf(h), [...(hostsByTag.get(r.tagOf(h)) ?? []), h]);
    for (const [tag, hosts] of hostsByTag) {
      if (tag !== undefined && !slotsFor(tag)) {
        throw new QueueUnavailable(`no live worker has the tag ${JSON.stringify(tag)} that ${hosts.slice(0, 3).join(', ')}${hosts.length > 3 ? ', …' : ''} are pinned to (shipshape_worker_tag): start one with shipshape worker --queue ${r.target.shown} --tags ${tag}`);
      }
    }

    const runId = randomUUID().slice(0, 8);
    const bundleText = encode(r.bundle);
    const sha = createHash('sha256').update(bundleText).digest('hex');
    // Workers give up on a run whose controller stopped renewing this (they would wait for it between plays).
    const aliveMs = r.timeoutMs + 10_000;
    await orLost(health, redis.multi()
      .set(keys.playbook(sha), bundleText, 'EX', RUN_DATA_TTL_S)
      .set(keys.inventory(runId), encode(r.inventory), 'EX', RUN_DATA_TTL_S)
      .set(keys.alive(runId), '1', 'PX', aliveMs)
      .exec());
    alive = setInterval(() => void redis.set(keys.alive(runId), '1', 'PX', aliveMs).catch(() => undefined), Math.min(5000, r.timeoutMs / 3));

    const { Queue, QueueEvents } = await import('bullmq');
    const queueFor = (tag: string | undefined) => {
      let q = queues.get(tag);
      if (!q) {
        q = new Queue<SliceJob>(keys.queue(tag), { connection: redis, prefix: BULL_PREFIX });
        q.on('error', () => undefined); // outages are the health watch's
        queues.set(tag, q);
      }
      return q;
    };
    let fatal: ((e: Error) => void) | undefined;
    const failed = new Promise<never>((_res, rej) => (fatal = rej));
    failed.catch(() => undefined);
    const jobSlice = new Map<string, Slice>();
    for (const tag of hostsByTag.keys()) {
      const qe = new QueueEvents(keys.queue(tag), { connection: await client(`events-${tag ?? 'any'}`), prefix: BULL_PREFIX, autorun: true });
      qe.on('error', () => undefined);
      qe.on('failed', ({ jobId, failedReason }) => {
        const s = jobSlice.get(jobId);
        if (s) fatal?.(new SliceFailed(`slice ${s.index + 1} (${s.hosts.join(', ')}) failed on its worker: ${failedReason}`));
      });
      qe.on('stalled', ({ jobId }) => {
        const s = jobSlice.get(jobId);
        if (s) onEvent({ type: 'warning', msg: `slice ${s.index + 1} (${s.hosts.join(', ')}): its worker stopped answering; the slice goes back to the queue` });
      });
      await orLost(health, qe.waitUntilReady());
      queueEvents.push(qe);
    }

    onEvent({ type: 'run:start', playbook: r.playbookName, check: r.check, diff: r.diff });
    const merger = new EventMerger({
      plays: r.plays.map((p) => p.name),
      playHosts: (i, gone) => r.plays[i]!.hosts.filter((h) => !gone.has(h)),
      emit: onEvent,
    });

    /** Slices waiting between plays, at which play. */
    const waitsAt = new Map<number, number>();
    // The run's stream, read in order from the start; every message goes through the merger.
    const reader = await client('stream');
    let lastId = '0-0';
    let wake: (() => void) | undefined;
    let reading = true;
    const readLoop = (async () => {
      while (reading) {
        const res = (await reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', keys.events(runId), lastId)) as [string, [string, string[]][]][] | null;
        for (const [, entries] of res ?? []) {
          for (const [id, fields] of entries) {
            lastId = id;
            const m = decode(fields[1]!) as SliceMessage;
            if (m.kind === 'wait') waitsAt.set(m.slice, m.play);
            else merger.receive(m);
          }
        }
        wake?.();
      }
    })();
    readLoop.catch((e) => fatal?.(e as Error));

    // A slice waiting between plays for a slice that never starts (no free worker: more slices than
    // worker slots, or slots held by other runs) would wait for ever: past the timeout the run fails.
    let blockedSince: number | undefined;
    stuck = setInterval(() => {
      const waiting = current.filter((s) => waitsAt.has(s.index) && !merger.ended(s.index));
      const idle = current.filter((s) => !merger.started(s.index) && !merger.ended(s.index));
      if (!waiting.length || !idle.length) return void (blockedSince = undefined);
      blockedSince ??= Date.now();
      if (Date.now() - blockedSince < r.timeoutMs) return;
      const list = (l: Slice[]) => l.map((s) => s.index + 1).join(', ');
      const play = r.plays[waitsAt.get(waiting[0]!.index)!]?.name ?? '?';
      fatal?.(new QueueUnavailable(`slice(s) ${list(idle)} found no free worker for ${Math.round(r.timeoutMs / 1000)} s while slice(s) ${list(waiting)} wait for them to start play "${play}" (plays wait for each other across slices, so every slice of the run must run at once): start more workers, give them a higher --concurrency, or give a larger --slice-size (--queue-timeout)`));
    }, 1000);
    stuck.unref();

    let cancelled = false;
    let current: Slice[] = [];
    const started = new Set<number>();
    const cancel = async () => {
      if (cancelled) return;
      cancelled = true;
      await redis.multi().set(keys.cancelled(runId), '1', 'EX', RUN_DATA_TTL_S).publish(keys.cancelChannel, runId).exec();
      for (const s of current) {
        if (merger.ended(s.index)) continue;
        const removed = await queueFor(s.tag).remove(`${runId}-${s.index}`);
        if (removed) merger.dropSlice(s.index);
      }
      wake?.();
    };
    const onAbort = () => void cancel().catch((e) => fatal?.(e as Error));
    signal?.addEventListener('abort', onAbort);

    let next = 0;
    try {
      for (const phase of r.phases) {
        if (signal?.aborted || cancelled) break;
        const tagSlices = [...new Set(phase.hosts.map(r.tagOf))].flatMap((tag) => {
          const hosts = phase.hosts.filter((h) => r.tagOf(h) === tag);
          const size = r.sliceSize ?? defaultSliceSize(hosts.length, slotsFor(tag));
          const slices = cutSlices(hosts, size, () => tag, next);
          next += slices.length;
          return slices;
        });
        current = tagSlices;
        merger.startPhase(new Map(current.map((s) => [s.index, s.hosts])));
        for (const s of current) jobSlice.set(`${runId}-${s.index}`, s);
        await orLost(health, Promise.all([...new Set(current.map((s) => s.tag))].map((tag) => queueFor(tag).addBulk(current.filter((s) => s.tag === tag).map((s) => ({
          name: 'slice',
          data: { run: runId, slice: s.index, hosts: s.hosts, playbook: sha, plays: phase.plays, peers: current.map((x) => x.index), batched: phase.batched, flags: r.flags } satisfies SliceJob,
          // A worker that loses its host locks fails the attempt: the slice runs again (up to 5 times).
          opts: { jobId: `${runId}-${s.index}`, attempts: 5, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
        }))))));
        await Promise.race([
          new Promise<void>((resolve) => {
            wake = () => {
              if (current.every((s) => merger.ended(s.index))) resolve();
            };
            wake();
          }),
          failed,
          health.lost,
        ]);
        started.clear();
      }
    } catch (e) {
      // The run fails: its queued slices never start, its running ones stop (as far as Redis answers soon).
      await Promise.race([cancel().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      reading = false;
    }
    merger.finish();
    await readLoop.catch(() => undefined);

    const summaries = merger.summaries();
    const order = [...new Set(r.phases.flatMap((p) => p.hosts))];
    const byHost = new Map<string, HostStats>();
    const failedHosts = new Set<string>();
    const unreachableHosts = new Set<string>();
    let aborted = cancelled;
    for (const s of summaries.values()) {
      for (const [h, st] of Object.entries(s.stats)) byHost.set(h, { ...newStats(), ...st });
      s.failedHosts.forEach((h) => failedHosts.add(h));
      s.unreachableHosts.forEach((h) => unreachableHosts.add(h));
      aborted ||= s.aborted;
    }
    const stats = Object.fromEntries(order.filter((h) => byHost.has(h)).map((h) => [h, byHost.get(h)!]));
    const retried = order.filter((h) => merger.retried.has(h));
    const durationMs = Date.now() - t0;
    onEvent({ type: 'run:end', stats, durationMs, aborted, ...(retried.length ? { retried } : {}) });
    const between = r.plays.slice(1).flatMap((_p, i) => [keys.arrived(runId, i + 1), keys.shared(runId, i + 1)]);
    await redis.del(keys.events(runId), keys.inventory(runId), keys.cancelled(runId), keys.alive(runId), ...between).catch(() => undefined);
    clean = true;
    return {
      stats, results: [], durationMs, aborted,
      failedHosts: [...failedHosts], unreachableHosts: [...unreachableHosts],
      ok: failedHosts.size === 0 && unreachableHosts.size === 0,
      connections: 0, channels: 0,
    };
  } finally {
    clearInterval(alive);
    clearInterval(stuck);
    health.stop();
    if (clean) {
      await Promise.all([...queueEvents.map((q) => q.close()), ...[...queues.values()].map((q) => q.close())]).catch(() => undefined);
      await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
    } else {
      // Redis may be away: nothing here may wait for it.
      for (const q of queueEvents) void q.close().catch(() => undefined);
      for (const q of queues.values()) void q.close().catch(() => undefined);
      for (const c of clients) c.disconnect();
    }
  }
}
