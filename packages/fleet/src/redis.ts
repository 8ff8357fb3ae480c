import type { Redis } from 'ioredis';
import { ShipshapeError } from '@shipshape/core';
import type { QueueTarget } from './url.js';

/** Redis went away (or never answered) for longer than the run allows. */
export class QueueUnavailable extends ShipshapeError {
  constructor(message: string, options?: ErrorOptions) {
    super('QUEUE', message, options);
  }
}

/** ioredis, loaded only by queue mode. */
export async function newRedis(target: QueueTarget, name: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  return new Redis({ ...target.options, connectionName: name, lazyConnect: false });
}

/**
 * Watches connections: when any of them has been away (or has not come up) for `timeoutMs`,
 * `lost` settles with a message naming the server and the last error. ioredis keeps reconnecting
 * with backoff meanwhile; a connection back in time ends the outage.
 */
export class RedisHealth {
  private readonly down = new Map<Redis, { since: number; error?: string }>();
  private timer?: NodeJS.Timeout;
  private fail!: (e: QueueUnavailable) => void;
  /** Rejects once the outage lasted too long; never resolves. */
  readonly lost: Promise<never>;

  constructor(private readonly target: QueueTarget, private readonly timeoutMs: number) {
    this.lost = new Promise<never>((_r, reject) => (this.fail = reject));
    this.lost.catch(() => undefined);
  }

  watch(client: Redis): Redis {
    const away = (error?: string) => {
      const was = this.down.get(client);
      this.down.set(client, { since: was?.since ?? Date.now(), error: error ?? was?.error });
      this.arm();
    };
    if (client.status !== 'ready') away();
    client.on('error', (e: Error) => away(e.message));
    client.on('close', () => away());
    client.on('ready', () => {
      this.down.delete(client);
      this.arm();
    });
    return client;
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.down.size) return;
    const first = Math.min(...[...this.down.values()].map((d) => d.since));
    const error = [...this.down.values()].map((d) => d.error).find(Boolean);
    this.timer = setTimeout(() => {
      const s = Math.round(this.timeoutMs / 100) / 10;
      this.fail(new QueueUnavailable(`the queue's Redis at ${this.target.shown} has not answered for ${s} s${error ? ` (${error})` : ''}: giving up (--queue-timeout)`));
    }, Math.max(0, first + this.timeoutMs - Date.now()));
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** `p`, or the outage's error if Redis stays away too long first. */
export function orLost<T>(health: RedisHealth, p: Promise<T>): Promise<T> {
  return Promise.race([p, health.lost]);
}
