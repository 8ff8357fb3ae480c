import type { Redis } from 'ioredis';
import { ShipshapeError, type SharedHostState, type Vars } from '@shipshape/core';
import { keys, RUN_DATA_TTL_S } from './keys.js';
import { decode, encode, fromWire, sharedToWire, type Unvault } from './wire.js';

/** How often a slice waiting between plays looks whether the others got there (a set's size in Redis). */
const POLL_MS = 200;

/** The run's controller is gone while a slice waited between plays: the slice cannot finish. */
export class ControllerGone extends ShipshapeError {
  constructor(run: string) {
    super('ABORTED', `run ${run}: its controller is gone (no word from it in Redis) while this slice waited for the other slices between plays`);
  }
}

export interface PlaySyncOptions {
  readonly redis: Redis;
  readonly run: string;
  readonly slice: number;
  /** Every slice of the phase, this one included. */
  readonly peers: readonly number[];
  /** The run's hosts: what other slices share of any other name is ignored. */
  readonly hosts: ReadonlySet<string>;
  readonly unvault: Unvault;
  readonly signal: AbortSignal;
  /** Told once per play the slice waits at (the controller watches for slices that never start). */
  readonly waiting: (play: number) => void;
}

/** A plain object from JSON, else undefined. */
function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Between plays, through Redis: a slice writes its hosts' facts and registered vars under the play
 * it is about to start and marks itself arrived; once every slice of the phase has, it reads what
 * the others wrote (untrusted data: JSON of the expected shape, only the run's hosts, never its own).
 */
export function playSync(o: PlaySyncOptions): (play: number, own: Readonly<Record<string, SharedHostState>>) => Promise<Record<string, SharedHostState>> {
  return async (play, own) => {
    const fields = Object.entries(own).flatMap(([h, st]) => [h, encode(sharedToWire(st))]);
    const multi = o.redis.multi();
    if (fields.length) multi.hset(keys.shared(o.run, play), ...fields);
    await multi
      .sadd(keys.arrived(o.run, play), String(o.slice))
      .expire(keys.shared(o.run, play), RUN_DATA_TTL_S)
      .expire(keys.arrived(o.run, play), RUN_DATA_TTL_S)
      .exec();
    o.waiting(play);
    const peers = o.peers.map(String);
    for (;;) {
      if (o.signal.aborted) return {};
      const [arrived, alive] = await Promise.all([o.redis.smembers(keys.arrived(o.run, play)), o.redis.exists(keys.alive(o.run))]);
      if (!alive) throw new ControllerGone(o.run);
      const there = new Set(arrived);
      if (peers.every((p) => there.has(p))) break;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          o.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, POLL_MS);
        o.signal.addEventListener('abort', done);
      });
    }
    const all = await o.redis.hgetall(keys.shared(o.run, play));
    const theirs: Record<string, SharedHostState> = {};
    for (const [host, text] of Object.entries(all)) {
      if (!o.hosts.has(host) || host in own || host === '__proto__') continue;
      let value: unknown;
      try {
        value = fromWire(decode(text), o.unvault);
      } catch {
        continue; // not JSON, or a vault value this worker cannot open: nothing to show of that host
      }
      const st = record(value);
      const registered = record(st?.registered);
      if (!st || !registered) continue;
      const facts = record(st.facts);
      theirs[host] = { registered: registered as Vars, ...(facts ? { facts: facts as Vars } : {}), ...(st.failed === true ? { failed: true } : {}) };
    }
    return theirs;
  };
}
