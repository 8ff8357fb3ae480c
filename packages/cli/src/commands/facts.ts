import { playbook, run, type Vars } from '@shipshape/core';
import { checkTargets, openInventory, exitCodeOf, requireLimitHosts, syntaxChecked, type CommonArgs } from '../execute.js';
import { adhocCommand } from './adhoc.js';

export interface FactsArgs extends CommonArgs {
  readonly pattern: string;
  /** Globs of fact names to keep (setup's `filter`). */
  readonly filter?: string[];
}

/**
 * Gather every matching host's facts and print them as `ansible -m setup` does (`ansible_` names in an
 * `ansible_facts` wrapper); with --json, one JSON object of those results by host.
 */
export async function factsCommand(a: FactsArgs): Promise<number> {
  const setupArgs = JSON.stringify({ filter: a.filter ?? [] });
  if (!a.json) return adhocCommand({ ...a, module: 'setup', args: setupArgs });
  const { setup } = await import('@shipshape/builtin');
  const inv = await openInventory(a, {});
  if (a.limit !== undefined) requireLimitHosts(inv.selectWithWarnings(a.pattern, a.limit));
  if (a.syntaxCheck) return syntaxChecked(inv, [a.pattern], a.limit);
  checkTargets(inv, [a.pattern], a.limit);
  const out: Record<string, Vars> = {};
  const pb = playbook({ name: 'facts', hosts: a.pattern, tasks: [setup({ filter: a.filter ?? [] })] });
  const summary = await run(pb, { inventory: inv, limit: a.limit, forks: a.forks, onEvent: (e) => {
    if (e.type === 'host:unreachable') out[e.host] = { unreachable: true, changed: false, msg: e.msg };
    if (e.type === 'host:result') out[e.host] = e.result.status === 'failed' ? { failed: true, changed: false, msg: e.result.msg } : { ...e.result.data, changed: false };
  } });
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return exitCodeOf(summary);
}
