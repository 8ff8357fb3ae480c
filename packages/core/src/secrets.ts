/**
 * Secrets: revealed exactly where they are used on a target, masked in everything shown.
 *
 * A `Secret` is its plain value wherever a string is built from it (`${s}`, `String(s)`, `JSON.stringify`),
 * so file contents, templates and command lines carry the real value to the host. Everything a run shows
 * (events, reporters, errors) passes through `maskSecrets`, which knows every secret value of the process:
 * each `Secret` registers its value when made, and `registerSecretValue` adds others (results of `noLog`
 * tasks). `console.log(secret)` and `util.inspect` print the mask.
 */

export const MASK = '********';

const known = new Set<string>();
let pattern: RegExp | undefined;

/** The forms a value takes in shown text: as is, inside sh single quotes, inside a JSON string, line by line. */
function forms(value: string, minLength: number): string[] {
  const out = [value, value.replace(/'/g, `'\\''`), JSON.stringify(value).slice(1, -1)];
  if (value.includes('\n')) out.push(...value.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= Math.max(minLength, 4)));
  return out.filter((f) => f.length >= minLength);
}

/**
 * Mask this value from now on in everything shown. Values shorter than `minLength` are ignored (for
 * values that are secret by circumstance, such as a `noLog` command's output: masking "ok" everywhere
 * would garble the output without hiding anything).
 */
export function registerSecretValue(value: string, minLength = 1): void {
  for (const f of forms(value, Math.max(1, minLength))) {
    if (known.has(f)) continue;
    known.add(f);
    pattern = undefined;
  }
}

/** A value that must never be shown: its plain value goes to targets, `********` to every display. */
export class Secret {
  constructor(readonly value: string) {
    if (value) registerSecretValue(value);
  }
  /** The plain value: a Secret inside a template literal, file content or command is the real thing. */
  toString(): string {
    return this.value;
  }
  toJSON(): string {
    return this.value;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return MASK;
  }
}

/** Mark a string as secret: written to targets as is, masked in everything shown. */
export function secret(value: string): Secret {
  return new Secret(value);
}

function currentPattern(): RegExp | undefined {
  if (!pattern && known.size) {
    const alternatives = [...known].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    pattern = new RegExp(alternatives.join('|'), 'g');
  }
  return pattern;
}

/** Mask every known secret value in free text (and the given extra ones). */
export function maskSecrets(text: string, extra: readonly Secret[] = []): string {
  for (const s of extra) if (s.value) registerSecretValue(s.value);
  const re = currentPattern();
  return re ? text.replace(re, MASK) : text;
}

/**
 * A copy of a value for display: every string masked, every Secret replaced by the mask, Buffers holding
 * a secret masked. Plain objects, arrays, Maps, Sets and Errors (same class) are copied; other objects
 * pass as they are.
 */
export function maskDeep<T>(value: T): T {
  if (!known.size) return value;
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === 'string') return maskSecrets(v);
  if (v instanceof Secret) return MASK;
  if (Buffer.isBuffer(v)) return [...known].some((s) => v.includes(s)) ? Buffer.from(maskSecrets(v.toString('utf8'))) : v;
  if (Array.isArray(v)) return v.map(walk);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [walk(k), walk(x)]));
  if (v instanceof Set) return new Set([...v].map(walk));
  if (v instanceof Error) {
    // Same class, message and stack masked, own fields (code, cause, stdout...) walked.
    const e = Object.create(Object.getPrototypeOf(v) as object) as Error;
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      Object.defineProperty(e, k, 'value' in d ? { ...d, value: walk(d.value) } : d);
    }
    return e;
  }
  if (v && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  }
  return v;
}

/** A copy of a value with every Secret replaced by its plain value (for rendering what goes to a target). */
export function reveal<T>(value: T): T {
  if (value instanceof Secret) return value.value as T;
  if (Array.isArray(value)) return value.map(reveal) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, reveal(x)])) as T;
  }
  return value;
}
