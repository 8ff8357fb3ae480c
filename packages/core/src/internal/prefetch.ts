import { randomBytes } from 'node:crypto';
import type { Command } from '../command.js';
import { probeSections } from './probe.js';
import type { ExecResult, Task, TaskContext } from '../types.js';
import { parseArgs } from '../module.js';
import { taskName } from '../playbook.js';
import { resolve } from './execute.js';
import { extendVars } from '../vars.js';

/** Frame many read-only commands into one script; the outputs of those that exited 0, by index. */
function frame(commands: readonly Command[]): { text: string; parse(out: Buffer): Map<number, Buffer> } {
  const boundary = `--ss-${randomBytes(8).toString('hex')}`;
  // Brace groups, not subshells: one fork less per read. A command that exits ends the batch
  // early; the reads after it are simply not cached and run live.
  const parts = commands.map((c, i) => `{ ${c.text}\n} 2>/dev/null; printf '\\n${boundary} %d %d\\n' ${i} $?`);
  return {
    text: `${parts.join('\n')}\n:`,
    parse(out: Buffer): Map<number, Buffer> {
      const map = new Map<number, Buffer>();
      const marker = Buffer.from(`\n${boundary} `);
      let start = 0;
      for (;;) {
        const at = out.indexOf(marker, start);
        if (at < 0) break;
        const eol = out.indexOf(10, at + marker.length);
        const [idx, code] = out.subarray(at + marker.length, eol).toString().split(' ').map(Number);
        if (code === 0) map.set(idx!, Buffer.from(out.subarray(start, at)));
        start = eol + 1;
      }
      return map;
    },
  };
}

const result = (bytes: Buffer): ExecResult => ({ code: 0, stdout: bytes.toString('utf8'), stderr: '', stdoutBytes: bytes });

/**
 * Many read-only commands in one round trip: each runs in a brace group, its stdout framed by a random
 * boundary and followed by its exit code. stderr is dropped, so only successful results are served
 * (a failing command runs again live and shows its real error). Commands with a `probe` do not run
 * one by one: their path reads are folded into a few processes and their output rendered from those.
 */
export function batchCommand(commands: readonly Command[]): { command: Command; parse(out: Buffer): Map<string, ExecResult> } {
  const probed = commands.filter((c) => c.probe);
  const plain = commands.filter((c) => !c.probe);
  const probe = probed.length ? probeSections(probed.flatMap((c) => c.probe!.requests)) : undefined;
  const framed = frame([...plain, ...(probe?.sections ?? [])]);
  return {
    // Reads only (a module's prefetch commands read state and start nothing): output straight to the shell.
    command: { text: framed.text, display: `prefetch ${commands.length} reads`, contained: true },
    parse(out: Buffer): Map<string, ExecResult> {
      const outputs = framed.parse(out);
      const map = new Map<string, ExecResult>();
      plain.forEach((c, i) => {
        const o = outputs.get(i);
        if (o) map.set(c.text, result(o));
      });
      const seen = probe?.assemble(probe.sections.map((_, i) => outputs.get(plain.length + i)));
      for (const c of seen ? probed : []) {
        const bytes = c.probe!.render(c.probe!.requests.map((r) => seen!.paths.get(r.path)!), seen!.umask);
        if (bytes) map.set(c.text, result(bytes));
      }
      return map;
    },
  };
}

/** The prefetch commands of upcoming module tasks for one host, up to the next function task. */
export function collectPrefetch(tasks: readonly Task[], ctx: TaskContext): Command[] {
  const out = new Map<string, Command>();
  const visit = (list: readonly Task[]): boolean => {
    for (const t of list) {
      if (t.kind === 'fn') return false;
      if (t.kind === 'block') {
        if (!visit(t.block)) return false;
        continue;
      }
      // A noLog task's reads stay out of the shown batch: it reads for itself, hidden.
      if (!t.module.prefetch || t.options.delegateTo || t.options.noLog) continue;
      try {
        const items = t.options.loop ? resolve(t.options.loop, ctx).map((item, index) => ({ ...ctx, item, index, vars: extendVars(ctx.vars, { item }) })) : [ctx];
        for (const c of items) {
          if (t.options.when !== undefined && !resolve(t.options.when, c)) continue;
          const raw = resolve(t.args, c);
          let args: unknown;
          try {
            args = parseArgs(t.module, raw, taskName(t));
          } catch {
            continue; // bad args: the task reports them when it runs
          }
          for (const cmd of t.module.prefetch(args)) out.set(cmd.text, cmd);
        }
      } catch {
        // Args that cannot be resolved yet (they depend on registered results) are gathered live.
      }
    }
    return true;
  };
  visit(tasks);
  return [...out.values()];
}
