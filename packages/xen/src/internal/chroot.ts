/**
 * Run shipshape tasks inside a guest's root filesystem from dom0: a Connection whose every
 * command becomes `chroot <root> /bin/sh -c <command>` on the dom0 host (through its Host, so
 * become and command events apply), and a Host built on it so builtin modules work unchanged.
 */
import { Readable, type Writable } from 'node:stream';
import { HostImpl, ModuleError, parseArgs, quote, sh, taskName, type Command, type Connection, type ExecOptions, type ExecResult, type Host, type Task, type TaskContext, type TaskResult } from '@shipshape/core';

/** A Connection that runs everything chrooted into `root` on `dom0`. */
export function chrootConnection(dom0: Host, root: string): Connection {
  const wrap = (c: Command): Command => {
    // c.text is passed as one quoted argument (a Command would be spliced in unquoted).
    const w = sh`chroot ${root} /bin/sh -c ${c.text}`;
    return { text: w.text, display: `chroot ${root} ${c.display}` };
  };
  const exec = (c: Command, options: ExecOptions = {}): Promise<ExecResult> => {
    const { cwd, env, ...rest } = options;
    let text = c.text;
    for (const [k, v] of Object.entries(env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new ModuleError(`bad environment variable name ${JSON.stringify(k)}`);
      text = `export ${k}=${quote(v)}; ${text}`;
    }
    if (cwd) text = `cd ${quote(cwd)} && ${text}`;
    const inner: Command = { text, display: c.display };
    return dom0.run(wrap(inner), { ...rest, allowFail: true });
  };
  return {
    name: `${dom0.name}:${root}`,
    exec,
    async upload(source, remotePath, options = {}) {
      const mode = options.mode !== undefined ? options.mode.toString(8) : undefined;
      const c = mode ? sh`cat > ${remotePath} && chmod ${mode} ${remotePath}` : sh`cat > ${remotePath}`;
      const r = await exec(c, { stdin: Buffer.isBuffer(source) ? source : (source as Readable) });
      if (r.code !== 0) throw new ModuleError(`upload to ${root}${remotePath} failed: ${r.stderr.trim()}`);
    },
    async download(remotePath: string, target: Writable) {
      const r = await exec(sh`cat ${remotePath}`);
      if (r.code !== 0) throw new ModuleError(`download of ${root}${remotePath} failed: ${r.stderr.trim()}`);
      await new Promise<void>((res, rej) => target.end(r.stdoutBytes, () => res()).on('error', rej));
    },
    close: async () => undefined,
  };
}

function resolveArgs(args: unknown, ctx: TaskContext): unknown {
  return typeof args === 'function' ? (args as (c: TaskContext) => unknown)(ctx) : args;
}

/** Run one task on a guest host: module (gather, pure plan, apply) or function task; blocks in order. */
async function runOn(host: HostImpl, task: Task, ctx: TaskContext): Promise<TaskResult> {
  if (task.kind === 'block') {
    let changed = false;
    for (const t of task.block) changed = (await runOn(host, t, ctx)).changed || changed;
    return { status: changed ? 'changed' : 'ok', changed };
  }
  const h = host.forTask(host.vars, undefined, host.check);
  if (task.kind === 'fn') {
    if (host.check && task.options.checkMode !== false) return { status: 'skipped', changed: false, msg: 'skipped in check mode' };
    const out = await task.fn(h, ctx);
    const r: Partial<TaskResult> = typeof out === 'boolean' ? { changed: out } : (out ?? {});
    const changed = r.changed ?? h.wasChanged;
    return { ...r, changed, status: r.status ?? (changed ? 'changed' : 'ok') };
  }
  const args = parseArgs(task.module, resolveArgs(task.args, ctx), taskName(task));
  const plan = task.module.plan(args, await task.module.gather(h, args));
  if (!plan.changed) return { status: 'ok', changed: false, msg: plan.msg };
  if (host.check) return { status: 'changed', changed: true, msg: plan.msg };
  if (task.module.apply) await task.module.apply(h, plan, args);
  else for (const c of plan.changes) {
    if (c.kind === 'write') { const { kind: _k, path, content, ...o } = c; await h.writeFile(path, content, o); }
    else if (c.kind === 'exec') await h.run(c.command, { stdin: c.stdin });
    else await c.run(h);
  }
  return { status: 'changed', changed: true, msg: plan.msg };
}

/** Outcome of applying hook tasks inside a guest root. */
export interface HookReport {
  readonly task: string;
  readonly status: TaskResult['status'];
  readonly msg?: string;
}

/**
 * Apply tasks inside `root` (a mounted guest filesystem on dom0). Stops at the first failure,
 * throwing a ModuleError that names the hook task.
 */
export async function applyInRoot(dom0: Host, root: string, tasks: readonly Task[], label: string): Promise<HookReport[]> {
  const connection = chrootConnection(dom0, root);
  const guest = new HostImpl({
    name: `${dom0.name}/${label}`, connection, vars: dom0.vars, check: dom0.check, diff: dom0.diff,
    emit: () => undefined, facts: new Map(),
    applyTask: (h, t) => runOn(h, t, { host: h.name, vars: h.vars }),
  });
  const report: HookReport[] = [];
  for (const t of tasks) {
    let r: TaskResult;
    try {
      r = await runOn(guest, t, { host: guest.name, vars: guest.vars });
    } catch (e) {
      throw new ModuleError(`hook "${taskName(t)}" failed inside ${label}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    report.push({ task: taskName(t), status: r.status, msg: r.msg });
    if (r.status === 'failed') throw new ModuleError(`hook "${taskName(t)}" failed inside ${label}: ${r.msg ?? ''}`);
  }
  return report;
}
