import { ArgumentError } from '@shipshape/core';
/** Every Redis key and BullMQ name shipshape uses; all start with `shipshape`. */
export const PREFIX = 'shipshape';
/** BullMQ's key prefix (its queues live under shipshape:<queue>:…). */
export const BULL_PREFIX = PREFIX;
export const ANY_QUEUE = 'slices';
const TAG = /^[A-Za-z0-9_.-]{1,64}$/;

/** A worker tag as a queue name part; letters, digits, `_`, `.` and `-`. */
export function checkTag(tag: string, where: string): string {
  if (!TAG.test(tag)) throw new ArgumentError(`${where}: worker tag ${JSON.stringify(tag)} must be 1 to 64 letters, digits, "_", "." or "-"`);
  return tag;
}

export const keys = {
  queue: (tag?: string) => (tag === undefined ? ANY_QUEUE : `slices-tag-${tag}`),
  playbook: (sha: string) => `${PREFIX}:playbook:${sha}`,
  inventory: (run: string) => `${PREFIX}:run:${run}:inventory`,
  events: (run: string) => `${PREFIX}:run:${run}:events`,
  cancelled: (run: string) => `${PREFIX}:run:${run}:cancelled`,
  /** Kept while the run's controller lives (a worker waiting between plays gives up without it). */
  alive: (run: string) => `${PREFIX}:run:${run}:alive`,
  /** Slices that have finished the plays before `play`, and what they share of their hosts then. */
  arrived: (run: string, play: number) => `${PREFIX}:run:${run}:play:${play}:arrived`,
  shared: (run: string, play: number) => `${PREFIX}:run:${run}:play:${play}:hosts`,
  cancelChannel: `${PREFIX}:cancel`,
  hostLock: (host: string) => `${PREFIX}:host-lock:${host}`,
  workers: `${PREFIX}:workers`,
  worker: (name: string) => `${PREFIX}:worker:${name}`,
};

/** How long a run's data stays in Redis after it was written, at most (a controller that died leaves it). */
export const RUN_DATA_TTL_S = 24 * 3600;
