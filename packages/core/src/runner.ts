import { ConnectError, errorMessage } from './errors.js';
import { maskDeep, registerSecretValue } from './secrets.js';
import { ansibleFactsView, setupFact } from './setup-facts.js';
import { HostImpl } from './host.js';
import { deadline, executeTask, failedResult, registered, resolve, type ExecEnv } from './internal/execute.js';
import { guardEscapes, inTaskSlot } from './internal/guard.js';
import { Semaphore } from './internal/semaphore.js';
import { ConnectionPool } from './internal/connection-pool.js';
import { FactCache, ReadCache } from './internal/read-cache.js';
import { batchCommand, collectPrefetch } from './internal/prefetch.js';
import { foldTasks, type Folded } from './internal/fold.js';
import { tagSelected, taskTags, type TagFilter } from './internal/tags.js';
import { taskName } from './playbook.js';
import { loadJinja, type JinjaEngine } from './jinja/index.js';
import { hasTemplates, inventoryMagic, mergeVars, OMIT, opaque } from './vars.js';
import type {
  BlockTask, Connection, HostSpec, HostStats, InventoryView, PlayDef, PlaybookDef, Reporter, RunEvent, Task, TaskResult, Vars,
} from './types.js';

export interface RunOptions extends TagFilter {
  readonly inventory: InventoryView;
  readonly check?: boolean;
  readonly diff?: boolean;
  /** Further restrict hosts (Ansible --limit pattern). */
  readonly limit?: string;
  readonly extraVars?: Vars;
  /** Hosts worked on at once. @default 100 */
  readonly forks?: number;
  readonly onEvent?: Reporter;
  /** Stop starting new tasks when aborted (Ctrl-C); in-flight tasks finish. */
  readonly signal?: AbortSignal;
  readonly startAtTask?: string;
  /**
   * Seconds a task may run on one host before it fails (a task's own `timeout` wins); 0: no limit.
   * @default DEFAULT_TASK_TIMEOUT_S
   */
  readonly taskTimeout?: number;
  /**
   * The playbook's directory: tasks see it as `playbook_dir`, and copy/template look for relative
   * `src` paths under its `files/` / `templates/` and in it (as Ansible does).
   */
  readonly playbookDir?: string;
  /** Override how connections are opened (tests, chroot/container connections). */
  readonly connect?: (host: HostSpec) => Promise<Connection>;
  /**
   * This run is one part of a run spread over several runners (queue mode). Before each play after the
   * first, `sync` gets this part's hosts' facts and registered vars, and resolves once every part has
   * finished the plays before (as Ansible starts a play once the one before is done on every host), with
   * the other parts' hosts' state: what `hostvars` shows of them from then on. Its values are data:
   * never rendered as templates. An aborted run stops waiting.
   */
  readonly sync?: (play: number, own: Readonly<Record<string, SharedHostState>>) => Promise<Readonly<Record<string, SharedHostState>>>;
  /**
   * A spread run's hosts of each play, every part's (queue mode): what `ansible_play_hosts_all` shows, and
   * `ansible_play_hosts` less those known to have failed. This runner works on those its inventory selects.
   */
  readonly playHostsAll?: (play: number) => readonly string[];
}

/** What one part of a spread run shares of a host with the others: what `hostvars` shows beyond the inventory. */
export interface SharedHostState {
  /** Gathered facts (`ansible_facts`), if any were. */
  readonly facts?: Vars;
  /** Registered results and `set_fact` vars. */
  readonly registered: Vars;
  /** The host failed or was unreachable: no longer in `ansible_play_hosts`. */
  readonly failed?: boolean;
}

/** What a noLog task's result shows instead of its output (Ansible's censored result). */
export const NO_LOG_MSG = "the output has been hidden due to the fact that 'noLog: true' was specified for this result";

export interface RunSummary {
  readonly stats: Record<string, HostStats>;
  /** Every task result as shown: secret values masked, a noLog task's output censored (register keeps it). */
  readonly results: { task: string; host: string; result: TaskResult }[];
  readonly durationMs: number;
  /** No host failed or was unreachable. */
  readonly ok: boolean;
  readonly failedHosts: string[];
  readonly unreachableHosts: string[];
  readonly aborted: boolean;
  /** Connections opened (one per host) and channels used. */
  readonly connections: number;
  readonly channels: number;
}

interface HostRun {
  readonly spec: HostSpec;
  readonly stats: HostStats;
  readonly registered: Vars;
  readonly notified: Set<string>;
  readonly facts: FactCache;
  /** Batched gather results, dropped as soon as something may have made them stale. */
  readonly reads: ReadCache;
  /** Tasks an earlier task's fold has done on this host: their results, reported when their turn comes. */
  readonly folded: Map<Task, Folded>;
  status: 'active' | 'failed' | 'unreachable';
  gathered?: Vars;
}

/** Where failures inside a block go: the block's rescue instead of the play. */
interface Scope {
  readonly failed: Set<HostRun>;
  fail(h: HostRun): void;
}

/** How long a task may run on one host unless the run or the task says otherwise: an hour. */
export const DEFAULT_TASK_TIMEOUT_S = 3600;

const NO_LOG_COMMAND = '(command of a noLog task: hidden)';
/** Output of a noLog task shorter than this is not masked in later output (it would garble it, not hide anything). */
const NO_LOG_MIN_MASK = 6;

/** A noLog task's output stays hidden wherever it turns up later (a registered value printed by another task). */
function registerNoLogOutput(r: TaskResult): void {
  for (const text of [r.stdout, r.stderr]) if (text?.trim()) registerSecretValue(text.trim(), NO_LOG_MIN_MASK);
  for (const item of r.results ?? []) registerNoLogOutput(item);
}

function censored(r: TaskResult): TaskResult {
  return { status: r.status, changed: r.changed, msg: NO_LOG_MSG, ...(r.ignored ? { ignored: true } : {}) };
}

/** Data from elsewhere, read as it is: mergeVars never renders a getter's value as a template. */
function literal(v: Vars): Vars {
  return Object.defineProperties({}, Object.fromEntries(Object.entries(v).map(([k, x]) => [k, { get: () => x, enumerable: true, configurable: true }])));
}

/** The `defaults` of every block in a task list, nested ones included. */
function blockDefaults(tasks: readonly Task[]): Vars[] {
  return tasks.flatMap((t) => (t.kind === 'block' ? [t.defaults ?? {}, ...blockDefaults([...t.block, ...(t.rescue ?? []), ...(t.always ?? [])])] : []));
}

const newStats = (): HostStats => ({ ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 });

export function batches<T>(items: T[], serial: PlayDef['serial']): T[][] {
  if (serial === undefined) return [items];
  const sizes = (Array.isArray(serial) ? serial : [serial]).map((s) =>
    typeof s === 'string' && s.endsWith('%') ? Math.max(1, Math.floor((items.length * parseFloat(s)) / 100)) : Number(s),
  );
  const out: T[][] = [];
  let i = 0;
  let k = 0;
  while (i < items.length) {
    const n = sizes[Math.min(k++, sizes.length - 1)]! || items.length;
    out.push(items.slice(i, i + n));
    i += n;
  }
  return out;
}

/** Run a playbook against an inventory; every step is reported through `onEvent`. */
export async function run(pb: PlaybookDef, options: RunOptions): Promise<RunSummary> {
  return new Runner(pb, options).run();
}

class Runner {
  private readonly hostRuns = new Map<string, HostRun>();
  private readonly pool: ConnectionPool;
  private readonly delegateFacts = new Map<string, FactCache>();
  private readonly results: RunSummary['results'] = [];
  private readonly forks: Semaphore;
  private taskId = 0;
  /** Loaded before the first play when any var holds a `{{ }}` template. */
  private jinja?: JinjaEngine;
  /** The current play's hosts (ansible_play_hosts_all) and batch (ansible_play_batch). */
  private playHosts: { all: HostRun[]; batch: HostRun[] } = { all: [], batch: [] };
  private playIndex = 0;
  /** Bumped whenever a host's status changes (its active/failed/unreachable lists are rebuilt). */
  private statusVersion = 0;
  private hostLists?: { key: Runner['playHosts']; version: number; all: string[]; active: string[]; batch: string[] };
  /** inventory_hostname, group_names, groups per host: the inventory does not change during a run. */
  private readonly inventoryMagic = new Map<string, Vars>();
  private hostNames?: string[];
  /** Other parts' hosts (`sync`): their facts and registered vars as last shared. */
  private readonly shared = new Map<string, HostRun>();
  private startReached: boolean;
  private readonly t0 = Date.now();

  constructor(private readonly pb: PlaybookDef, private readonly o: RunOptions) {
    this.forks = new Semaphore(o.forks ?? 100);
    this.pool = new ConnectionPool((e) => this.emit(e), o.connect);
    this.startReached = !o.startAtTask;
  }

  /** Every event passes the masking step: no secret value of the run reaches a reporter. */
  private emit(e: RunEvent): void {
    this.o.onEvent?.(maskDeep(e));
  }

  private get aborted(): boolean {
    return this.o.signal?.aborted ?? false;
  }

  /** What a `noLog` task's host shows: that a command ran, never its text, output or log lines. */
  private emitNoLog(e: RunEvent): void {
    if (e.type === 'command') this.emit({ ...e, command: NO_LOG_COMMAND });
    else if (e.type !== 'output' && e.type !== 'log') this.emit(e);
  }

  private hostRun(spec: HostSpec): HostRun {
    let h = this.hostRuns.get(spec.name);
    if (!h) {
      h = { spec, stats: newStats(), registered: {}, notified: new Set(), facts: new FactCache(), reads: new ReadCache(), folded: new Map(), status: 'active' };
      this.hostRuns.set(spec.name, h);
    }
    return h;
  }

  private unreachable(h: HostRun, e: ConnectError, task?: string): void {
    if (h.status === 'unreachable') return;
    h.status = 'unreachable';
    this.statusVersion++;
    h.stats.unreachable++;
    this.emit({ type: 'host:unreachable', host: h.spec.name, reason: e.reason, msg: e.message, task });
  }

  run(): Promise<RunSummary> {
    return guardEscapes(() => this.runGuarded());
  }

  private async runGuarded(): Promise<RunSummary> {
    this.emit({ type: 'run:start', playbook: this.pb.name, check: !!this.o.check, diff: !!this.o.diff });
    const sources = [this.o.extraVars, ...this.o.inventory.hosts.map((h) => h.vars), ...this.pb.plays.flatMap((p) => [p.vars, p.defaults, ...blockDefaults(p.tasks)])];
    if (sources.some((v) => hasTemplates(v))) this.jinja = await loadJinja();
    try {
      for (const [i, play] of this.pb.plays.entries()) {
        if (i > 0 && this.o.sync && !this.aborted) await this.syncParts(i);
        if (this.aborted) break;
        this.playIndex = i;
        await this.runPlay(play);
      }
    } finally {
      await this.pool.closeAll();
    }
    const stats = Object.fromEntries([...this.hostRuns].map(([n, h]) => [n, h.stats]));
    const durationMs = Date.now() - this.t0;
    this.emit({ type: 'run:end', stats, durationMs, aborted: this.aborted });
    const all = [...this.hostRuns.values()];
    const failedHosts = all.filter((h) => h.status === 'failed').map((h) => h.spec.name);
    const unreachableHosts = all.filter((h) => h.status === 'unreachable').map((h) => h.spec.name);
    return {
      stats, results: maskDeep(this.results), durationMs, failedHosts, unreachableHosts, aborted: this.aborted,
      ok: failedHosts.length === 0 && unreachableHosts.length === 0,
      connections: this.pool.connections,
      channels: this.pool.channels,
    };
  }

  /** Wait for the run's other parts to finish the plays before `play`; keep what they share of their hosts. */
  private async syncParts(play: number): Promise<void> {
    const own = Object.fromEntries([...this.hostRuns].map(([n, h]): [string, SharedHostState] => [n, {
      ...(h.gathered ? { facts: h.gathered } : {}), registered: h.registered, ...(h.status !== 'active' ? { failed: true } : {}),
    }]));
    const theirs = await this.o.sync!(play, own);
    for (const [name, st] of Object.entries(theirs)) {
      const spec = this.o.inventory.hosts.find((x) => x.name === name);
      if (!spec || this.hostRuns.has(name)) continue;
      this.shared.set(name, { spec, registered: literal(st.registered ?? {}), status: st.failed ? 'failed' : 'active', ...(st.facts ? { gathered: st.facts } : {}) } as unknown as HostRun);
    }
  }

  private async runPlay(play: PlayDef): Promise<void> {
    let specs = this.o.inventory.select(play.hosts ?? 'all');
    if (this.o.limit) {
      const keep = new Set(this.o.inventory.select(this.o.limit).map((h) => h.name));
      specs = specs.filter((h) => keep.has(h.name));
    }
    const hosts = specs.map((s) => this.hostRun(s)).filter((h) => h.status === 'active');
    this.emit({ type: 'play:start', play: play.name, hosts: hosts.map((h) => h.spec.name) });
    this.playHosts = { all: hosts, batch: hosts };
    for (const batch of batches(hosts, play.serial)) {
      if (this.aborted) break;
      this.playHosts = { all: hosts, batch };
      await Promise.all(batch.map((h) => this.forks.use(() => this.pool.get(h.spec)).catch((e) => {
        if (e instanceof ConnectError) this.unreachable(h, e);
        else this.unreachable(h, new ConnectError(h.spec.name, 'other', String(e)));
      })));
      const top: Scope = { failed: new Set(), fail: (h) => { h.status = 'failed'; this.statusVersion++; } };
      if (play.gatherFacts) await this.gatherFacts(batch);
      const tags = play.tags ?? [];
      if (play.strategy === 'free') {
        await Promise.all(batch.map((h) => this.runList(play, play.tasks, [h], top, tags, [])));
      } else {
        await this.runList(play, play.tasks, batch, top, tags, []);
      }
      await this.runHandlers(play, batch, top);
    }
    this.emit({ type: 'play:end', play: play.name });
  }

  private async gatherFacts(hosts: HostRun[]): Promise<void> {
    await Promise.all(hosts.filter((h) => h.status === 'active').map(async (h) => {
      const host = await this.baseHost(h, {});
      try {
        h.gathered = await host.fact(setupFact, undefined);
      } catch (e) {
        if (e instanceof ConnectError) this.unreachable(h, e, 'Gathering Facts');
        else throw e;
      }
    }));
  }

  /**
   * A host's vars, Ansible's precedence from lowest: play and block `defaults`, inventory, facts,
   * play vars, registered results, magic vars, extra vars; `{{ }}` rendered on first read.
   */
  private varsFor(h: HostRun, play: PlayDef, defaults: readonly Vars[] = []): Vars {
    const lists = this.playHostLists();
    let inventory = this.inventoryMagic.get(h.spec.name);
    if (!inventory) this.inventoryMagic.set(h.spec.name, (inventory = inventoryMagic(this.o.inventory, h.spec.name)));
    const magic: Vars = {
      ...inventory,
      hostvars: this.hostvars(play),
      ansible_play_hosts_all: lists.all,
      ansible_play_hosts: lists.active,
      ansible_play_batch: lists.batch,
      play_hosts: lists.batch,
      ansible_play_name: play.name,
      ansible_check_mode: !!this.o.check,
      ansible_diff_mode: !!this.o.diff,
      omit: OMIT,
      ...(this.o.playbookDir !== undefined ? { playbook_dir: this.o.playbookDir } : {}),
    };
    // ansible_host defaults to the inventory name, as Ansible's debug var=ansible_host shows.
    // Facts as Ansible injects them (`ansible_distribution`, above inventory vars), in `ansible_facts`, and in `facts`.
    const gathered = h.gathered ? { ...ansibleFactsView(h.gathered), ansible_facts: h.gathered, facts: h.gathered } : {};
    const facts = this.shared.get(h.spec.name) === h ? literal(gathered) : gathered;
    // inventory_file/inventory_dir are host vars in Ansible, set when the host is first named: lowest of them.
    const source = this.o.inventory.hostSource?.(h.spec.name);
    const where = source ? { inventory_file: source.file, inventory_dir: source.dir } : {};
    const layers = [{ ansible_host: h.spec.name, ...where }, play.defaults ?? {}, ...defaults, h.spec.vars, facts, play.vars ?? {}, h.registered, magic, this.o.extraVars ?? {}];
    return mergeVars(layers, this.jinja?.templateValue);
  }

  /**
   * The play's host names, all and still active, and the batch's active ones: built once while no host's
   * status changes (not once per host and task: with hundreds of hosts that cost grows with the square).
   */
  private playHostLists(): { all: string[]; active: string[]; batch: string[] } {
    const key = this.playHosts;
    if (this.hostLists?.key !== key || this.hostLists.version !== this.statusVersion) {
      const active = (list: HostRun[]) => list.filter((x) => x.status === 'active').map((x) => x.spec.name);
      const whole = this.o.playHostsAll?.(this.playIndex);
      const live = (n: string) => ((this.hostRuns.get(n) ?? this.shared.get(n))?.status ?? 'active') === 'active';
      this.hostLists = {
        key, version: this.statusVersion, batch: active(key.batch),
        all: whole ? [...whole] : key.all.map((x) => x.spec.name),
        active: whole ? whole.filter(live) : active(key.all),
      };
    }
    return this.hostLists;
  }

  /** `hostvars`: every inventory host's vars, each built when first read. */
  private hostvars(play: PlayDef): Vars {
    const names = (this.hostNames ??= this.o.inventory.hosts.map((x) => x.name));
    const of = (name: string): Vars | undefined => {
      const spec = this.o.inventory.hosts.find((x) => x.name === name);
      if (!spec) return undefined;
      const run = this.hostRuns.get(name) ?? this.shared.get(name) ?? ({ spec, registered: {}, status: 'active' } as unknown as HostRun);
      return this.varsFor(run, play);
    };
    return opaque(new Proxy({} as Vars, {
      get: (_t, k) => (typeof k === 'string' ? of(k) : undefined),
      has: (_t, k) => typeof k === 'string' && names.includes(k),
      ownKeys: () => names,
      getOwnPropertyDescriptor: (_t, k) => (typeof k === 'string' && names.includes(k) ? { enumerable: true, configurable: true, value: of(k) } : undefined),
    }));
  }

  /** Facts belong to the host a command runs on: a delegated task sees the delegate's. */
  private factsOf(name: string): FactCache {
    let f = this.delegateFacts.get(name);
    if (!f) this.delegateFacts.set(name, (f = this.hostRuns.get(name)?.facts ?? new FactCache()));
    return f;
  }

  private async baseHost(h: HostRun, vars: Vars, spec: HostSpec = h.spec, noLog = false, live?: () => boolean): Promise<HostImpl> {
    const connection = await this.pool.get(spec);
    const own = spec.name === h.spec.name;
    const shown = noLog ? (e: RunEvent) => this.emitNoLog(e) : (e: RunEvent) => this.emit(e);
    // A delegated task's commands run on the delegate: their events say so.
    const emit = own ? shown : (e: RunEvent) => shown(e.type === 'command' || e.type === 'output' ? { ...e, delegate: spec.name } : e);
    return new HostImpl({
      name: h.spec.name, connection, vars, check: !!this.o.check, diff: !!this.o.diff, live,
      become: h.spec.become, emit: live ? (e) => live() && emit(e) : emit,
      facts: own ? h.facts : this.factsOf(spec.name), reads: own ? h.reads : undefined,
      reconnect: (timeoutMs) => this.pool.reconnect(spec, timeoutMs),
      applyTask: (host, task) => executeTask(task, { host, vars: host.vars, check: host.check, become: host.become, diff: host.diff }, host.name),
    });
  }

  private async runList(play: PlayDef, tasks: readonly Task[], hosts: HostRun[], scope: Scope, tags: readonly string[], defaults: readonly Vars[]): Promise<void> {
    for (const [i, t] of tasks.entries()) {
      // Once aborted, only the tasks a fold has already done are reported (their changes are made).
      const active = hosts.filter((h) => h.status === 'active' && !scope.failed.has(h) && (!this.aborted || h.folded.has(t)));
      if (active.length === 0) return;
      if (t.kind === 'block') {
        await this.runBlock(play, t, active, scope, taskTags(t, tags), t.defaults ? [...defaults, t.defaults] : defaults);
        continue;
      }
      if (!this.startReached) {
        if (taskName(t) !== this.o.startAtTask) continue;
        this.startReached = true;
      }
      if (!tagSelected(taskTags(t, tags), this.o)) continue;
      const rest = tasks.slice(i).filter((x) => x.kind === 'block' || tagSelected(taskTags(x, tags), this.o));
      await this.runTask(play, t, active, scope, false, rest, defaults);
    }
  }

  private async runBlock(play: PlayDef, b: BlockTask, hosts: HostRun[], outer: Scope, tags: readonly string[], defaults: readonly Vars[]): Promise<void> {
    const inBlock = hosts.filter((h) => b.options.when === undefined || resolve(b.options.when, { host: h.spec.name, vars: this.varsFor(h, play, defaults) }));
    const scope: Scope = { failed: new Set(), fail: (h) => scope.failed.add(h) };
    const inherit = (list: readonly Task[]) => list.map((t) => ({ ...t, options: { ...b.options, name: undefined, tags: undefined, when: undefined, ...t.options } }) as Task);
    await this.runList(play, inherit(b.block), inBlock, b.rescue || b.always ? scope : outer, tags, defaults);
    const failedInBlock = [...scope.failed];
    if (b.rescue && failedInBlock.length) {
      const rescueScope: Scope = { failed: new Set(), fail: (h) => rescueScope.failed.add(h) };
      await this.runList(play, inherit(b.rescue), failedInBlock, rescueScope, tags, defaults);
      for (const h of failedInBlock) {
        if (rescueScope.failed.has(h)) continue;
        scope.failed.delete(h);
        h.stats.rescued++;
        h.stats.failed = Math.max(0, h.stats.failed - 1);
      }
      for (const h of rescueScope.failed) scope.failed.add(h);
    }
    if (b.always) {
      const alwaysScope: Scope = { failed: new Set(), fail: (h) => scope.failed.add(h) };
      await this.runList(play, inherit(b.always), inBlock.filter((h) => h.status === 'active'), alwaysScope, tags, defaults);
    }
    if (b.rescue || b.always) for (const h of scope.failed) outer.fail(h);
  }

  private async runTask(play: PlayDef, t: Task, hosts: HostRun[], scope: Scope, handler = false, rest: readonly Task[] = [t], defaults: readonly Vars[] = []): Promise<void> {
    const id = ++this.taskId;
    const name = taskName(t);
    const targets = t.options.runOnce ? hosts.slice(0, 1) : hosts;
    this.emit({ type: 'task:start', id, task: name, hosts: targets.map((h) => h.spec.name), handler });
    const throttle = t.options.throttle ? new Semaphore(t.options.throttle) : undefined;
    const one = async (h: HostRun) => {
      let start = 0;
      const work = async () => {
        start = Date.now();
        const folded = h.folded.get(t);
        if (folded) {
          h.folded.delete(t);
          for (const e of folded.events) this.emit(e);
          return folded.result;
        }
        await this.prefetch(play, t, h, rest, defaults);
        return this.guarded(id, name, h, !!t.options.ignoreErrors, (live) => this.onHost(play, t, h, live, defaults, rest));
      };
      const res = await this.forks.use(() => (throttle ? throttle.use(work) : work()));
      if (!res) return;
      const times = { start, end: Date.now() };
      this.record(id, name, t, h, res, scope, times);
      // As in Ansible, the other hosts get the registered result, the facts and a failure, not the counts or the notification.
      if (t.options.runOnce) for (const other of hosts) if (other !== h) this.share(t, other, res, scope);
    };
    await Promise.all(targets.map(one));
    this.emit({ type: 'task:end', id, task: name });
  }

  /**
   * Run one task on one host in its own async context: an error escaping from it (a timer's throw, an
   * unawaited rejection) fails that task while it runs, or the host when it comes after the task ended.
   */
  private async guarded(
    id: number, name: string, h: HostRun, ignoreErrors: boolean, fn: (live: () => boolean) => Promise<TaskResult | undefined>,
  ): Promise<TaskResult | undefined> {
    let done = false;
    let fail!: (r: TaskResult) => void;
    const escapedResult = new Promise<TaskResult>((r) => (fail = r));
    const escaped = (e: unknown) => {
      const what = errorMessage(e);
      if (!done) return fail({ ...failedResult(e, (m) => `an error escaped from this task (a callback or a promise it did not await): ${m}`), ...(ignoreErrors ? { ignored: true } : {}) });
      if (h.status !== 'active') return;
      h.status = 'failed';
      this.statusVersion++;
      h.stats.failed++;
      this.emit({ type: 'host:result', id, task: name, host: h.spec.name, result: { status: 'failed', changed: false, msg: `task "${name}" had finished, but a callback or promise it left behind failed: ${what}` } });
    };
    try {
      // Once decided (done, timed out, escaped), what is left of the task can show and run nothing.
      return await inTaskSlot({ escaped }, () => Promise.race([fn(() => !done), escapedResult]));
    } finally {
      done = true;
    }
  }

  private async onHost(play: PlayDef, t: Task, h: HostRun, live: () => boolean, defaults: readonly Vars[], rest: readonly Task[] = [t]): Promise<TaskResult | undefined> {
    try {
      const vars = this.varsFor(h, play, defaults);
      let spec = h.spec;
      if (t.options.delegateTo) {
        const d = this.o.inventory.select(t.options.delegateTo)[0];
        if (!d) return { status: 'failed', changed: false, msg: `delegateTo: no host ${JSON.stringify(t.options.delegateTo)} in the inventory` };
        spec = d;
      }
      const base = await this.baseHost(h, vars, spec, !!t.options.noLog, live);
      const becomeOn = t.options.become ?? play.become ?? h.spec.become?.enabled ?? false;
      const become = becomeOn ? { ...h.spec.become, enabled: true, user: t.options.becomeUser ?? play.becomeUser ?? h.spec.become?.user } : undefined;
      const check = t.options.checkMode ?? !!this.o.check;
      const timeoutS = t.options.timeout ?? this.o.taskTimeout ?? DEFAULT_TASK_TIMEOUT_S;
      const env: ExecEnv = { host: base, vars, check, become, diff: !!this.o.diff, timeoutS };
      if (t.kind === 'module' && !check && !become && !t.options.delegateTo && rest.length > 1) {
        const fold = foldTasks(rest, base, h.reads, { host: h.spec.name, vars }, { diff: env.diff, emit: (e) => live() && this.emit(e) });
        const done = await deadline(fold, timeoutS, `The ${t.module.name} action`);
        for (const [task, f] of done ?? []) if (task !== t) h.folded.set(task, f);
        const own = done?.get(t);
        if (own) return own.result;
      }
      return await executeTask(t, env, h.spec.name);
    } catch (e) {
      if (e instanceof ConnectError) {
        if (live()) this.unreachable(h, e, taskName(t));
        return undefined;
      }
      return failedResult(e);
    }
  }

  /**
   * Before a module task whose cache is stale, read what it and the following module tasks will
   * gather in one round trip (up to the next function task, which may change anything).
   */
  private async prefetch(play: PlayDef, t: Task, h: HostRun, rest: readonly Task[], defaults: readonly Vars[]): Promise<void> {
    if (h.reads.size > 0 || t.kind !== 'module' || !t.module.prefetch || t.options.delegateTo || t.options.noLog) return;
    if (h.spec.become?.enabled || play.become) return;
    let commands: ReturnType<typeof collectPrefetch>;
    try {
      commands = collectPrefetch(rest, { host: h.spec.name, vars: this.varsFor(h, play, defaults) });
    } catch {
      return; // a var that fails to render fails the task itself, with its message
    }
    if (commands.length === 0) return;
    const batch = batchCommand(commands);
    try {
      const host = await this.baseHost(h, {});
      const r = await host.run(batch.command, { allowFail: true });
      for (const [k, v] of batch.parse(r.stdoutBytes)) h.reads.prime(k, v);
    } catch (e) {
      if (!(e instanceof ConnectError)) throw e;
      // An unreachable host is reported by the task itself.
    }
  }

  private record(id: number, name: string, t: Task, h: HostRun, result: TaskResult, scope: Scope, times: { start: number; end: number }): void {
    // Module changes invalidate precisely (Host.run's `touches`); anything else may have changed anything.
    if (t.kind !== 'module' || result.status === 'failed' || t.options.delegateTo) h.reads.clear();
    const s = h.stats;
    if (result.status === 'skipped') s.skipped++;
    else if (result.status === 'failed' && !result.ignored) s.failed++;
    else {
      // As Ansible counts: an ignored failure is also ok (and changed when it changed something).
      if (result.ignored) s.ignored++;
      s.ok++;
      if (result.changed) s.changed++;
    }
    if (t.options.noLog) registerNoLogOutput(result);
    if (result.changed && t.options.notify) {
      for (const n of typeof t.options.notify === 'string' ? [t.options.notify] : t.options.notify) h.notified.add(n);
    }
    this.results.push({ task: name, host: h.spec.name, result: t.options.noLog ? censored(result) : result });
    const delegate = this.delegateName(t, h);
    this.emit({ type: 'host:result', id, task: name, host: h.spec.name, result, noLog: t.options.noLog, ...(delegate ? { delegate } : {}), ...times });
    this.share(t, h, result, scope);
  }

  /** What a task's result leaves on a host beyond its counts: the registered var, kept facts, a failure. */
  private share(t: Task, h: HostRun, result: TaskResult, scope: Scope): void {
    if (t.options.register) h.registered[t.options.register] = registered(result);
    this.keepFacts(t, h, result);
    if (result.status === 'failed' && !result.ignored) scope.fail(h);
  }

  /** The delegate's name when a task runs on another host than its own. */
  private delegateName(t: Task, h: HostRun): string | undefined {
    if (!t.options.delegateTo) return undefined;
    const d = this.o.inventory.select(t.options.delegateTo)[0]?.name;
    return d !== undefined && d !== h.spec.name ? d : undefined;
  }

  /** What `set_fact` sets becomes host vars; what `setup` gathers joins the host's facts (as in Ansible). */
  private keepFacts(t: Task, h: HostRun, result: TaskResult): void {
    if (t.kind !== 'module' || result.status === 'failed') return;
    const facts = result.data?.ansible_facts;
    if (!facts || typeof facts !== 'object') return;
    if (t.module.name === 'set_fact') Object.assign(h.registered, facts);
    else {
      const plain = Object.entries(facts as Vars).map(([k, v]) => [k.startsWith('ansible_') ? k.slice('ansible_'.length) : k, v]);
      h.gathered = { ...h.gathered, ...Object.fromEntries(plain) };
    }
  }

  private async runHandlers(play: PlayDef, hosts: HostRun[], scope: Scope): Promise<void> {
    for (const [name, def] of Object.entries(play.handlers ?? {})) {
      if (this.aborted) return;
      const notified = hosts.filter((h) => h.status === 'active' && h.notified.has(name));
      if (notified.length === 0) continue;
      for (const h of notified) h.notified.delete(name);
      for (const t of Array.isArray(def) ? (def as Task[]) : [def as Task]) {
        const named = t.options.name ? t : ({ ...t, options: { ...t.options, name } } as Task);
        await this.runTask(play, named, notified.filter((h) => h.status === 'active'), scope, true);
      }
    }
  }
}
