import { describe, expect, it } from '@jest/globals';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('hands a released slot to the waiter: a newcomer arriving at the release waits its turn', async () => {
    const gate = new Semaphore(1);
    let inside = 0;
    let most = 0;
    const order: string[] = [];
    const hold = (name: string, release: Promise<void>) => gate.use(async () => {
      inside++;
      most = Math.max(most, inside);
      order.push(name);
      await release;
      inside--;
    });
    let releaseA!: () => void;
    const a = hold('a', new Promise<void>((r) => (releaseA = r)));
    const b = hold('b', Promise.resolve());
    await Promise.resolve();
    releaseA();
    // Arrives after A's release is scheduled, before B has woken up.
    await Promise.resolve();
    await Promise.resolve();
    const c = hold('c', Promise.resolve());
    await Promise.all([a, b, c]);
    expect(most).toBe(1);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('lets `size` callers in at once and no more, whatever the timing', async () => {
    const gate = new Semaphore(3);
    let inside = 0;
    let most = 0;
    const tick = () => new Promise<void>((r) => setImmediate(r));
    await Promise.all(Array.from({ length: 40 }, (_, i) => gate.use(async () => {
      inside++;
      most = Math.max(most, inside);
      for (let k = 0; k < i % 4; k++) await tick();
      inside--;
    })));
    expect(most).toBe(3);
  });
});
