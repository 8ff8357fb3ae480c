import { quote } from '../command.js';
import type { ExecResult, RunCommandOptions } from '../types.js';

const UNQUOTED = /[A-Za-z0-9_\-+=.,:@%^]/;

/**
 * Whether a cached read (its command text) may have been made stale by a change to `path`: it names the
 * path or something below it, or names one of its parent directories themselves (created, new mtime).
 */
export function mentions(key: string, path: string): boolean {
  const ends = (at: number, children: boolean) => at >= key.length || !UNQUOTED.test(key[at]!) && (children || key[at] !== '/');
  const found = (form: string, children: boolean) => {
    for (let at = key.indexOf(form); at >= 0; at = key.indexOf(form, at + 1)) if (ends(at + form.length, children)) return true;
    return false;
  };
  const q = quote(path);
  if (q === path ? found(path, true) : key.includes(q) || key.includes(`${q.slice(0, -1)}/`)) return true;
  const parent = (p: string) => p.replace(/\/+[^/]*$/, '');
  for (let dir = parent(path); dir && dir !== path; path = dir, dir = parent(dir)) {
    const qd = quote(dir);
    if (qd === dir ? found(dir, false) : key.includes(qd)) return true;
  }
  return false;
}

/**
 * Results of read-only commands on one host, keyed by command text: filled by a batched prefetch or by
 * a write (what was just written answers the next read), valid until something changes on the host.
 */
export class ReadCache {
  private readonly reads = new Map<string, ExecResult>();

  get size(): number {
    return this.reads.size;
  }

  /** The cached result of a read, by its command text. */
  get(commandText: string): ExecResult | undefined {
    return this.reads.get(commandText);
  }

  /** Remember what a read would print now. */
  prime(commandText: string, result: ExecResult): void {
    this.reads.set(commandText, result);
  }

  /** Drop reads a command may have made stale: all of them unless it says what it touched. */
  invalidate(touches: RunCommandOptions['touches']): void {
    if (!this.reads.size || touches === 'none') return;
    if (touches === undefined) return this.clear();
    for (const key of [...this.reads.keys()]) if (touches.some((p) => mentions(key, p))) this.reads.delete(key);
  }

  clear(): void {
    this.reads.clear();
  }

  /** A copy to plan ahead on (folding): changes to it leave this one as it is. */
  copy(): ReadCache {
    const c = new ReadCache();
    for (const [k, v] of this.reads) c.prime(k, v);
    return c;
  }
}

/** Parsed facts of one host, per fact name and argument; a failed lookup is not kept. */
export class FactCache {
  private readonly facts = new Map<string, Promise<unknown>>();

  static key(name: string, arg: unknown): string {
    return `${name}:${JSON.stringify(arg ?? null)}`;
  }

  /** The cached lookup, or `load()`'s (kept until it fails). */
  get<T>(key: string, load: () => Promise<T>, fresh = false): Promise<T> {
    let p = fresh ? undefined : (this.facts.get(key) as Promise<T> | undefined);
    if (!p) {
      const loading = load();
      this.facts.set(key, loading);
      loading.catch(() => {
        if (this.facts.get(key) === loading) this.facts.delete(key);
      });
      p = loading;
    }
    return p;
  }

  /** Forget all facts, or those of one fact name. */
  forget(name?: string): void {
    for (const k of [...this.facts.keys()]) if (!name || k.startsWith(`${name}:`)) this.facts.delete(k);
  }
}
