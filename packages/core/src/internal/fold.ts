import { randomBytes } from 'node:crypto';
import type { Command } from '../command.js';
import { ShipshapeError } from '../errors.js';
import type { HostImpl } from '../host.js';
import { parseArgs } from '../module.js';
import { taskName } from '../playbook.js';
import type { Change, Connection, ExecResult, FileState, RunEvent, Task, TaskContext, TaskResult, Vars, WriteFileOptions } from '../types.js';
import { appliedResult, resolve, unchangedResult } from './execute.js';
import { INLINE_WRITE_MAX, parseReadFile, readFileCommand, sameId, writeFileCommand } from './file-commands.js';
import type { ReadCache } from './read-cache.js';

/*
 * Folding: consecutive module tasks of one host whose plans need only reads the cache already holds,
 * and whose changes are file writes and commands on declared paths, apply in ONE command; consecutive
 * writes of one file become one write of its final bytes (five `lineinfile`s of `sshd_config`: one
 * read-modify-write). Each task still reports its own result, diff and notifications at its own turn.
 *
 * Every task is planned in order against what the tasks before it leave (the cache as a sequential run
 * would prime it), so plans and results are those of a sequential run. A fold ends before any task that
 * reads something not cached, runs a command of its own (command/shell, a function task, a block), has
 * `when`, a loop, retries, `changedWhen`/`failedWhen`, become, delegation, runOnce, noLog or its own
 * check mode, reads vars or arguments computed at its turn (only the first task may), or fails. Check
 * mode never folds (each task plans against the host as it is). On the host the steps run in order and
 * stop at the first failure; the tasks whose steps all ran keep their results, the others run one by
 * one as usual (a write is atomic, so a file is at a task boundary or untouched).
 */

/** A task done by a fold: its result and the events of its planning, shown when its turn comes. */
export interface Folded {
  readonly result: TaskResult;
  readonly events: readonly RunEvent[];
}

/** Thrown by the staging host for anything that would reach the host: the task cannot join the fold. */
class NotCached extends ShipshapeError {
  constructor() {
    super('COMMAND', 'not in the read cache');
  }
}

const missing = (): never => {
  throw new NotCached();
};
const stagingConnection = (name: string): Connection => ({ name, exec: missing, upload: missing, download: missing, close: async () => undefined });
/** Vars of a later task are those of its own turn (registered results, other hosts): it may not read them early. */
const unreadableVars = new Proxy({} as Vars, { get: missing, has: missing, ownKeys: missing, getOwnPropertyDescriptor: missing });

interface WriteStep {
  readonly kind: 'write';
  readonly path: string;
  content: Buffer;
  options: WriteFileOptions;
  /** The file's state before this step (the cache's), for the write's fast path. */
  readonly known?: FileState;
}
interface ExecStep {
  readonly kind: 'exec';
  readonly command: Command;
  readonly paths: readonly string[];
}
type Step = WriteStep | ExecStep;

/** Task options a folded task may carry: the runner applies them when the task's turn comes. */
const FOLDABLE_OPTIONS = new Set(['name', 'register', 'notify', 'tags', 'ignoreErrors', 'throttle', 'timeout']);

function eligible(t: Task, first: boolean): t is Task & { kind: 'module' } {
  if (t.kind !== 'module') return false;
  if (!first && typeof t.args === 'function') return false;
  return Object.entries(t.options).every(([k, v]) => v === undefined || FOLDABLE_OPTIONS.has(k));
}

function stageable(c: Change): boolean {
  if (c.kind === 'write') return !c.validate && !c.backup && Buffer.byteLength(c.content) <= INLINE_WRITE_MAX;
  return c.kind === 'exec' && c.stdin === undefined && !c.unchanged && !c.outcome && (c.paths?.length ?? 0) > 0;
}

const knownState = (cache: ReadCache, path: string): FileState | undefined => {
  const hit = cache.get(readFileCommand(path).text);
  return hit && hit.code === 0 ? parseReadFile(hit.stdoutBytes) : undefined;
};

const readResult = (meta: string, content: Buffer): ExecResult => {
  const bytes = Buffer.concat([Buffer.from(`${meta}\n`), content]);
  return { code: 0, stdout: bytes.toString('utf8'), stderr: '', stdoutBytes: bytes };
};

/** What a read of `path` prints after this write, when it can be known without the host (same owner). */
function predictedMeta(known: FileState | undefined, o: WriteFileOptions): string | undefined {
  if (!known?.exists || known.type !== 'file' || !known.mode || known.uid === undefined || known.gid === undefined) return undefined;
  if ((o.owner !== undefined && !sameId(o.owner, known.owner, known.uid)) || (o.group !== undefined && !sameId(o.group, known.group, known.gid))) return undefined;
  const mode = o.mode !== undefined ? (typeof o.mode === 'number' ? o.mode : parseInt(String(o.mode), 8)) : parseInt(known.mode, 8);
  return `file ${mode.toString(8)} ${known.owner} ${known.group} ${known.uid} ${known.gid}`;
}

/** Add a change to the steps (a write right after a write of the same file replaces its bytes) and to the staged cache. */
function stage(steps: Step[], cache: ReadCache, c: Change): void {
  if (c.kind === 'exec') {
    steps.push({ kind: 'exec', command: c.command, paths: c.paths! });
    return cache.invalidate(c.paths);
  }
  if (c.kind !== 'write') return;
  const { kind: _k, path, content, ...options } = c;
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const before = knownState(cache, path);
  const prev = steps.at(-1);
  if (prev?.kind === 'write' && prev.path === path) {
    // The later write keeps what it does not set itself: the earlier one's mode and owner.
    prev.content = bytes;
    prev.options = { ...prev.options, mode: options.mode ?? prev.options.mode, owner: options.owner ?? prev.options.owner, group: options.group ?? prev.options.group };
  } else steps.push({ kind: 'write', path, content: bytes, options, known: before });
  cache.invalidate([path]);
  const meta = predictedMeta(before, options);
  if (meta) cache.prime(readFileCommand(path).text, readResult(meta, bytes));
}

interface Member {
  readonly task: Task;
  readonly folded: Folded;
  /** The last step this task's result depends on (-1: none). */
  readonly lastStep: number;
}

/**
 * Plan `tasks` (the current one first, then those that will run after it) as far as they fold, run
 * their steps in one command and return the tasks done; undefined when no task after the current one
 * folds (it runs as usual).
 */
export async function foldTasks(
  tasks: readonly Task[], host: HostImpl, cache: ReadCache, ctx: TaskContext,
  o: { readonly diff: boolean; readonly emit: (e: RunEvent) => void },
): Promise<Map<Task, Folded> | undefined> {
  const staged = cache.copy();
  const steps: Step[] = [];
  const members: Member[] = [];
  for (const [i, t] of tasks.entries()) {
    if (!eligible(t, i === 0)) break;
    const events: RunEvent[] = [];
    const view = host.staging(stagingConnection(host.name), staged, i === 0 ? ctx.vars : unreadableVars, (e) => events.push(e));
    let result: TaskResult;
    let list: readonly Change[] = [];
    try {
      const args = parseArgs(t.module, resolve(t.args, ctx), taskName(t));
      const plan = t.module.plan(args, await t.module.gather(view, args));
      if (plan.changed ? !plan.changes.every(stageable) : plan.failed) break;
      if (plan.changed) list = plan.changes;
      result = plan.changed ? appliedResult(plan, o.diff) : unchangedResult(plan);
    } catch {
      break; // not cached, or an error the task shows itself when it runs
    }
    for (const c of list) stage(steps, staged, c);
    members.push({ task: t, folded: { result, events }, lastStep: steps.length - 1 });
  }
  // Planned once: the tasks after this one are not planned again at their turn (a converged run plans
  // each task once and sends nothing but the reads).
  if (members.length < 2) return undefined;
  // The current task's own reads show before the command that does its changes.
  for (const e of members[0]!.folded.events) o.emit(e);
  const done = steps.length ? await runSteps(host, cache, steps) : 0;
  return new Map(members.filter((m) => m.lastStep < done).map((m) => [m.task, m.folded]));
}

/**
 * The steps in one command, in order, each framed by a marker with its exit code, stopping at the first
 * that fails; the cache then holds what a sequential run would have left in it. Returns how many ran.
 */
async function runSteps(host: HostImpl, cache: ReadCache, steps: readonly Step[]): Promise<number> {
  const boundary = `--ss-${randomBytes(8).toString('hex')}`;
  const commands = steps.map((s) => (s.kind === 'exec' ? s.command
    : writeFileCommand(s.path, s.options, s.content.length, s.content, s.known)));
  const text = commands.map((c, i) =>
    // A write's script ends itself (exit, traps): its own subshell. A command's in a brace group.
    `${steps[i]!.kind === 'write' ? `( ${c.text}\n)` : `{ ${c.text}\n}`}; ss_s=$?; printf '\\n${boundary} %d\\n' "$ss_s"; [ "$ss_s" -eq 0 ] || exit "$ss_s"`,
  ).join('\n');
  const paths = steps.flatMap((s) => (s.kind === 'write' ? [s.path] : s.paths));
  const command: Command = {
    text,
    display: `folded: ${commands.map((c) => c.display).join(' && ')}`,
    contained: commands.every((c) => c.contained),
  };
  const r = await host.run(command, { allowFail: true, touches: paths });
  const out = r.stdoutBytes;
  const marker = Buffer.from(`\n${boundary} `);
  let start = 0;
  let done = 0;
  for (const s of steps) {
    const at = out.indexOf(marker, start);
    if (at < 0) break;
    const eol = out.indexOf(10, at + marker.length);
    const code = out.subarray(at + marker.length, eol < 0 ? undefined : eol).toString();
    const segment = out.subarray(start, at).toString('utf8');
    start = eol + 1;
    cache.invalidate(s.kind === 'write' ? [s.path] : s.paths);
    if (code !== '0' || eol < 0) break;
    // A write prints the new file's meta line: the next read of the file is answered from it.
    const state = s.kind === 'write' ? /^state=(.*)$/m.exec(segment)?.[1] : undefined;
    if (state && s.kind === 'write') cache.prime(readFileCommand(s.path).text, readResult(state, s.content));
    done++;
  }
  return done;
}
