import type { Redis } from 'ioredis';
import { BULL_PREFIX, keys } from './keys.js';
import type { WorkerInfo } from './worker.js';
import type { QueueTarget } from './url.js';
import { newRedis, orLost, RedisHealth } from './redis.js';

/** Workers whose heartbeat is fresh; the stale ones are forgotten. */
export async function liveWorkers(redis: Redis): Promise<WorkerInfo[]> {
  const names = (await redis.smembers(keys.workers)).sort();
  if (!names.length) return [];
  const values = await redis.mget(...names.map(keys.worker));
  const gone = names.filter((_n, i) => values[i] === null);
  if (gone.length) await redis.srem(keys.workers, ...gone);
  return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as WorkerInfo);
}

export interface QueueStatus {
  readonly workers: readonly WorkerInfo[];
  /** Per queue (`slices`, `slices-tag-<tag>`): slices waiting and running. */
  readonly queues: readonly { readonly name: string; readonly waiting: number; readonly active: number; readonly slices: readonly { readonly id: string; readonly state: 'waiting' | 'active'; readonly hosts: number }[] }[];
}

/** Workers (tags, load) and queued or running slices. */
export async function queueStatus(target: QueueTarget, timeoutMs: number): Promise<QueueStatus> {
  const health = new RedisHealth(target, timeoutMs);
  const redis = health.watch(await newRedis(target, 'shipshape:status'));
  const { Queue } = await import('bullmq');
  try {
    const workers = await orLost(health, liveWorkers(redis));
    const names = new Set(['slices', ...workers.flatMap((w) => w.tags.map((t) => keys.queue(t)))]);
    // Queues with jobs whose workers are gone still show.
    for (const k of await orLost(health, redis.keys(`${BULL_PREFIX}:slices*:meta`))) names.add(k.slice(BULL_PREFIX.length + 1, -':meta'.length));
    const queues = [];
    for (const name of [...names].sort()) {
      const q = new Queue(name, { connection: redis, prefix: BULL_PREFIX });
      const [waiting, active] = await orLost(health, Promise.all([q.getWaiting(0, 199), q.getActive(0, 199)]));
      const slice = (state: 'waiting' | 'active') => (j: { id?: string; data: { hosts?: unknown[] } }) => ({ id: j.id ?? '?', state, hosts: j.data.hosts?.length ?? 0 });
      queues.push({ name, waiting: waiting.length, active: active.length, slices: [...active.map(slice('active')), ...waiting.map(slice('waiting'))] });
      await q.close();
    }
    return { workers, queues };
  } finally {
    health.stop();
    redis.disconnect();
  }
}

/** `queue status` as text. */
export function renderStatus(target: QueueTarget, s: QueueStatus): string {
  const lines = [`queue ${target.shown}`, '', `workers (${s.workers.length}):`];
  for (const w of s.workers) {
    const load = w.active.reduce((n, a) => n + 1 + 0 * a.hosts, 0);
    lines.push(`  ${w.name}  host ${w.host} pid ${w.pid}  tags ${w.tags.length ? w.tags.join(',') : '-'}  load ${load}/${w.concurrency}${w.active.length ? `  running ${w.active.map((a) => `${a.run}-${a.slice} (${a.hosts} hosts)`).join(', ')}` : ''}`);
  }
  lines.push('', 'slices:');
  for (const q of s.queues) {
    lines.push(`  ${q.name}: ${q.waiting} queued, ${q.active} active`);
    for (const j of q.slices) lines.push(`    ${j.id}  ${j.state}  ${j.hosts} hosts`);
  }
  return lines.join('\n');
}
