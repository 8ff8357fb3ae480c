import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { LabError } from '../errors.js';

export interface ProcResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a program (no shell) and collect its output; never throws on a non-zero exit. */
export function runProgram(
  file: string,
  args: readonly string[],
  options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new LabError(`cannot run ${file}: ${e.message}`, { cause: e })));
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? 128 + (signal ? 9 : 0),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Like runProgram, but a non-zero exit is a LabError naming the command and its stderr. */
export async function mustRun(file: string, args: readonly string[], what: string): Promise<ProcResult> {
  const r = await runProgram(file, args);
  if (r.code !== 0) throw new LabError(`${what} failed: ${file} ${args.join(' ')} (exit ${r.code}): ${r.stderr.trim()}`);
  return r;
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * Poll a condition (a state on disk or in /proc, not elapsed time) until it holds.
 * Throws a LabError with `what` and the `detail()` text when `timeoutMs` passes first.
 */
export async function waitUntil(
  cond: () => boolean,
  what: string,
  options: { timeoutMs?: number; failed?: () => string | undefined; detail?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30000);
  for (let delay = 5; ; delay = Math.min(delay * 2, 50)) {
    if (cond()) return;
    const failure = options.failed?.();
    if (failure) throw new LabError(`${what}: ${failure}${options.detail ? `\n${options.detail()}` : ''}`);
    if (Date.now() > deadline) throw new LabError(`timed out waiting for ${what}${options.detail ? `\n${options.detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
