/**
 * At most `size` callers inside `use` at once. A releasing caller hands its slot straight to the longest
 * waiter, so a newcomer arriving between the release and the waiter's wake-up cannot slip in and exceed `size`.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
