import type { ChalkInstance } from 'chalk';
import type { Reporter, RunEvent } from '@shipshape/core';
import { header, hostLabel, retriedLine, recapLines, renderDiffs, resultLines, safe, unreachableLine } from './style.js';

export interface PlainOptions {
  readonly write: (line: string) => void;
  readonly chalk: ChalkInstance;
  /** 0 quiet, 1 commands, 2 stdout/stderr, 3 connection detail. */
  readonly verbosity: number;
  readonly diff: boolean;
}

/** Ansible-like lines for CI and pipes: `changed: [host]`, `fatal: [host]: FAILED! => {...}`. */
export function plainReporter(o: PlainOptions): Reporter {
  const c = o.chalk;
  return (e: RunEvent) => {
    switch (e.type) {
      case 'play:start':
        o.write(`\n${header(`PLAY [${e.play}]`)}`);
        break;
      case 'task:start':
        o.write(`\n${header(`${e.handler ? 'RUNNING HANDLER' : 'TASK'} [${e.task}]`)}`);
        break;
      case 'host:result': {
        const r = e.result;
        for (const l of resultLines(c, hostLabel(e), r, { noLog: e.noLog, verbosity: o.verbosity })) o.write(l);
        if (o.diff && r.diff?.length && !e.noLog) o.write(renderDiffs(c, r.diff));
        if (o.verbosity >= 2 && !e.noLog && r.status !== 'failed' && (r.stdout || r.stderr)) o.write(safe([r.stdout, r.stderr].filter(Boolean).join('\n').trimEnd()));
        break;
      }
      case 'host:unreachable':
        o.write(c.red(safe(unreachableLine(e))));
        break;
      case 'command':
        if (o.verbosity >= 1) o.write(c.gray(safe(`<${e.delegate ?? e.host}> $ ${e.command}`)));
        break;
      case 'output':
        if (o.verbosity >= 2) o.write(c.gray(safe(`<${e.delegate ?? e.host}> rc=${e.result.code}${e.result.stdout ? `\n${e.result.stdout.trimEnd()}` : ''}${e.result.stderr ? `\n${e.result.stderr.trimEnd()}` : ''}`)));
        break;
      case 'connect':
        if (o.verbosity >= 3) o.write(c.gray(safe(`<${e.host}> connect ${e.detail}`)));
        break;
      case 'log':
        if (o.verbosity >= 1) o.write(c.gray(safe(`<${e.host}> ${e.msg}`)));
        break;
      case 'warning':
        o.write(c.magenta(safe(`[WARNING]: ${e.msg}`)));
        break;
      case 'run:end':
        o.write('');
        for (const l of recapLines(c, e.stats, e.durationMs)) o.write(l);
        if (e.retried?.length) o.write(c.yellow(safe(retriedLine(e.retried))));
        if (e.aborted) o.write(c.red('run interrupted'));
        break;
      default:
        break;
    }
  };
}
