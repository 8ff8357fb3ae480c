import { dirname, resolve } from 'node:path';
import { ArgumentError, taskName, type PlaybookDef, type Task } from '@shipshape/core';
import { listHosts } from '@shipshape/inventory';
import { openInventory, requireLimitHosts, runWithReporters, syntaxChecked, EXIT, type CommonArgs } from '../execute.js';
import { loadPlaybook, parseExtraVars } from '../load.js';
import { taskNames, validatePlaybook } from '../validate.js';
import type { QueueArgs } from './run-queue.js';

export interface RunArgs extends CommonArgs, Partial<QueueArgs> {
  readonly playbook: string;
  readonly extraVars?: string[];
  readonly listHosts?: boolean;
  readonly listTasks?: boolean;
  readonly listTags?: boolean;
}

function walk(tasks: readonly Task[], inherited: readonly string[], visit: (t: Task, tags: string[]) => void): void {
  for (const t of tasks) {
    const tags = [...inherited, ...(t.options.tags ?? [])];
    if (t.kind === 'block') for (const part of [t.block, t.rescue ?? [], t.always ?? []]) walk(part, tags, visit);
    else visit(t, tags);
  }
}

function listing(pb: PlaybookDef, what: 'tasks' | 'tags'): string {
  const lines: string[] = [`playbook: ${pb.name}`];
  for (const play of pb.plays) {
    lines.push(`\n  play: ${play.name} (hosts: ${play.hosts ?? 'all'})`);
    const all = new Set<string>();
    walk(play.tasks, play.tags ?? [], (t, tags) => {
      tags.forEach((x) => all.add(x));
      if (what === 'tasks') lines.push(`    ${taskName(t)}${tags.length ? `\tTAGS: [${tags.join(', ')}]` : ''}`);
    });
    if (what === 'tags') lines.push(`    TASK TAGS: [${[...all].sort().join(', ')}]`);
  }
  return lines.join('\n');
}

export async function runCommand(args: RunArgs): Promise<number> {
  const file = resolve(args.playbook);
  const extraVars = await parseExtraVars(args.extraVars ?? []);
  const pb = await loadPlaybook(file);
  try {
    validatePlaybook(pb);
  } catch (e) {
    if (e instanceof ArgumentError) throw new ArgumentError(`${file}: ${e.message}`, e.field, e.value, { cause: e });
    throw e;
  }
  if (args.startAtTask !== undefined && !taskNames(pb).has(args.startAtTask)) {
    throw new ArgumentError(`${file}: No matching task "${args.startAtTask}" found (--start-at-task)`, 'start-at-task', args.startAtTask);
  }
  if (args.listTasks || args.listTags) {
    process.stdout.write(`${listing(pb, args.listTasks ? 'tasks' : 'tags')}\n`);
    return EXIT.ok;
  }
  const inv = await openInventory(args, extraVars, file);
  if (args.limit !== undefined) requireLimitHosts(inv.selectWithWarnings('all', args.limit));
  if (args.listHosts) {
    for (const play of pb.plays) {
      const hosts = listHosts(inv, play.hosts ?? 'all', args.limit);
      process.stdout.write(`play: ${play.name}\n  hosts (${hosts.length}):\n${hosts.map((h: string) => `    ${h}\n`).join('')}`);
    }
    return EXIT.ok;
  }
  if (args.syntaxCheck) return syntaxChecked(inv, pb.plays.map((p) => p.hosts ?? 'all'), args.limit, `playbook: ${args.playbook}`);
  // Select up front so pattern warnings print before the run, as Ansible does.
  const warnings = [...inv.warnings];
  for (const play of pb.plays) warnings.push(...inv.selectWithWarnings(play.hosts ?? 'all', args.limit).warnings);
  if (args.queue !== undefined) {
    const { runQueued } = await import('./run-queue.js');
    return runQueued(pb, inv, { ...args, queue: args.queue }, extraVars, [...new Set(warnings)], file, dirname(file));
  }
  return runWithReporters(pb, inv, args, extraVars, [...new Set(warnings)], dirname(file));
}
