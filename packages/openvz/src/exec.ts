/** Commands inside a running container: `vzctl exec` / `exec2` with vzctl's exit-code rules (docs/platforms/openvz.md). */
import { cmd, defineModule, quote, sh, ModuleError, type Command, type ExecOptions, type Host, type TaskOptions, type TaskResult } from '@shipshape/core';
import { z } from 'zod';
import { notRunning, VZ } from './internal/vzerror.js';

/** `exec`: 0 or 8 (any failure); `exec2`: the command's own exit status. */
export type ExecMode = 'exec' | 'exec2';

export interface VzExecResult {
  /** vzctl's exit code. */
  readonly rc: number;
  readonly stdout: string;
  readonly stderr: string;
  /** vzctl said `Container is not running` (rc 8 for exec, 31 for exec2). */
  readonly notRunning: boolean;
  /** The command's own exit status when vzctl reports it (exec2, or exec's 0); undefined otherwise. */
  readonly commandRc?: number;
}

/** Shell text (run by the container's shell) or an argv list (each element quoted for it). */
export type ContainerCommand = string | Command | readonly string[];

function innerText(c: ContainerCommand): { text: string; display: string } {
  if (typeof c === 'string') return { text: c, display: c };
  if (Array.isArray(c)) return cmd(...(c as string[]));
  return c as Command;
}

/**
 * `vzctl exec2 <ctid> <text>`: vzctl joins its arguments and runs them with `bash -c` (or sh)
 * inside the CT, so the inner shell text travels as one quoted argument.
 */
export function vzctlExecCommand(ctid: number, command: ContainerCommand, mode: ExecMode = 'exec2'): Command {
  const inner = innerText(command);
  return { text: `vzctl ${mode} ${ctid} ${quote(inner.text)}`, display: `vzctl ${mode} ${ctid} ${quote(inner.display)}` };
}

/** Map vzctl's exit code to what happened (pure). */
export function interpretExec(mode: ExecMode, r: { code: number; stdout: string; stderr: string }): VzExecResult {
  const down = (mode === 'exec' ? r.code === VZ.COMMAND_EXECUTION_ERROR : r.code === VZ.VE_NOT_RUNNING) && notRunning(r.stderr);
  const commandRc = down ? undefined : mode === 'exec2' ? r.code : r.code === 0 ? 0 : undefined;
  return { rc: r.code, stdout: r.stdout, stderr: r.stderr, notRunning: down, commandRc };
}

/** Run a command in CT `ctid` from a function task; never throws on a non-zero exit. */
export async function vzExec(
  h: Host,
  ctid: number,
  command: ContainerCommand,
  options: { mode?: ExecMode } & Pick<ExecOptions, 'stdin' | 'timeoutMs'> = {},
): Promise<VzExecResult> {
  const mode = options.mode ?? 'exec2';
  const r = await h.run(vzctlExecCommand(ctid, command, mode), { stdin: options.stdin, timeoutMs: options.timeoutMs, allowFail: true });
  return interpretExec(mode, r);
}

/** Why a container command failed, in words (pure). */
export function execFailure(ctid: number, mode: ExecMode, r: VzExecResult): string | undefined {
  if (r.notRunning) return `CT ${ctid} is not running (vzctl ${mode} exit ${r.rc})`;
  if (r.rc === 0) return undefined;
  const tail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ');
  const what = mode === 'exec'
    ? `the command failed in CT ${ctid} (vzctl exec exit 8 means any failure; use mode 'exec2' for the command's own status)`
    : `the command exited ${r.rc} in CT ${ctid}`;
  return tail ? `${what}: ${tail}` : what;
}

const execSchema = z
  .object({
    /** Id of the running container to run the command in. */
    ctid: z.number().int().min(101).max(2147483644).describe('Id of the running container to run the command in.'),
    /** Shell text, or argv words (each quoted). */
    command: z.union([z.string().min(1), z.array(z.string()).min(1)]).describe('Shell text, or argv words (each quoted).'),
    /** exec2: the task fails unless the command exits 0 (its own status); exec: vzctl exec, whose status is 0 or 8 for any failure. @default 'exec2' */
    mode: z.enum(['exec', 'exec2']).default('exec2').describe('exec2: the task fails unless the command exits 0 (its own status); exec: vzctl exec, whose status is 0 or 8 for any failure.'),
    /** Skip when this path exists inside the container. */
    creates: z.string().min(1).optional().describe('Skip when this path exists inside the container.'),
  })
  .strict();

type ExecArgs = z.output<typeof execSchema>;

/** Run the command in the container; its output and exit code become the task's result. */
async function runExec(h: Host, a: ExecArgs): Promise<Partial<TaskResult>> {
  const r = await vzExec(h, a.ctid, a.command, { mode: a.mode });
  const failure = execFailure(a.ctid, a.mode, r);
  if (failure) throw new ModuleError(failure);
  return { stdout: r.stdout, stderr: r.stderr, rc: r.rc };
}

/**
 * The module behind {@link exec}.
 * @example execModule({ ctid: 101, command: 'apt-get -y install php', creates: '/usr/bin/php' })
 */
export const execModule = defineModule({
  name: 'openvz.exec',
  description: 'Run a command inside a running OpenVZ container (vzctl exec/exec2)',
  schema: execSchema,
  supportsCheck: false,
  async gather(h, a) {
    if (!a.creates) return { created: false };
    const r = await h.run(vzctlExecCommand(a.ctid, sh`test -e ${a.creates}`), { allowFail: true });
    return { created: r.code === 0 };
  },
  plan(a, f: { created: boolean }) {
    if (f.created) return { changed: false, msg: `skipped, since ${a.creates} exists in CT ${a.ctid}` };
    return {
      changed: true,
      msg: `ran in CT ${a.ctid}`,
      changes: [{ kind: 'call', describe: `vzctl ${a.mode} ${a.ctid}`, run: (h: Host) => runExec(h, a) }],
    };
  },
});

/**
 * Run a command inside a container as a task; fails with vzctl's meaning of the exit code.
 * @example exec(101, 'apt-get -y install php', { mode: 'exec2', creates: '/usr/bin/php' })
 */
export function exec(ctid: number, command: string | readonly string[], options: { mode?: ExecMode; creates?: string } & TaskOptions = {}) {
  const { mode, creates, ...taskOptions } = options;
  return execModule({ ctid, command: command as string | string[], mode, creates }, { name: `vzctl exec ${ctid}`, ...taskOptions });
}
