import type { Redis } from 'ioredis';

// Compare-and-act on a lock's token: only its holder renews or frees it.
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const FREE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Per-host locks in Redis, so no host is ever worked on by two workers at once: each is a key
 * holding the holder's token with a TTL, renewed while the slice runs. A worker that dies stops
 * renewing; its locks expire after `ttlMs` and the slice's next attempt takes them.
 */
export class HostLocks {
  private renewTimer?: NodeJS.Timeout;
  private lastRenewed = Date.now();

  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (host: string) => string,
    private readonly hosts: readonly string[],
    private readonly token: string,
    private readonly ttlMs: number,
  ) {}

  /**
   * Take every host's lock, waiting for locks another holder still has (they expire unless renewed).
   * `onWait` names the hosts still held, once per wait.
   */
  async acquire(signal: AbortSignal, onWait: (held: string[]) => void): Promise<boolean> {
    const missing = new Set(this.hosts);
    let waited = false;
    while (missing.size) {
      for (const h of [...missing]) {
        if ((await this.redis.set(this.keyOf(h), this.token, 'PX', this.ttlMs, 'NX')) === 'OK') missing.delete(h);
      }
      if (!missing.size) break;
      if (signal.aborted) {
        await this.release();
        return false;
      }
      if (!waited) onWait([...missing]);
      waited = true;
      // A held lock frees itself within its TTL: look again after a fraction of it.
      await new Promise((r) => setTimeout(r, Math.min(500, this.ttlMs / 4)));
    }
    this.lastRenewed = Date.now();
    return true;
  }

  /**
   * Renew every `ttlMs / 3`; `onLost` once a lock is no longer ours, or when no renewal has succeeded
   * for two thirds of the TTL (Redis away: past that, another worker may take the hosts over).
   */
  keepAlive(onLost: (why: string) => void): void {
    let inFlight = false;
    let lost = false;
    const lose = (why: string) => {
      if (!lost) onLost(why);
      lost = true;
    };
    const tick = async () => {
      inFlight = true;
      try {
        const pipe = this.redis.pipeline();
        for (const h of this.hosts) pipe.eval(RENEW, 1, this.keyOf(h), this.token, String(this.ttlMs));
        const res = (await pipe.exec()) ?? [];
        const gone = this.hosts.filter((_h, i) => res[i]?.[1] !== 1);
        if (gone.length) lose(`the lock of ${gone.join(', ')} is no longer this worker's`);
        else this.lastRenewed = Date.now();
      } catch {
        // counted by the age check below
      } finally {
        inFlight = false;
      }
    };
    this.renewTimer = setInterval(() => {
      if (Date.now() - this.lastRenewed > (this.ttlMs * 2) / 3) lose(`the host locks could not be renewed for ${Math.round(this.ttlMs / 1500)} s (Redis away)`);
      if (!inFlight) void tick();
    }, this.ttlMs / 3);
  }

  async release(): Promise<void> {
    clearInterval(this.renewTimer);
    const pipe = this.redis.pipeline();
    for (const h of this.hosts) pipe.eval(FREE, 1, this.keyOf(h), this.token);
    await pipe.exec().catch(() => undefined);
  }
}
