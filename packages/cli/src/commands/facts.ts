import { playbook, task, hostnameFact, kernelFact, osReleaseFact, whichFact, type Vars } from '@shipshape/core';
import { run } from '@shipshape/core';
import { checkTargets, openInventory, exitCodeOf, type CommonArgs } from '../execute.js';

const COMMANDS = ['bash', 'python3', 'sudo', 'apt-get', 'dnf', 'yum', 'apk', 'systemctl', 'busybox', 'vzctl', 'xl', 'esxcli', 'vim-cmd', 'vzdump', 'pct', 'qm'];

/** Gather the standard facts of every matching host and print them as one JSON object. */
export async function factsCommand(a: CommonArgs & { pattern: string }): Promise<number> {
  const inv = await openInventory(a, {});
  checkTargets(inv, [a.pattern], a.limit);
  const facts: Record<string, Vars> = {};
  const errors: Record<string, string> = {};
  const pb = playbook({
    name: 'facts', hosts: a.pattern,
    tasks: [task('gather facts', async (h) => {
      const [hostname, os_release, kernel, commands] = await Promise.all([
        h.fact(hostnameFact, undefined), h.fact(osReleaseFact, undefined), h.fact(kernelFact, undefined), h.fact(whichFact, COMMANDS),
      ]);
      facts[h.name] = { hostname, os_release, kernel, commands };
    }, { checkMode: false })],
  });
  const s = await run(pb, { inventory: inv, limit: a.limit, onEvent: (e) => {
    if (e.type === 'host:unreachable') errors[e.host] = `UNREACHABLE (${e.reason}): ${e.msg}`;
    if (e.type === 'host:result' && e.result.status === 'failed') errors[e.host] = e.result.msg ?? 'failed';
  } });
  process.stdout.write(`${JSON.stringify({ ...facts, ...Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, { failed: true, msg: v }])) }, null, 2)}\n`);
  return exitCodeOf(s);
}
