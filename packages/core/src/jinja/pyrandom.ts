/**
 * Python's `random.Random` (CPython 3.11): the Mersenne Twister seeded as `Random(seed)` seeds it, so a
 * seeded `random` or `shuffle` filter gives what Ansible gives (`{{ 59 | random(seed=inventory_hostname) }}`
 * picks the same minute on every controller). Without a seed, the system's random source, as Ansible's
 * SystemRandom.
 */
import { createHash, randomInt } from 'node:crypto';
import { TemplateUsageError } from './errors.js';

const N = 624;
const M = 397;

/** The source both draw from: 32 random bits at a time. */
interface Source {
  uint32(): number;
}

class MersenneTwister implements Source {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(key: readonly number[]) {
    this.initGenrand(19650218);
    const mt = this.mt;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) mt[i] = (Math.imul(1812433253, mt[i - 1]! ^ (mt[i - 1]! >>> 30)) + i) >>> 0;
    this.index = N;
  }

  uint32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
        mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

const systemSource: Source = { uint32: () => randomInt(0, 2 ** 32) };

/** `Random(seed)`'s key: the seed's absolute value in 32-bit words, least significant first (a str as version 2 hashes it). */
function seedKey(seed: unknown): number[] {
  let n: bigint;
  if (typeof seed === 'string') {
    const bytes = Buffer.from(seed, 'utf8');
    n = BigInt(`0x${Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]).toString('hex')}`);
  } else if (typeof seed === 'boolean') n = seed ? 1n : 0n;
  else if (typeof seed === 'number' && Number.isInteger(seed)) n = BigInt(seed);
  else if (typeof seed === 'bigint') n = seed;
  else throw new TemplateUsageError(`random: seed must be a string or an integer, not ${JSON.stringify(seed)}`);
  if (n < 0n) n = -n;
  const key: number[] = [];
  do {
    key.push(Number(n & 0xffffffffn));
    n >>= 32n;
  } while (n > 0n);
  return key;
}

/** A Python `random.Random`: seeded (None or undefined: the system's source). */
export class PyRandom {
  private readonly source: Source;

  constructor(seed?: unknown) {
    this.source = seed === undefined || seed === null ? systemSource : new MersenneTwister(seedKey(seed));
  }

  /** `getrandbits(k)`: k random bits (32-bit words, the last one's low bits dropped). */
  getrandbits(k: number): bigint {
    let r = 0n;
    for (let i = 0, left = k; left > 0; i++, left -= 32) {
      let w = this.source.uint32();
      if (left < 32) w >>>= 32 - left;
      r |= BigInt(w) << BigInt(32 * i);
    }
    return r;
  }

  /** `_randbelow(n)`: uniform in [0, n), by rejection over n's bit length. */
  randbelow(n: number): number {
    const k = n.toString(2).length;
    const big = BigInt(n);
    let r = this.getrandbits(k);
    while (r >= big) r = this.getrandbits(k);
    return Number(r);
  }

  randrange(start: number, stop: number, step: number): number {
    const width = stop - start;
    const count = step > 0 ? Math.floor((width + step - 1) / step) : step < 0 ? Math.floor((width + step + 1) / step) : 0;
    if (step === 0) throw new TemplateUsageError('random: zero step for randrange()');
    if (count <= 0) throw new TemplateUsageError(`random: empty range for randrange() (${start}, ${stop}, ${step})`);
    return start + step * this.randbelow(count);
  }

  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new TemplateUsageError('random: cannot choose from an empty sequence');
    return seq[this.randbelow(seq.length)]!;
  }

  /** `shuffle(x)` in place: Fisher-Yates from the end, as CPython. */
  shuffle<T>(x: T[]): T[] {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      [x[i], x[j]] = [x[j]!, x[i]!];
    }
    return x;
  }
}
