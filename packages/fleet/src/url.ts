import { isIP } from 'node:net';
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

export interface QueueUrlOptions {
  /**
   * With `rediss://`: the certificates (PEM) the server's must be issued by, instead of Node's
   * default trust store (which NODE_EXTRA_CA_CERTS extends). Either way the certificate is verified,
   * its name against the URL's host.
   */
  readonly ca?: string;
}

/**
 * Parse `redis://[user:pass@]host:port[/db]` or `rediss://…`. The password is a secret from here
 * on: every message shows the URL with it masked.
 * @example parseQueueUrl('redis://:s3cret@10.0.0.5:6379/2')
 */
export function parseQueueUrl(text: string, o: QueueUrlOptions = {}): QueueTarget {
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
  const tls = u.protocol === 'rediss:';
  if (o.ca !== undefined && !tls) throw bad('--queue-ca is for a TLS server: give a rediss:// URL');
  // SNI carries names only (RFC 6066); an address is checked against the certificate's IP entries.
  return {
    shown: shownOf(text),
    options: {
      host, port, db: dbText === '' ? 0 : Number(dbText),
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(password ? { password } : {}),
      ...(tls ? { tls: { ...(isIP(host) ? {} : { servername: host }), ...(o.ca !== undefined ? { ca: o.ca } : {}) } } : {}),
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
