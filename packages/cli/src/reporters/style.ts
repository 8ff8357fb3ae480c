import { Chalk, type ChalkInstance } from 'chalk';
import { createTwoFilesPatch } from 'diff';
import type { FileDiff, HostStats, TaskResult } from '@shipshape/core';

/** Colour on a TTY; off with NO_COLOR or when not a TTY, unless FORCE_COLOR. */
export function makeChalk(stream: NodeJS.WriteStream, env = process.env): ChalkInstance {
  let level: 0 | 1 | 2 | 3 = stream.isTTY ? 2 : 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') level = 0;
  if (env.FORCE_COLOR !== undefined) level = env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' ? 0 : (Math.min(3, Math.max(1, Number(env.FORCE_COLOR) || 1)) as 1 | 2 | 3);
  return new Chalk({ level });
}

export const NO_LOG_MSG = "the output has been hidden due to the fact that 'noLog: true' was specified for this result";

export function statusWord(r: TaskResult): string {
  if (r.status === 'failed') return r.ignored ? 'failed (ignored)' : 'failed';
  if (r.status === 'skipped') return 'skipping';
  return r.status;
}

export function colourStatus(c: ChalkInstance, r: TaskResult, text: string): string {
  if (r.status === 'failed') return r.ignored ? c.cyan(text) : c.red(text);
  if (r.status === 'changed') return c.yellow(text);
  if (r.status === 'skipped') return c.cyan(text);
  return c.green(text);
}

/** Unified diffs, coloured line by line. */
export function renderDiffs(c: ChalkInstance, diffs: readonly FileDiff[]): string {
  return diffs
    .map((d) =>
      createTwoFilesPatch(`${d.path} (before)`, `${d.path} (after)`, d.before, d.after)
        .split('\n')
        .slice(1)
        .map((l) => (l.startsWith('+') ? c.green(l) : l.startsWith('-') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l))
        .join('\n'),
    )
    .join('\n');
}

export function recapLines(c: ChalkInstance, stats: Readonly<Record<string, HostStats>>, durationMs: number): string[] {
  const names = Object.keys(stats);
  const width = Math.max(0, ...names.map((n) => n.length));
  const lines = names.map((n) => {
    const s = stats[n]!;
    const hostCol = s.failed || s.unreachable ? c.red(n.padEnd(width)) : s.changed ? c.yellow(n.padEnd(width)) : c.green(n.padEnd(width));
    const f = (label: string, v: number, col: (x: string) => string) => (v ? col(`${label}=${v}`) : `${label}=${v}`);
    return `${hostCol} : ${f('ok', s.ok, c.green)}  ${f('changed', s.changed, c.yellow)}  ${f('unreachable', s.unreachable, c.red)}  ${f('failed', s.failed, c.red)}  ${f('skipped', s.skipped, c.cyan)}  ${f('rescued', s.rescued, c.cyan)}  ${f('ignored', s.ignored, c.cyan)}`;
  });
  return [header('PLAY RECAP'), ...lines, `wall time: ${(durationMs / 1000).toFixed(2)}s`];
}

export function header(text: string): string {
  return `${text} ${'*'.repeat(Math.max(3, 72 - text.length))}`;
}
