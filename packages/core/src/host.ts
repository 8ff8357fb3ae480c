import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { quote, Secret, sh, type Arg, type Command } from './command.js';
import { CommandError, ModuleError, ShipshapeError } from './errors.js';
import { INLINE_WRITE_MAX, parseReadFile, readFileCommand, writeFileCommand } from './internal/file-commands.js';
import { FactCache, ReadCache } from './internal/read-cache.js';
import { resolve } from './internal/execute.js';
import { taskName } from './playbook.js';
import type {
  AppliedTasks,
  BecomeSpec,
  BlockTask,
  Connection,
  ExecOptions,
  ExecResult,
  FactDef,
  FileState,
  Host,
  RunCommandOptions,
  RunEvent,
  Task,
  TaskResult,
  Vars,
  WriteFileOptions,
} from './types.js';

export interface HostInit {
  readonly name: string;
  readonly connection: Connection;
  readonly vars: Vars;
  readonly check: boolean;
  readonly diff: boolean;
  readonly become?: BecomeSpec;
  readonly emit: (e: RunEvent) => void;
  readonly applyTask: (host: HostImpl, task: Task) => Promise<TaskResult>;
  /** Replace the host's connection (the runner keeps it for later tasks). */
  readonly reconnect?: (timeoutMs: number) => Promise<Connection>;
  /** Shared per-run fact cache of this host. */
  readonly facts: FactCache;
  /** Results of read-only commands (batched prefetch, last writes), valid until something changes on the host. */
  readonly reads?: ReadCache;
  /** False once the task this host serves has ended (timed out, failed by an escaped error): it runs nothing more. */
  readonly live?: () => boolean;
}

/**
 * Wrap a command for sudo; the password (if any) goes first on stdin, never on the command line, followed by
 * a random marker line that the command's shell reads up to before anything else: when sudo does not ask
 * (NOPASSWD, cached credentials), the password never reaches the command's own stdin (a write's bytes, a `cat`).
 */
export function becomeCommand(command: Command, become: BecomeSpec): { command: Command; stdinPrefix?: string } {
  const user = become.user ?? 'root';
  const password = become.password instanceof Secret ? become.password.value : become.password;
  const mark = password ? `--ss-${randomBytes(12).toString('hex')}` : undefined;
  const skip = mark ? `while IFS= read -r ss_l && [ "$ss_l" != ${mark} ]; do :; done; ` : '';
  // The command text becomes ONE quoted argument of sh -c (a Command would be spliced in raw).
  const inner = { text: `/bin/sh -c ${quote(skip + command.text)}`, display: `/bin/sh -c ${quote(command.display)}` };
  const wrapped = password
    ? sh`sudo -H -S -p '' -u ${user} -- ${inner}`
    : sh`sudo -H -n -u ${user} -- ${inner}`;
  return { command: { text: wrapped.text, display: `sudo -u ${user} -- ${command.display}`, contained: command.contained }, stdinPrefix: password ? `${password}\n${mark}\n` : undefined };
}

function prefixStdin(prefix: string, stdin: ExecOptions['stdin']): ExecOptions['stdin'] {
  if (stdin === undefined) return prefix;
  if (typeof stdin === 'string') return prefix + stdin;
  if (Buffer.isBuffer(stdin)) return Buffer.concat([Buffer.from(prefix), stdin]);
  const source = stdin;
  return Readable.from(
    (async function* () {
      yield Buffer.from(prefix);
      for await (const chunk of source) yield chunk as Buffer;
    })(),
  );
}

/** The per-host, per-run context handed to modules and function tasks. */
export class HostImpl implements Host {
  readonly name: string;
  private conn: Connection;
  vars: Vars;
  check: boolean;
  readonly diff: boolean;
  become?: BecomeSpec;
  private changedFlag = false;
  private readonly init: HostInit;

  constructor(init: HostInit) {
    this.init = init;
    this.name = init.name;
    this.conn = init.connection;
    this.vars = init.vars;
    this.check = init.check;
    this.diff = init.diff;
    this.become = init.become;
  }

  /** A view of this host for one task: its own vars, become and changed flag. */
  forTask(vars: Vars, become: BecomeSpec | undefined, check: boolean): HostImpl {
    const h = new HostImpl({ ...this.init, connection: this.conn, vars, become, check });
    return h;
  }

  /**
   * A view of this host that answers reads from `cache` and sends nothing to the host: `connection`
   * stands in for it (it refuses everything), events go to `emit`. Folding plans tasks ahead with it.
   */
  staging(connection: Connection, cache: ReadCache, vars: Vars, emit: (e: RunEvent) => void): HostImpl {
    return new HostImpl({ ...this.init, connection, vars, emit, reads: cache, reconnect: undefined, live: undefined });
  }

  get connection(): Connection {
    return this.conn;
  }

  async reconnect({ timeoutMs }: { timeoutMs: number }): Promise<void> {
    if (!this.init.reconnect) throw new ModuleError(`${this.name}: this run cannot reconnect hosts`);
    this.forgetFacts();
    this.init.reads?.clear();
    this.conn = await this.init.reconnect(timeoutMs);
  }

  withConnection(connection: Connection, name = this.name): HostImpl {
    // The inner connection runs through this host's own (become already applied there): no second sudo.
    return new HostImpl({ ...this.init, name, connection, vars: this.vars, become: undefined, check: this.check, facts: new FactCache(), reads: undefined, reconnect: undefined });
  }

  get wasChanged(): boolean {
    return this.changedFlag;
  }

  changed(): void {
    this.changedFlag = true;
  }

  log(message: string): void {
    this.init.emit({ type: 'log', host: this.name, msg: message });
  }

  async run(command: Command, options: RunCommandOptions = {}): Promise<ExecResult> {
    if (this.init.live && !this.init.live()) throw new ShipshapeError('ABORTED', `${this.name}: the task has already ended (timed out or failed); ${command.display} not run`);
    const hit = !this.become?.enabled && options.stdin === undefined ? this.init.reads?.get(command.text) : undefined;
    if (hit) {
      this.init.emit({ type: 'command', host: this.name, command: `(prefetched) ${command.display}` });
      return hit;
    }
    let cmd = command;
    let stdin = options.stdin;
    if (this.become?.enabled) {
      const b = becomeCommand(command, this.become);
      cmd = b.command;
      if (b.stdinPrefix) stdin = prefixStdin(b.stdinPrefix, stdin);
    }
    this.init.emit({ type: 'command', host: this.name, command: cmd.display });
    const result = await this.connection.exec(cmd, { ...options, stdin });
    this.init.reads?.invalidate(options.touches);
    this.init.emit({ type: 'output', host: this.name, command: cmd.display, result });
    if (result.code !== 0 && !options.allowFail) {
      throw new CommandError(this.name, command.display, result.code, result.stdout, result.stderr);
    }
    return result;
  }

  $(strings: TemplateStringsArray, ...values: unknown[]): Promise<ExecResult> {
    return this.run(sh(strings, ...(values as Arg[])));
  }

  fact<T, A = void>(def: FactDef<T, A>, arg: A, options: { fresh?: boolean } = {}): Promise<T> {
    const load = () => this.run({ ...def.command(arg), contained: true }, { allowFail: true }).then((r) => def.parse(r, arg));
    return this.init.facts.get(FactCache.key(def.name, arg), load, options.fresh);
  }

  /** Forget cached facts (after a change that invalidates them), all or those of one fact name. */
  forgetFacts(name?: string): void {
    this.init.facts.forget(name);
  }

  async readFile(path: string): Promise<FileState> {
    const r = await this.run(readFileCommand(path), { allowFail: true, touches: 'none' });
    if (r.code !== 0) throw new CommandError(this.name, `read ${path}`, r.code, '', r.stderr);
    return parseReadFile(r.stdoutBytes);
  }

  async writeFile(path: string, content: string | Buffer, options: WriteFileOptions = {}): Promise<{ backupPath?: string }> {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    // With become, sudo and its shell carry the command on their argv (readable by every local user in
    // /proc/*/cmdline): the bytes then travel on stdin, never inline.
    const inline = bytes.length <= INLINE_WRITE_MAX && !this.become?.enabled;
    // The state the plan saw (the cached read) lets the write skip re-reading mode and owner.
    const cached = inline ? this.init.reads?.get(readFileCommand(path).text) : undefined;
    const known = cached && cached.code === 0 ? parseReadFile(cached.stdoutBytes) : undefined;
    const command = writeFileCommand(path, options, bytes.length, inline ? bytes : undefined, known);
    const r = await this.run(command, { stdin: inline ? undefined : bytes, allowFail: true, touches: [path] });
    if (r.code === 4) throw new ModuleError(`${path}: validate command failed (${options.validate}): ${(r.stderr || r.stdout).trim()}`);
    if (r.code !== 0) throw new CommandError(this.name, `write ${path}`, r.code, r.stdout, r.stderr);
    const m = /^backup=(.*)$/m.exec(r.stdout);
    // The next read of this path is answered from what was just written (a module editing a file
    // several times in a row reads it once).
    const state = /^state=(.*)$/m.exec(r.stdout)?.[1];
    if (state && this.init.reads) {
      const read = Buffer.concat([Buffer.from(`${state}\n`), bytes]);
      this.init.reads.prime(readFileCommand(path).text, { code: 0, stdout: read.toString('utf8'), stderr: '', stdoutBytes: read });
    }
    return { backupPath: m?.[1] };
  }

  /**
   * Run tasks in order with the runner's semantics per task (when, loop, retries, check mode) and per
   * block (its `when` and options for the tasks inside, `rescue` after a failure in it, `always` in any
   * case); stops at the first failure nothing rescued.
   */
  async applyAll(tasks: readonly Task[]): Promise<AppliedTasks> {
    const results: { task: string; result: TaskResult }[] = [];
    let failed: AppliedTasks['failed'];
    const list = async (host: HostImpl, ts: readonly Task[]): Promise<boolean> => {
      for (const t of ts) {
        if (t.kind === 'block' ? !(await block(host, t)) : !(await one(host, t))) return false;
      }
      return true;
    };
    const one = async (host: HostImpl, t: Task): Promise<boolean> => {
      const result = await host.apply(t);
      if (result.changed) this.changed();
      results.push({ task: taskName(t), result });
      if (result.status !== 'failed' || result.ignored) return true;
      failed = { task: taskName(t), result };
      return false;
    };
    const block = async (outer: HostImpl, b: BlockTask): Promise<boolean> => {
      if (b.options.when !== undefined && !resolve(b.options.when, { host: outer.name, vars: outer.vars })) return true;
      // The block's defaults sit below every other var; its options (become, ignoreErrors, ...) pass to the tasks inside.
      const host = b.defaults ? outer.viewWith(Object.defineProperties({ ...b.defaults }, Object.getOwnPropertyDescriptors(outer.vars))) : outer;
      const inherit = (ts: readonly Task[]) => ts.map((t) => ({ ...t, options: { ...b.options, name: undefined, tags: undefined, when: undefined, ...t.options } }) as Task);
      let ok = await list(host, inherit(b.block));
      if (!ok && b.rescue) {
        failed = undefined;
        ok = await list(host, inherit(b.rescue));
      }
      if (b.always) {
        const before = failed;
        const always = await list(host, inherit(b.always));
        if (always) failed = before;
        ok = ok && always;
      }
      return ok;
    };
    await list(this, tasks);
    return { results, changed: results.some((r) => r.result.changed), ...(failed ? { failed } : {}) };
  }

  /** This host with other vars (a block's defaults below them). */
  private viewWith(vars: Vars): HostImpl {
    return new HostImpl({ ...this.init, connection: this.conn, vars, become: this.become, check: this.check });
  }

  apply(task: Task): Promise<TaskResult> {
    return this.init.applyTask(this, task).then((r) => {
      if (r.changed) this.changed();
      return r;
    });
  }
}
