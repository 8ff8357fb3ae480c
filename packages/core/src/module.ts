import type { z } from 'zod';
import type { Command } from './command.js';
import { ArgumentError, ModuleError } from './errors.js';
import { reveal } from './secrets.js';
import type { Change, Dynamic, FileDiff, Host, ModuleDef, ModuleTask, Plan, TaskOptions, TaskResult, Vars } from './types.js';

/** A module factory: call it with args (or a function of the task context) and task options. */
export interface ModuleFactory<S extends z.ZodTypeAny> {
  /** `copy<MyVars>((c) => ...)` types `c.vars`. */
  <V extends object = Vars>(args: Dynamic<z.input<S>, V>, options?: TaskOptions<V>): ModuleTask;
  readonly module: ModuleDef<z.output<S>>;
}

export interface ModuleSpec<S extends z.ZodTypeAny, F, R> {
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  gather(host: Host, args: z.output<S>): Promise<F>;
  plan(args: z.output<S>, facts: F): Plan<R>;
  readonly supportsCheck?: boolean;
  prefetch?(args: z.output<S>): readonly Command[];
}

/**
 * Define a module: schema, facts, pure plan; core applies the plan's changes. Check and diff modes come for free.
 * @example
 * export const motd = defineModule({ name: 'motd', description: 'Set /etc/motd', schema: z.object({ text: z.string() }),
 *   gather: (h) => h.readFile('/etc/motd'),
 *   plan: (a, f) => f.content?.toString() === a.text ? noChange('motd is set')
 *     : changes('motd updated', [{ kind: 'write', path: '/etc/motd', content: a.text }]) });
 */
export function defineModule<S extends z.ZodTypeAny, F, R = Record<string, unknown>>(
  spec: ModuleSpec<S, F, R>,
): ModuleFactory<S> {
  const module: ModuleDef<z.output<S>, F, R> = spec;
  const factory = <V extends object = Vars>(args: Dynamic<z.input<S>, V>, options: TaskOptions<V> = {}): ModuleTask => ({
    kind: 'module',
    module,
    args: args as Dynamic<unknown>,
    options: options as TaskOptions,
  });
  return Object.assign(factory, { module });
}

/**
 * The modules a package offers, keyed by the name the package exports each factory under
 * (`export const modules = { copy, waitFor, … }`). The CLI's `adhoc -m`, `doc` and every other lookup by
 * module name read these, so a module added here is found everywhere.
 */
export type ModuleSet = Readonly<Record<string, AnyModuleFactory>>;

/** Any module's factory, whatever its arguments. */
export type AnyModuleFactory = ((args: any, options?: TaskOptions<any>) => ModuleTask) & { readonly module: ModuleDef };

/** One module found by its name: the factory, and the package and export name a playbook imports it by. */
export interface ModuleEntry {
  readonly factory: AnyModuleFactory;
  readonly packageName: string;
  readonly exportName: string;
}

/**
 * Index the modules of packages (package name → its `modules`) by module name. Two modules of one name
 * are an error: the name is how `-m`, `doc` and the output tell them apart.
 */
export function moduleIndex(sets: Readonly<Record<string, ModuleSet>>): ReadonlyMap<string, ModuleEntry> {
  const out = new Map<string, ModuleEntry>();
  for (const [packageName, set] of Object.entries(sets)) {
    for (const [exportName, factory] of Object.entries(set)) {
      const name = factory.module.name;
      const prev = out.get(name);
      if (prev) {
        throw new ModuleError(`module name ${JSON.stringify(name)} is taken twice: ${prev.packageName} ${prev.exportName} and ${packageName} ${exportName}`);
      }
      out.set(name, { factory, packageName, exportName });
    }
  }
  return out;
}

/** A module name as written in Ansible (`ansible.builtin.copy`, `ansible.legacy.copy`) or ours (`copy`). */
export function moduleName(written: string): string {
  return written.replace(/^ansible\.(builtin|legacy)\./, '');
}

/**
 * Parsed args by the raw args object and the module: a task's static args (an object, not a function of
 * the context) are parsed once, for every host, its prefetch and its plan, where each parse cost ~15 µs
 * (the bench's 17 tasks on 10 hosts parsed 340 times). Hosts share the result, so it is frozen: a module
 * that changed its args would change them for the next host.
 */
const parsedArgs = new WeakMap<object, Map<ModuleDef<unknown>, unknown>>();

/** Freeze plain objects and arrays, deep (class instances, Buffers and the like keep their own rules). */
function freezeDeep<T>(value: T): T {
  if (!value || typeof value !== 'object' || Object.isFrozen(value)) return value;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) freezeDeep(v);
  return value;
}

/** Validate raw args against a module's schema; the error names task, field, value and expectation. */
export function parseArgs<A>(module: ModuleDef<A>, raw: unknown, taskName: string): A {
  if (!raw || typeof raw !== 'object') return parseArgsNow(module, raw, taskName);
  let byModule = parsedArgs.get(raw);
  if (byModule?.has(module)) return byModule.get(module) as A;
  const data = freezeDeep(parseArgsNow(module, raw, taskName));
  if (!byModule) parsedArgs.set(raw, (byModule = new Map()));
  byModule.set(module, data);
  return data;
}

function parseArgsNow<A>(module: ModuleDef<A>, raw: unknown, taskName: string): A {
  // A Secret where the schema wants a string (`content: c.vars.db_password`) is its plain value: it is
  // used on the target, and everything shown is masked. Schemas that take a Secret keep the object.
  const attempt = (v: unknown) => {
    const r = module.schema.safeParse(v);
    if (r.success) return r;
    const plain = reveal(v);
    const p = plain !== v ? module.schema.safeParse(plain) : r;
    return p.success ? p : r;
  };
  const r = attempt(raw);
  if (r.success) return r.data;
  let issues = r.error.issues;
  // Text where a number, a boolean or a list is wanted (`-a 'timeout=5'`, `"{{ port }}"`) is
  // converted as Ansible's argument spec converts it; an error names the value as given.
  const converted = convertLikeAnsible(raw, issues);
  if (converted !== undefined) {
    const c = attempt(converted);
    if (c.success) return c.data;
    issues = c.error.issues;
  }
  const issue = issues[0]!;
  const field = issue.path.join('.') || '(args)';
  const value = issue.path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined),
    raw,
  );
  throw new ArgumentError(
    `task "${taskName}": module ${module.name}: field "${field}" ${
      value === undefined ? 'is missing' : `has bad value ${JSON.stringify(value)}`
    }: ${issue.message}`,
    field,
    value,
  );
}

const ANSIBLE_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const ANSIBLE_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** One value as Ansible's check_type_int/float/bool/list read it, or undefined when it cannot be. */
function convertOne(value: unknown, expected: string): unknown {
  if (expected === 'number' && typeof value === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  if (expected === 'boolean' && (typeof value === 'string' || typeof value === 'number')) {
    const t = String(value).trim().toLowerCase();
    return ANSIBLE_TRUE.has(t) ? true : ANSIBLE_FALSE.has(t) ? false : undefined;
  }
  if (expected === 'array' && typeof value === 'string') return value.split(',').map((x) => x.trim());
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  return undefined;
}

/** A copy of `raw` with each value a type issue points at converted (only the objects on the way are copied), or undefined. */
function convertLikeAnsible(raw: unknown, issues: readonly z.ZodIssue[]): unknown {
  let out = raw;
  let any = false;
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || !issue.path.length) continue;
    const next = setIn(out, issue.path, (v) => convertOne(v, issue.expected));
    if (next === undefined) continue;
    out = next;
    any = true;
  }
  return any ? out : undefined;
}

/** `obj` with the value at `path` replaced by `f(value)`; undefined when the path is not there or f gives undefined. */
function setIn(obj: unknown, path: readonly (string | number)[], f: (v: unknown) => unknown): unknown {
  if (!path.length) return f(obj);
  if (!obj || typeof obj !== 'object' || (Object.getPrototypeOf(obj) !== Object.prototype && !Array.isArray(obj))) return undefined;
  const [k, ...rest] = path;
  const inner = setIn((obj as Record<string | number, unknown>)[k!], rest, f);
  if (inner === undefined) return undefined;
  const copy = (Array.isArray(obj) ? [...obj] : { ...obj }) as Record<string | number, unknown>;
  copy[k!] = inner;
  return copy;
}

/** Plan helper: nothing to do, with the reason. */
export function noChange<R>(msg: string, result?: R): Plan<R> {
  return { changed: false, msg, result };
}

/** Plan helper: the task fails with this message (and result data), changing nothing; check mode fails alike. */
export function failure<R>(msg: string, result?: R): Plan<R> {
  return { changed: false, failed: true, msg, result };
}

/** Plan helper: these changes are needed. */
export function changes<R>(
  msg: string,
  list: readonly Change[],
  extra: { diff?: readonly FileDiff[]; result?: R } = {},
): Plan<R> {
  return { changed: true, msg, changes: list, ...extra };
}
