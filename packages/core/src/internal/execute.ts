import { ArgumentError, ConnectError, ShipshapeError, errorMessage, type CommandError } from '../errors.js';
import type { HostImpl } from '../host.js';
import { parseArgs } from '../module.js';
import { taskName } from '../playbook.js';
import type { BecomeSpec, Change, Dynamic, Host, ModuleTask, Plan, Registered, Task, TaskContext, TaskResult, Vars } from '../types.js';
import { extendVars } from '../vars.js';

/** Everything a single task execution needs besides the task. */
export interface ExecEnv {
  readonly host: HostImpl;
  readonly vars: Vars;
  readonly check: boolean;
  readonly become?: BecomeSpec;
  readonly diff: boolean;
  /** Seconds one attempt may take before it fails; 0 or absent: no limit. */
  readonly timeoutS?: number;
}

export function resolve<T>(value: Dynamic<T>, ctx: TaskContext): T {
  return typeof value === 'function' ? (value as (c: TaskContext) => T)(ctx) : value;
}

/**
 * A result as `register` stores it: Ansible's shape (module data at the top, `changed`, `failed`,
 * `rc`, `stdout_lines`, per-item `results`) beside shipshape's own fields (`status`, `data`).
 */
export function registered(r: TaskResult): Registered {
  // Ansible's command modules drop the trailing newlines (strip_empty_ends); *_lines split what is left.
  const strip = (s: string) => s.replace(/[\r\n]+$/, '');
  const lines = (s: string) => (strip(s) === '' ? [] : strip(s).split(/\r?\n/));
  return {
    ...r.data,
    ...r,
    changed: r.changed,
    failed: r.status === 'failed',
    ...(r.status === 'skipped' ? { skipped: true } : {}),
    ...(r.stdout !== undefined ? { stdout: strip(r.stdout), stdout_lines: lines(r.stdout) } : {}),
    ...(r.stderr !== undefined ? { stderr: strip(r.stderr), stderr_lines: lines(r.stderr) } : {}),
    ...(r.results ? { results: r.results.map(registered) } : {}),
  } as Registered;
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

function failed(msg: string, extra: Partial<TaskResult> = {}): TaskResult {
  return { status: 'failed', changed: false, msg, ...extra };
}

/**
 * The one place an exception becomes a failed result: its message, and for a failed command the
 * exit code, output and (masked) command line.
 */
export function failedResult(e: unknown, context?: (msg: string) => string): TaskResult {
  const x = e as Partial<CommandError>;
  const msg = context ? context(errorMessage(e)) : errorMessage(e);
  return e instanceof ShipshapeError
    ? failed(msg, { stdout: x.stdout, stderr: x.stderr, rc: x.exitCode, ...(x.command !== undefined ? { data: { cmd: x.command } } : {}) })
    : failed(msg);
}

/**
 * Perform a plan's changes in order (consecutive commands merged into one round trip). The result: what
 * the calls returned, merged, over the plan's `result` as `data`; a write's backup path as `backup_file`
 * (Ansible's); `changed: false` when every change said it changed nothing, with their reasons.
 */
export async function applyChanges(h: Host, plan: Plan & { changed: true }): Promise<Partial<TaskResult> & { changed: boolean }> {
  let merged: Partial<TaskResult> = {};
  let data = plan.result as Vars | undefined;
  let changed = false;
  /** Reasons of the changes that said they changed nothing. */
  const idle: string[] = [];
  for (const c of mergeExecs(plan.changes)) {
    if (c.kind === 'write') {
      const { kind: _k, path, content, ...opts } = c;
      const { backupPath } = await h.writeFile(path, content, opts);
      if (backupPath) data = { ...data, backup_file: backupPath };
      changed = true;
    } else if (c.kind === 'exec' && !c.outcome) {
      const r = await h.run(c.command, { stdin: c.stdin, touches: c.paths });
      const why = c.unchanged ? c.unchanged(r) : undefined;
      if (why) idle.push(why);
      else changed = true;
    } else {
      const out = c.kind === 'call' ? await c.run(h) : c.outcome!(await h.run(c.command, { stdin: c.stdin, touches: c.paths, allowFail: true }));
      const { data: more, ...rest } = out ?? {};
      merged = { ...merged, ...rest };
      if (more) data = { ...data, ...more };
      if (rest.changed === false) idle.push(rest.msg ?? '');
      else changed = true;
    }
  }
  if (changed || idle.length === 0) return { ...merged, data, changed: true };
  const reasons = idle.filter((r) => r !== '');
  return { ...merged, data, changed: false, msg: merged.msg ?? (reasons.length ? `${plan.msg} (${reasons.join('; ')})` : plan.msg) };
}

/**
 * Consecutive commands (no stdin, no output to judge) run as one `&&` chain: one round trip, and the
 * first failure still stops the rest.
 */
export function mergeExecs(list: readonly Change[]): Change[] {
  const out: Change[] = [];
  for (const c of list) {
    const prev = out[out.length - 1];
    const alone = (x: Change) => x.kind !== 'exec' || x.stdin !== undefined || x.unchanged !== undefined || x.outcome !== undefined;
    if (!alone(c) && prev && !alone(prev) && c.kind === 'exec' && prev.kind === 'exec') {
      out[out.length - 1] = {
        kind: 'exec',
        // Brace groups: each command's own `;` or `||` stays inside it.
        command: {
          text: `{ ${prev.command.text}\n} && { ${c.command.text}\n}`,
          display: `${prev.command.display} && ${c.command.display}`,
          contained: prev.command.contained && c.command.contained,
        },
        ...(prev.paths && c.paths ? { paths: [...prev.paths, ...c.paths] } : {}),
      };
    } else out.push(c);
  }
  return out;
}

/** The result of a plan that changes nothing (or fails). */
export function unchangedResult(plan: Plan<unknown> & { changed: false }): TaskResult {
  return { status: plan.failed ? 'failed' : 'ok', changed: false, msg: plan.msg, data: plan.result as Vars | undefined, ...(plan.show && { show: plan.show }) };
}

/** The result of a plan whose changes were made by the runner (the module has no apply of its own). */
export function appliedResult(plan: Plan<unknown> & { changed: true }, diff: boolean): TaskResult {
  return { msg: plan.msg, diff: diff ? plan.diff : undefined, data: plan.result as Vars | undefined, changed: true, status: 'changed' };
}

async function runModule(t: ModuleTask, h: HostImpl, ctx: TaskContext, env: ExecEnv): Promise<TaskResult> {
  const name = taskName(t);
  const args = parseArgs(t.module, resolve(t.args, ctx), name);
  if (env.check && t.module.supportsCheck === false) return { status: 'skipped', changed: false, msg: 'skipped: module does not support check mode' };
  const facts = await t.module.gather(h, args);
  const plan = t.module.plan(args, facts);
  const data = plan.result as Vars | undefined;
  if (!plan.changed) return unchangedResult(plan);
  const diff = env.diff ? plan.diff : undefined;
  if (env.check) return { status: 'changed', changed: true, msg: plan.msg, diff, data };
  const extra = await applyChanges(h, plan);
  const changed = extra?.changed ?? true;
  return { ...appliedResult(plan, env.diff), ...extra, changed, status: extra?.status ?? (changed ? 'changed' : 'ok') };
}

async function runFn(t: Task & { kind: 'fn' }, h: HostImpl, ctx: TaskContext, env: ExecEnv): Promise<TaskResult> {
  if (env.check && t.options.checkMode !== false) {
    return { status: 'skipped', changed: false, msg: 'skipped in check mode (function task; set checkMode: false to run it)' };
  }
  const out = await t.fn(h, ctx);
  const r: Partial<TaskResult> = typeof out === 'boolean' ? { changed: out } : (out ?? {});
  const changed = r.changed ?? h.wasChanged;
  return { ...r, changed, status: r.status ?? (changed ? 'changed' : 'ok') };
}

/** `work`, or a TIMEOUT error once `seconds` have passed (the work itself cannot be stopped; its result is dropped). */
export function deadline<T>(work: Promise<T>, seconds: number | undefined, what: string): Promise<T> {
  if (!seconds) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ShipshapeError('TIMEOUT',
      `${what} failed to execute in the expected time frame (${seconds}) and was terminated ` +
      `(timeout: ${seconds} s; raise the task's timeout option or --task-timeout)`)), seconds * 1000);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** One attempt of a module or function task; errors become failed results, unreachability propagates. */
async function attempt(t: Task, ctx: TaskContext, env: ExecEnv): Promise<TaskResult> {
  const h = env.host.forTask(ctx.vars, env.become, env.check);
  try {
    if (t.kind === 'block') throw new ArgumentError('a block cannot run as a single task');
    const work = t.kind === 'module' ? runModule(t, h, ctx, env) : runFn(t, h, ctx, env);
    return await deadline(work, env.timeoutS, t.kind === 'module' ? `The ${t.module.name} action` : `The function task "${t.options.name}"`);
  } catch (e) {
    if (e instanceof ConnectError) throw e;
    return failedResult(e);
  }
}

async function withRetries(t: Task, ctx: TaskContext, env: ExecEnv): Promise<TaskResult> {
  const o = t.options;
  const until = o.until ?? (o.retries !== undefined ? (r: TaskResult) => r.status !== 'failed' : undefined);
  if (!until) return attempt(t, ctx, env);
  const max = (o.retries ?? 3) + 1;
  let r: TaskResult = failed('not run');
  for (let n = 1; n <= max; n++) {
    r = await attempt(t, ctx, env);
    if (until(r, ctx)) return { ...r, attempts: n };
    if (n < max) await sleep(o.delay ?? 5);
  }
  return { ...r, status: 'failed', attempts: max, msg: `retries exhausted (${max} attempts): ${r.msg ?? ''}`.trim() };
}

function judge(t: Task, r: TaskResult, ctx: TaskContext): TaskResult {
  let out = r;
  if (t.options.changedWhen && out.status !== 'failed' && out.status !== 'skipped') {
    const c = t.options.changedWhen(out, ctx);
    out = { ...out, changed: c, status: c ? 'changed' : 'ok' };
  }
  if (t.options.failedWhen && out.status !== 'skipped') {
    const f = t.options.failedWhen(out, ctx);
    if (f) out = { ...out, status: 'failed', msg: out.msg ?? 'failedWhen condition was true' };
    else if (out.status === 'failed') out = { ...out, status: out.changed ? 'changed' : 'ok' };
  }
  return out;
}

/** Run a non-block task on one host: when, loop, retries, changedWhen/failedWhen, ignoreErrors. */
export async function executeTask(t: Task, env: ExecEnv, hostName: string): Promise<TaskResult> {
  const base: TaskContext = { host: hostName, vars: env.vars };
  const o = t.options;
  if (o.when !== undefined && !o.loop && !resolve(o.when, base)) {
    return { status: 'skipped', changed: false, msg: 'Conditional result was False' };
  }
  let result: TaskResult;
  if (o.loop) {
    const items = resolve(o.loop, base);
    const results: TaskResult[] = [];
    for (const [index, item] of items.entries()) {
      const ctx: TaskContext = { host: hostName, vars: extendVars(env.vars, { item }), item, index };
      if (o.when !== undefined && !resolve(o.when, ctx)) {
        results.push({ status: 'skipped', changed: false, item, msg: 'Conditional result was False' });
        continue;
      }
      results.push({ ...judge(t, await withRetries(t, ctx, env), ctx), item });
    }
    const anyFailed = results.some((r) => r.status === 'failed');
    const changed = results.some((r) => r.changed);
    const allSkipped = results.length > 0 && results.every((r) => r.status === 'skipped');
    result = {
      status: anyFailed ? 'failed' : allSkipped ? 'skipped' : changed ? 'changed' : 'ok',
      changed,
      msg: anyFailed ? 'One or more items failed' : allSkipped ? 'All items skipped' : undefined,
      results,
      diff: results.flatMap((r) => r.diff ?? []),
    };
  } else {
    result = judge(t, await withRetries(t, base, env), base);
  }
  if (result.status === 'failed' && o.ignoreErrors) result = { ...result, ignored: true };
  return result;
}
