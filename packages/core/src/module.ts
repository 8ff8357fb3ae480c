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
  apply?(host: Host, plan: Plan<R> & { changed: true }, args: z.output<S>): Promise<Partial<TaskResult> | void>;
  readonly supportsCheck?: boolean;
  prefetch?(args: z.output<S>): readonly Command[];
}

/**
 * Define a module: schema, facts, pure plan, optional apply. Check and diff modes come for free.
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

/** Validate raw args against a module's schema; the error names task, field, value and expectation. */
export function parseArgs<A>(module: ModuleDef<A>, raw: unknown, taskName: string): A {
  const r = module.schema.safeParse(raw);
  if (r.success) return r.data;
  // A Secret where the schema wants a string (`content: c.vars.db_password`) is its plain value: it is
  // used on the target, and everything shown is masked. Schemas that take a Secret keep the object.
  const plain = reveal(raw);
  if (plain !== raw) {
    const p = module.schema.safeParse(plain);
    if (p.success) return p.data;
  }
  const issue = r.error.issues[0]!;
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
