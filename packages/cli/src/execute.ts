import { dirname } from 'node:path';
import { loadInventory } from '@shipshape/inventory';
import { run, type InventoryView, type PlaybookDef, type Reporter, type RunSummary, type Vars } from '@shipshape/core';
import { jsonCollector } from './reporters/json.js';
import { plainReporter } from './reporters/plain.js';
import { makeChalk } from './reporters/style.js';

export const EXIT = { ok: 0, usage: 1, failed: 2, unreachable: 4, interrupted: 130 } as const;

export interface CommonArgs {
  readonly inventory?: string[];
  readonly check?: boolean;
  readonly diff?: boolean;
  readonly limit?: string;
  readonly tags?: string[];
  readonly skipTags?: string[];
  readonly forks?: number;
  readonly json?: boolean;
  readonly verbose?: number;
  readonly vaultPasswordFile?: string;
  readonly startAtTask?: string;
}

export async function openInventory(args: CommonArgs, extraVars: Vars, playbookFile?: string) {
  const sources = args.inventory?.length ? args.inventory : ['inventory'];
  return loadInventory(sources, {
    playbookDir: playbookFile ? dirname(playbookFile) : undefined,
    extraVars,
    vaultPasswordFile: args.vaultPasswordFile,
  });
}

export function exitCodeOf(s: RunSummary): number {
  if (s.aborted) return EXIT.interrupted;
  if (s.failedHosts.length) return EXIT.failed;
  if (s.unreachableHosts.length) return EXIT.unreachable;
  return EXIT.ok;
}

/** Run with the reporter the output calls for, Ctrl-C handling, and the exit code of the contract. */
export async function runWithReporters(
  pb: PlaybookDef, inventory: InventoryView, args: CommonArgs, extraVars: Vars, warnings: readonly string[] = [],
  /** `playbook_dir`: the playbook's directory; ad-hoc runs use the working directory, as Ansible does. */
  playbookDir: string = process.cwd(),
): Promise<number> {
  const out = process.stdout;
  const json = args.json ? jsonCollector() : undefined;
  const write = (s: string) => (json ? process.stderr : out).write(`${s}\n`);
  const chalk = makeChalk(json ? process.stderr : out);
  const tty = !json && out.isTTY && (args.verbose ?? 0) === 0;
  // listr2 loads only for a live TTY view.
  const live = tty ? (await import('./reporters/listr.js')).listrReporter({ chalk, diff: !!args.diff, write }) : undefined;
  const plain = !tty && !json ? plainReporter({ write, chalk, verbosity: args.verbose ?? 0, diff: !!args.diff }) : undefined;
  const reporter: Reporter = (e) => {
    json?.reporter(e);
    live?.(e);
    plain?.(e);
  };
  for (const w of warnings) reporter({ type: 'warning', msg: w });
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('\ninterrupt: finishing in-flight tasks, press Ctrl-C again to abort at once\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const summary = await run(pb, {
      inventory, extraVars, check: args.check, diff: args.diff, limit: args.limit, tags: args.tags, skipTags: args.skipTags,
      forks: args.forks, startAtTask: args.startAtTask, playbookDir, onEvent: reporter, signal: abort.signal,
    });
    await live?.flush();
    if (json) out.write(`${JSON.stringify(json.document(), null, 2)}\n`);
    return exitCodeOf(summary);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
