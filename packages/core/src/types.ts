/**
 * The contracts every package builds on: connections, hosts, modules, tasks, plays, events.
 */
import type { Readable, Writable } from 'node:stream';
import type { Command, Secret } from './command.js';
import type { UnreachableReason } from './errors.js';

export type Vars = Record<string, unknown>;

// ---------------------------------------------------------------- connections

export type HostKeyPolicy = 'strict' | 'accept-new' | 'off';

/** How to reach a host; produced by the inventory from shipshape or Ansible variables. */
export interface ConnectionSpec {
  readonly type: 'ssh' | 'local';
  /** Address to connect to (ansible_host). */
  readonly host: string;
  /** @default 22 */
  readonly port?: number;
  /** @default 'root' */
  readonly user?: string;
  readonly privateKeyPath?: string;
  readonly privateKey?: string | Buffer;
  readonly password?: string | Secret;
  /** Use the ssh-agent at $SSH_AUTH_SOCK. @default true when set */
  readonly agent?: string | boolean;
  /** Jump host(s), outermost first (ProxyJump). */
  readonly proxyJump?: readonly ConnectionSpec[];
  /** @default 'strict' */
  readonly hostKeyPolicy?: HostKeyPolicy;
  /** UserKnownHostsFile: new keys are added to the first. @default ~/.ssh/known_hosts ~/.ssh/known_hosts2 */
  readonly knownHostsFile?: string | readonly string[];
  /** GlobalKnownHostsFile. @default /etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2 */
  readonly globalKnownHostsFile?: string | readonly string[];
  /** @default 10000 */
  readonly connectTimeoutMs?: number;
  /** @default 15000 */
  readonly keepaliveIntervalMs?: number;
}

export interface ExecOptions {
  readonly stdin?: string | Buffer | Readable;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** Receive stdout as it arrives (streaming downloads). stdout is then not buffered. */
  readonly stdoutStream?: Writable;
}

export interface RunCommandOptions extends ExecOptions {
  readonly allowFail?: boolean;
  readonly touches?: 'none' | readonly string[];
}

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Raw stdout bytes (binary-safe). */
  readonly stdoutBytes: Buffer;
}

/** One open connection to one host, reused for the whole run. */
export interface Connection {
  readonly name: string;
  /** Run shell text through the login user's POSIX shell. Never throws on non-zero exit. */
  exec(command: Command, options?: ExecOptions): Promise<ExecResult>;
  /** Stream a local readable to a remote path (SFTP, or `cat >` when there is no sftp-server). */
  upload(source: Readable | Buffer, remotePath: string, options?: { mode?: number }): Promise<void>;
  /** Stream a remote file into a writable. */
  download(remotePath: string, target: Writable): Promise<void>;
  close(): Promise<void>;
  /** Number of SSH channels opened so far (for tests and benchmarks). */
  readonly channelCount?: number;
  /** Warnings met while connecting, shown once (a changed host key accepted by policy off). */
  readonly warnings?: readonly string[];
}

export interface HostSpec {
  readonly name: string;
  readonly vars: Vars;
  readonly connection: ConnectionSpec;
  /** Privilege escalation from inventory (ansible_become*). */
  readonly become?: BecomeSpec;
}

export interface BecomeSpec {
  readonly enabled: boolean;
  /** @default 'root' */
  readonly user?: string;
  readonly password?: string | Secret;
  /** @default 'sudo' */
  readonly method?: 'sudo';
}

/** Resolves host patterns to hosts; @shipshape/inventory implements it fully. */
export interface InventoryView {
  readonly hosts: readonly HostSpec[];
  /** Hosts matching an Ansible-style pattern, in inventory order. */
  select(pattern: string): HostSpec[];
  /** A host's groups, sorted, without `all` (Ansible's `group_names`). */
  groupNames?(host: string): string[];
  /** The inventory source that first named the host (Ansible's `inventory_file`, `inventory_dir`). */
  hostSource?(host: string): { readonly file: string; readonly dir: string } | undefined;
  /** Every group with all its hosts, descendants included (Ansible's `groups`). */
  groupMembers?(): Record<string, string[]>;
}

// ---------------------------------------------------------------- facts

/** A fact is a command plus a pure parser of its output, cached per host and argument. */
export interface FactDef<T, A = void> {
  readonly name: string;
  /** A read that starts nothing outlasting it (it runs `contained`, see Command). */
  command(arg: A): Command;
  parse(result: ExecResult, arg: A): T;
}

// ---------------------------------------------------------------- files

export interface WriteFileOptions {
  /** Octal mode such as '0644' or a number; default: keep the existing file's mode, else 0644. */
  readonly mode?: string | number;
  readonly owner?: string;
  readonly group?: string;
  /** Keep a timestamped copy of the old file beside it (Ansible's backup: yes). */
  readonly backup?: boolean;
  /** Command run against the temp file before it replaces the original; `%s` is the temp path. */
  readonly validate?: string;
  /** Create missing parent directories (`mkdir -p`) instead of failing. */
  readonly createParents?: boolean;
}

/**
 * The live state of one path, as far as it was read: `readFile` gives type, mode, owner and the bytes
 * (links followed); a path probe (the file, copy and stat modules) the path itself with size, inode,
 * times, checksum and link target. JSON-able apart from `content`: fixtures replay it.
 */
export interface FileState {
  readonly exists: boolean;
  readonly type?: 'file' | 'directory' | 'link' | 'other';
  /** The bytes of a regular file. */
  readonly content?: Buffer;
  /** Four octal digits, e.g. '0644'. */
  readonly mode?: string;
  readonly owner?: string;
  readonly group?: string;
  /** Numeric ids beside the names: a wanted owner '0' matches root. */
  readonly uid?: number;
  readonly gid?: number;
  readonly size?: number;
  readonly inode?: number;
  readonly dev?: number;
  readonly nlink?: number;
  /** Modification time, seconds since the epoch. */
  readonly mtime?: number;
  /** Checksum of a regular file's bytes, when asked for. */
  readonly checksum?: string;
  /** Symlink target. */
  readonly target?: string;
  /** Whether the path resolves to a directory (a link to a directory counts). */
  readonly resolvesToDir?: boolean;
}

// ---------------------------------------------------------------- host context

/** What a task sees of one host; module gather/apply and function tasks get this. */
export interface Host {
  readonly name: string;
  readonly vars: Vars;
  readonly check: boolean;
  readonly diff: boolean;
  readonly connection: Connection;
  /** zx-style: every `${value}` is quoted. Throws CommandError on non-zero exit. */
  $(strings: TemplateStringsArray, ...values: unknown[]): Promise<ExecResult>;
  /**
   * Run a command; throws CommandError on non-zero unless `allowFail`. Applies become. `touches`
   * says what it may change: 'none' (a read), some paths, or (the default) anything.
   */
  run(command: Command, options?: RunCommandOptions): Promise<ExecResult>;
  /**
   * Cached fact lookup, per fact and argument for the whole run. `fresh` reads it again (state the
   * task itself changes) and keeps the new value.
   */
  fact<T, A = void>(def: FactDef<T, A>, arg: A, options?: { readonly fresh?: boolean }): Promise<T>;
  /** Read a file; `exists: false` when missing. One round trip. */
  readFile(path: string): Promise<FileState>;
  /** Atomic write: temp file in the same directory, keep mode/owner, optional validate, rename. */
  writeFile(path: string, content: string | Buffer, options?: WriteFileOptions): Promise<{ backupPath?: string }>;
  /** Run another module (or task) on this host from a function task; returns its result. */
  apply(task: Task): Promise<TaskResult>;
  /**
   * Run tasks in order as a play runs them on one host: each with when, loop, retries and check mode,
   * blocks with their `rescue` (after a failure inside) and `always` (in any case). Stops at the first
   * failure nothing rescued, which is `failed`.
   */
  applyAll(tasks: readonly Task[]): Promise<AppliedTasks>;
  /** Mark the current function task as changed. */
  changed(): void;
  /**
   * Drop this host's connection and open a new one (after a reboot), retrying until `timeoutMs`;
   * later tasks use the new connection. Auth and host-key failures are not retried.
   */
  reconnect(options: { timeoutMs: number }): Promise<void>;
  /**
   * The same host context over another connection (a chroot, a container): `apply` on it runs
   * tasks with full semantics (when, loop, retries, check mode) through that connection.
   */
  withConnection(connection: Connection, name?: string): Host;
  /** A progress message, shown with -v. */
  log(message: string): void;
}

/** What {@link Host.applyAll} ran: every task's result in order, and the failure that stopped it. */
export interface AppliedTasks {
  readonly results: readonly { readonly task: string; readonly result: TaskResult }[];
  readonly changed: boolean;
  readonly failed?: { readonly task: string; readonly result: TaskResult };
}

// ---------------------------------------------------------------- modules

export interface FileDiff {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export type Change =
  | ({ readonly kind: 'write'; readonly path: string; readonly content: string | Buffer } & WriteFileOptions)
  | {
      readonly kind: 'exec';
      readonly command: Command;
      readonly stdin?: string | Buffer;
      readonly describe?: string;
      /** The paths this command changes; lets cached reads of other paths stay valid. */
      readonly paths?: readonly string[];
      /**
       * Why the command's output means it changed nothing (vzctl's "No changes in CT configuration"),
       * or undefined when it did change something. A command with it runs alone (never merged).
       */
      readonly unchanged?: (result: ExecResult) => string | undefined;
      /**
       * The task's result from the command's own (the command modules: `rc`, `stdout`, `stderr`, and
       * `status: 'failed'` for a non-zero exit), merged as a call's is: its exit is then no error of its
       * own. A command with it runs alone (never merged).
       */
      readonly outcome?: (result: ExecResult) => Partial<TaskResult>;
    }
  | {
      readonly kind: 'call';
      readonly describe: string;
      /**
       * Perform the change. What it returns is merged into the task's result (`data` key by key; a later
       * call wins; its `msg` is the task's, changed or not); `changed: false` says this change changed nothing.
       */
      run(host: Host): Promise<Partial<TaskResult> | void>;
    };

/** What a module's pure `plan` returns. */
export type Plan<R = Vars> =
  | {
      readonly changed: false;
      readonly msg: string;
      readonly result?: R;
      /** The plan is a failure (assert, fail): nothing to change, the task fails with `msg`. */
      readonly failed?: boolean;
      /** Shown at every verbosity as `ok: [h] => {...}`, as Ansible shows debug's result. */
      readonly show?: Vars;
    }
  | {
      readonly changed: true;
      readonly msg: string;
      readonly changes: readonly Change[];
      readonly diff?: readonly FileDiff[];
      readonly result?: R;
    };

export interface ModuleDef<A = any, F = any, R = any> {
  readonly name: string;
  readonly description: string;
  /** zod schema: gives the TS type, runtime validation, defaults and doc text. */
  readonly schema: import('zod').ZodType<A, any, any>;
  /** Read the live state the plan needs (ideally one round trip). */
  gather(host: Host, args: A): Promise<F>;
  /** Pure: the changes needed, or why none is. */
  plan(args: A, facts: F): Plan<R>;
  /** Modules that cannot predict (command/shell) run nothing in check mode. @default true */
  readonly supportsCheck?: boolean;
  /**
   * The read-only commands `gather` will run for these args (e.g. `readFileCommand(path)`). The runner
   * batches them for all upcoming tasks into one round trip per host and serves gather from the result
   * until something changes on the host. They must start nothing that outlives them (they run
   * `contained`, see Command).
   */
  prefetch?(args: A): readonly Command[];
}

// ---------------------------------------------------------------- tasks

/**
 * What a task's functions see of one host. `V` types the vars: `task<MyVars>('x', async (h, c) =>
 * c.vars.port.toFixed())` needs no cast.
 */
export interface TaskContext<V extends object = Vars> {
  readonly host: string;
  /**
   * Defaults, inventory, play and extra vars, registered results, `facts` when gathered, and
   * Ansible's magic vars (inventory_hostname, group_names, groups, hostvars, ansible_play_hosts...);
   * `{{ }}` in values is rendered when read.
   */
  readonly vars: V & Vars;
  /** The current loop item. */
  readonly item?: unknown;
  readonly index?: number;
}

export type Dynamic<T, V extends object = Vars> = T | ((ctx: TaskContext<V>) => T);

/** A registered result: shipshape's fields and Ansible's (`r.stat.size`, `r.stdout_lines`, `r.rc`, `r.failed`). */
export type Registered = TaskResult &
  Vars & {
    readonly failed: boolean;
    readonly skipped?: boolean;
    readonly stdout_lines?: readonly string[];
    readonly stderr_lines?: readonly string[];
    readonly results?: readonly Registered[];
  };

export interface TaskResult {
  readonly status: 'ok' | 'changed' | 'failed' | 'skipped';
  readonly changed: boolean;
  readonly msg?: string;
  readonly diff?: readonly FileDiff[];
  readonly stdout?: string;
  readonly stderr?: string;
  readonly rc?: number;
  /** Module-specific result data (e.g. stat's fields). */
  readonly data?: Vars;
  /** Per-item results when looped. */
  readonly results?: readonly TaskResult[];
  readonly item?: unknown;
  /** Set when the failure was ignored (ignoreErrors). */
  readonly ignored?: boolean;
  readonly attempts?: number;
  /** What the task shows at every verbosity (debug's msg or var), printed as Ansible prints it. */
  readonly show?: Vars;
}

export interface TaskOptions<V extends object = Vars> {
  readonly name?: string;
  readonly when?: Dynamic<boolean, V>;
  readonly loop?: Dynamic<readonly unknown[], V>;
  readonly register?: string;
  readonly notify?: string | readonly string[];
  readonly tags?: readonly string[];
  readonly ignoreErrors?: boolean;
  readonly retries?: number;
  readonly until?: (result: TaskResult, ctx: TaskContext<V>) => boolean;
  /** Seconds between retries. @default 5 */
  readonly delay?: number;
  readonly changedWhen?: (result: TaskResult, ctx: TaskContext<V>) => boolean;
  readonly failedWhen?: (result: TaskResult, ctx: TaskContext<V>) => boolean;
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly delegateTo?: string;
  readonly runOnce?: boolean;
  readonly throttle?: number;
  readonly noLog?: boolean;
  /**
   * Seconds one attempt of this task may run on a host before it fails (Ansible's `timeout`); 0: no
   * limit. @default the run's taskTimeout
   */
  readonly timeout?: number;
  /** Force check mode on (true) or off (false) for this task. */
  readonly checkMode?: boolean;
}

export type Task = ModuleTask | FnTask | BlockTask;

export interface ModuleTask {
  readonly kind: 'module';
  readonly module: ModuleDef;
  readonly args: Dynamic<unknown>;
  readonly options: TaskOptions;
}

export type TaskFn<V extends object = Vars> = (host: Host, ctx: TaskContext<V>) => Promise<void | boolean | Partial<TaskResult>>;

export interface FnTask {
  readonly kind: 'fn';
  readonly fn: TaskFn;
  readonly options: TaskOptions & { readonly name: string };
}

export interface BlockTask {
  readonly kind: 'block';
  readonly block: readonly Task[];
  readonly rescue?: readonly Task[];
  readonly always?: readonly Task[];
  /** Lowest-precedence vars for the tasks inside (a role's defaults). */
  readonly defaults?: Vars;
  readonly options: TaskOptions;
}

// ---------------------------------------------------------------- plays

export interface PlayDef {
  readonly name: string;
  /** Host pattern. @default 'all' */
  readonly hosts?: string;
  /** Lowest-precedence vars (a role's defaults): inventory and everything else win over them. */
  readonly defaults?: Vars;
  readonly vars?: Vars;
  readonly tasks: readonly Task[];
  /** Handlers by name; a task notifies one with `notify: 'name'`. */
  readonly handlers?: Readonly<Record<string, Task | readonly Task[]>>;
  /** Batch size(s): number, percentage string, or list of them. */
  readonly serial?: number | string | readonly (number | string)[];
  /** @default 'linear' */
  readonly strategy?: 'linear' | 'free';
  readonly forks?: number;
  /**
   * Gather Ansible's facts (`setupFact`) before the first task: tasks see them as `ansible_*` vars and
   * in `ansible_facts` (also `facts`). @default false
   */
  readonly gatherFacts?: boolean;
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly tags?: readonly string[];
}

export interface PlaybookDef {
  readonly kind: 'playbook';
  readonly name: string;
  readonly plays: readonly PlayDef[];
}

// ---------------------------------------------------------------- events

export interface HostStats {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  rescued: number;
  ignored: number;
}

export type RunEvent =
  | { readonly type: 'run:start'; readonly playbook: string; readonly check: boolean; readonly diff: boolean }
  | { readonly type: 'play:start'; readonly play: string; readonly hosts: readonly string[] }
  | {
      readonly type: 'task:start';
      readonly id: number;
      readonly task: string;
      readonly hosts: readonly string[];
      readonly handler?: boolean;
    }
  | { readonly type: 'task:end'; readonly id: number; readonly task: string }
  | {
      readonly type: 'host:result';
      readonly id: number;
      readonly task: string;
      readonly host: string;
      readonly result: TaskResult;
      readonly noLog?: boolean;
      /** The host the task ran on when it was delegated to another (`delegateTo`): shown as `[host -> delegate]`. */
      readonly delegate?: string;
      /** When the task started and ended on this host (epoch ms). */
      readonly start?: number;
      readonly end?: number;
    }
  | {
      readonly type: 'host:unreachable';
      readonly host: string;
      readonly reason: UnreachableReason;
      readonly msg: string;
      readonly task?: string;
    }
  | { readonly type: 'command'; readonly host: string; readonly command: string; readonly delegate?: string }
  | { readonly type: 'output'; readonly host: string; readonly command: string; readonly result: ExecResult; readonly delegate?: string }
  | { readonly type: 'connect'; readonly host: string; readonly detail: string }
  | { readonly type: 'warning'; readonly msg: string }
  | { readonly type: 'log'; readonly host: string; readonly msg: string }
  | { readonly type: 'play:end'; readonly play: string }
  | {
      readonly type: 'run:end';
      readonly stats: Readonly<Record<string, HostStats>>;
      readonly durationMs: number;
      readonly aborted?: boolean;
      /** Hosts run again after the worker that had them was lost (queue mode); the stats are the last run's. */
      readonly retried?: readonly string[];
    };

export type Reporter = (event: RunEvent) => void;
