import { ArgumentError, registerSecretValue } from '@shipshape/core';
import type { RedisOptions } from 'ioredis';

/** Where the queue lives: a Redis server, as given by `--queue`. */
export interface QueueTarget {
  /** The URL with its password masked, for messages. */
  readonly shown: string;
  /** ioredis options: reconnect with backoff, commands wait while disconnected (BullMQ needs that). */
  readonly options: RedisOptions;
}

const FORM = 'redis://[user:password@]host:port[/db] or rediss://… (TLS)';

/**
 * Parse `redis://[user:pass@]host:port[/db]` or `rediss://…`. The password is a secret from here
 * on: every message shows the URL with it masked.
 * @example parseQueueUrl('redis://:s3cret@10.0.0.5:6379/2')
 */
export function parseQueueUrl(text: string): QueueTarget {
  const bad = (why: string) => new ArgumentError(`--queue ${JSON.stringify(shownOf(text))}: ${why} (give ${FORM})`, 'queue', shownOf(text));
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw bad('not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw bad(`the scheme must be redis or rediss, not ${u.protocol.replace(/:$/, '')}`);
  if (!u.hostname) throw bad('no host');
  const port = u.port ? Number(u.port) : 6379;
  const dbText = u.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw bad(`the database must be a number, not ${JSON.stringify(dbText)}`);
  if (u.search || u.hash) throw bad('query strings and fragments are not understood');
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  if (password) registerSecretValue(password);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    shown: shownOf(text),
    options: {
      host, port, db: dbText === '' ? 0 : Number(dbText),
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(password ? { password } : {}),
      ...(u.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      // Reconnect with exponential backoff: 100 ms, 200 ms, … at most 2 s between attempts.
      retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times - 1, 5), 2000),
      connectTimeout: 5000,
    },
  };
}

/** The URL as shown: the password replaced by the mask. */
function shownOf(text: string): string {
  return text.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, '$1********@');
}
