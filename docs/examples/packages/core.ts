// docs/examples/packages/core.ts
import { playbook, task, run, staticInventory, defineModule, changes, noChange, z } from '@shipshape/core';

// A module: schema, facts read from the host, a pure plan. Check and diff modes come with it.
export const motd = defineModule({
  name: 'motd',
  description: 'Set /etc/motd',
  schema: z.object({ text: z.string().describe('The message of the day') }),
  gather: (h) => h.readFile('/etc/motd'),
  plan: (a, f) => (f.content?.toString() === a.text ? noChange('motd is set')
    : changes('motd updated', [{ kind: 'write', path: '/etc/motd', content: a.text }])),
});

const pb = playbook({
  name: 'hello',
  hosts: 'web',
  tasks: [
    motd({ text: 'managed by shipshape\n' }),
    task('kernel', async (h) => ({ msg: (await h.$`uname -r`).stdout.trim() })),
  ],
});

const inventory = staticInventory([
  { name: 'web1', vars: { groups: ['web'] }, connection: { type: 'ssh', host: '192.0.2.10', user: 'root' } },
]);
const summary = await run(pb, { inventory, check: true, diff: true });
console.log(summary.ok, summary.stats.web1);
