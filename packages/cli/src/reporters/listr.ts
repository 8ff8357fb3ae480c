import type { ChalkInstance } from 'chalk';
import { Listr, type ListrTask } from 'listr2';
import { ShipshapeError, type Reporter, type RunEvent, type TaskResult } from '@shipshape/core';
import { header, hostLabel, retriedLine, NO_LOG_MSG, recapLines, renderDiffs, resultLines, safe, statusWord, unreachableLine } from './style.js';

type Outcome = { result?: TaskResult; unreachable?: string; noLog?: boolean };

/**
 * Live TTY view: one listr2 task per playbook task with a spinner per host, collapsed when done.
 * Runner events arrive faster than the screen renders, so each task's list renders in turn.
 */
export function listrReporter(o: { chalk: ChalkInstance; diff: boolean; write: (s: string) => void }): Reporter & { flush(): Promise<void> } {
  const c = o.chalk;
  let chain: Promise<unknown> = Promise.resolve();
  const waiting = new Map<string, (x: Outcome) => void>();
  const pending = new Map<string, Promise<Outcome>>();
  const diffs: string[] = [];
  let unreachableHosts = new Set<string>();
  const key = (id: number, host: string) => `${id}\u0000${host}`;

  /** Per-host subtask; each result also updates the parent's title with running counts. */
  const hostTask = (id: number, host: string, bump: (word: string) => void): ListrTask => ({
    title: safe(host),
    task: async (_ctx, t) => {
      const out = await pending.get(key(id, host))!;
      bump(out.unreachable ? 'unreachable' : out.result!.status === 'failed' && out.result!.ignored ? 'ignored' : out.result!.status);
      if (out.unreachable) throw new ShipshapeError('CONNECT', safe(`UNREACHABLE: ${out.unreachable}`));
      const r = out.result!;
      const msg = out.noLog ? NO_LOG_MSG : r.msg;
      if (r.status === 'skipped') return t.skip(safe(`skipping: ${host}`));
      if (r.status === 'failed' && !r.ignored) throw new ShipshapeError('MODULE', safe(`${host}: ${msg ?? 'failed'}`));
      // An ignored failure is still a failure (Ansible prints it red, then "...ignoring"): never a tick.
      if (r.status === 'failed') throw new ShipshapeError('MODULE', safe(`${host}: ${msg ?? 'failed'} ...ignoring`));
      t.title = safe(`${statusWord(r)}: ${host}`);
    },
  });

  const reporter = (e: RunEvent) => {
    if (e.type === 'play:start') {
      chain = chain.then(() => o.write(c.bold(`\n${header(`PLAY [${e.play}]`)}`)));
    } else if (e.type === 'task:start') {
      for (const h of e.hosts) {
        if (unreachableHosts.has(h)) continue;
        pending.set(key(e.id, h), new Promise((resolve) => waiting.set(key(e.id, h), resolve)));
      }
      const hosts = e.hosts.filter((h) => !unreachableHosts.has(h));
      const list = new Listr(
        [{
          title: safe(`${e.handler ? 'HANDLER' : 'TASK'} [${e.task}]`),
          task: (_ctx, parent) => {
            const counts = new Map<string, number>();
            const base = parent.title;
            const bump = (word: string) => {
              counts.set(word, (counts.get(word) ?? 0) + 1);
              parent.title = `${base}  ${[...counts].map(([w, n]) => `${w}=${n}`).join(' ')}`;
            };
            return parent.newListr(hosts.map((h) => hostTask(e.id, h, bump)), { concurrent: true, exitOnError: false });
          },
        }],
        { exitOnError: false, rendererOptions: { collapseSubtasks: true, collapseSkips: true } },
      );
      chain = chain.then(() => list.run().catch(() => undefined));
    } else if (e.type === 'host:result') {
      waiting.get(key(e.id, e.host))?.({ result: e.result, noLog: e.noLog });
      // A failure's details (rc, stdout, stderr) stay on screen below the collapsed task.
      if (e.result.status === 'failed') {
        const lines = resultLines(c, hostLabel(e), e.result, { noLog: e.noLog, verbosity: 0 });
        chain = chain.then(() => lines.forEach((l) => o.write(l)));
      }
      if (o.diff && e.result.diff?.length && !e.noLog) diffs.push(`--- ${e.task} [${e.host}]\n${renderDiffs(c, e.result.diff)}`);
    } else if (e.type === 'host:unreachable') {
      unreachableHosts = new Set([...unreachableHosts, e.host]);
      for (const [k, resolve] of waiting) if (k.endsWith(`\u0000${e.host}`)) resolve({ unreachable: `${e.reason}: ${e.msg}` });
      chain = chain.then(() => o.write(c.red(safe(unreachableLine(e)))));
    } else if (e.type === 'warning') {
      chain = chain.then(() => o.write(c.magenta(safe(`[WARNING]: ${e.msg}`))));
    } else if (e.type === 'run:end') {
      chain = chain.then(() => {
        for (const d of diffs) o.write(d);
        o.write('');
        for (const l of recapLines(c, e.stats, e.durationMs)) o.write(l);
        if (e.retried?.length) o.write(c.yellow(safe(retriedLine(e.retried))));
        if (e.aborted) o.write(c.red('run interrupted'));
      });
    }
  };
  return Object.assign(reporter, { flush: () => chain.then(() => undefined) });
}
