import type { Redis } from 'ioredis';
import type { RunEvent } from '@shipshape/core';
import { keys, RUN_DATA_TTL_S } from './keys.js';
import type { SliceMessage } from './protocol.js';
import { encode } from './wire.js';

/** Events the controller would not show at its verbosity are not sent. */
export function wanted(e: RunEvent, verbosity: number): boolean {
  if (e.type === 'command' || e.type === 'log') return verbosity >= 1;
  if (e.type === 'output') return verbosity >= 2;
  if (e.type === 'connect') return verbosity >= 3;
  return true;
}

/**
 * Appends a slice's messages to its run's event stream, in order, batched per turn of the event
 * loop (one pipeline). `flush` resolves once everything written so far is in Redis.
 */
export function streamWriter(redis: Redis, run: string): { write(m: SliceMessage): void; flush(): Promise<void> } {
  const key = keys.events(run);
  let batch: SliceMessage[] = [];
  let last: Promise<unknown> = Promise.resolve();
  const send = () => {
    const pipe = redis.pipeline();
    for (const m of batch) pipe.xadd(key, '*', 'm', encode(m));
    pipe.expire(key, RUN_DATA_TTL_S);
    batch = [];
    last = last.then(() => pipe.exec());
  };
  return {
    write(m) {
      if (!batch.length) setImmediate(send);
      batch.push(m.kind === 'event' && m.event.type === 'output' ? { ...m, event: { ...m.event, result: { ...m.event.result, stdoutBytes: Buffer.alloc(0) } } } : m);
    },
    async flush() {
      if (batch.length) send();
      await last;
    },
  };
}
