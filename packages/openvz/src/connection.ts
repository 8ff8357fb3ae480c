/**
 * A core {@link Connection} into an OpenVZ container: every command runs on the hardware node
 * through `vzctl exec2 <ctid>`, so shipshape modules and tasks work inside the container.
 */
import { Readable, type Writable } from 'node:stream';
import {
  script, sh, taskName, ConnectError, ModuleError,
  type Command, type Connection, type ExecOptions, type ExecResult, type Host, type Task,
} from '@shipshape/core';
import { vzctlExecCommand } from './exec.js';
import { notRunning, VZ } from './internal/vzerror.js';

/** Runs node-side commands (normally `host.run` with allowFail, so become and events apply). */
export type NodeExec = (command: Command, options?: ExecOptions) => Promise<ExecResult>;

export class ContainerConnection implements Connection {
  readonly name: string;

  constructor(private readonly node: NodeExec, readonly ctid: number, nodeName = 'node') {
    this.name = `${nodeName}/ct${ctid}`;
  }

  async exec(command: Command, options: ExecOptions = {}): Promise<ExecResult> {
    let inner = command;
    if (options.env) {
      const env = Object.entries(options.env).map(([k, v]) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new ModuleError(`${this.name}: bad environment variable name ${JSON.stringify(k)}`);
        return sh`export ${script(k)}=${v};`;
      });
      inner = { text: `${env.map((e) => e.text).join(' ')} ${inner.text}`, display: `${env.map((e) => e.display).join(' ')} ${inner.display}` };
    }
    if (options.cwd) inner = { text: `${sh`cd ${options.cwd}`.text} && ${inner.text}`, display: `cd ${options.cwd} && ${inner.display}` };
    const { env: _env, cwd: _cwd, ...rest } = options;
    const r = await this.node(vzctlExecCommand(this.ctid, inner, 'exec2'), rest);
    if (r.code === VZ.VE_NOT_RUNNING && notRunning(r.stderr)) {
      throw new ConnectError(this.name, 'closed', `container ${this.ctid} is not running`);
    }
    return r;
  }

  async upload(source: Readable | Buffer, remotePath: string, options: { mode?: number } = {}): Promise<void> {
    const mode = (options.mode ?? 0o644).toString(8);
    const r = await this.exec(sh`cat > ${remotePath} && chmod ${mode} ${remotePath}`, { stdin: source });
    if (r.code !== 0) throw new ModuleError(`${this.name}: upload to ${remotePath} failed: ${r.stderr.trim()}`);
  }

  async download(remotePath: string, target: Writable): Promise<void> {
    const r = await this.exec(sh`cat ${remotePath}`, { stdoutStream: target });
    if (r.code !== 0) throw new ModuleError(`${this.name}: download of ${remotePath} failed: ${r.stderr.trim()}`);
  }

  async close(): Promise<void> {
    // The node's connection belongs to the outer run.
  }
}

/** What runs inside: tasks (modules, function tasks), or one callback given the container's Host. */
export type ContainerWork = readonly Task[] | ((ct: Host) => Promise<void>);

export interface InContainerResult {
  readonly changed: boolean;
  /** Per task inside the container: name, status, message. */
  readonly results: readonly { task: string; status: string; msg?: string }[];
}

/**
 * Run shipshape tasks inside CT `ctid` of host `h`, through `h.withConnection` over a
 * {@link ContainerConnection}: each task keeps when, loop, retries and check mode, and its
 * commands are events of the outer run. A block's tasks run in order (rescue/always are not run).
 * Throws ModuleError naming the failed task when anything fails (or the container is not running).
 * @example await inContainer(h, 9999, [lineinfile({ path: '/etc/default/locale', regexp: '^LANG=', line: 'LANG=de_DE.UTF-8' })]);
 */
export async function inContainer(h: Host, ctid: number, work: ContainerWork, name = `in CT ${ctid}`): Promise<InContainerResult> {
  const tasks: readonly Task[] = typeof work === 'function'
    ? [{ kind: 'fn', fn: async (ct: Host) => { await work(ct); }, options: { name } }]
    : work;
  const conn = new ContainerConnection((c, o) => h.run(c, { ...o, allowFail: true }), ctid, h.name);
  const ct = h.withConnection(conn, `ct${ctid}`);
  const results: { task: string; status: string; msg?: string }[] = [];
  let changed = false;
  const each = async (t: Task): Promise<void> => {
    if (t.kind === 'block') {
      for (const inner of t.block) await each(inner);
      return;
    }
    const r = await ct.apply(t).catch((e: unknown) => {
      // A stopped container is this task's failure; the node itself stays reachable.
      if (e instanceof ConnectError && e.host === conn.name) throw new ModuleError(`${name}: container ${ctid} is not reachable (not running?)`, { cause: e });
      throw e;
    });
    results.push({ task: taskName(t), status: r.status, msg: r.msg });
    changed ||= r.changed;
    if (r.status === 'failed' && !r.ignored) throw new ModuleError(`${name}: ${taskName(t)}: ${r.msg ?? 'failed'}`);
  };
  for (const t of tasks) await each(t);
  return { changed, results };
}
