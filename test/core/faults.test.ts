import { describe, expect, it } from '@jest/globals';
import { playbook, run, task, type RunSummary } from '@shipshape/core';
import { useLab } from '../support/lab.js';

const lab = useLab({ id: 150, hosts: 2 });

const names = () => lab.hosts.map((h) => h.name);
const outcome = (s: RunSummary) => s.results.map((r) => [r.task, r.host, r.result.status]);
const never = () => new Promise<never>(() => undefined);

describe('a task that never finishes', () => {
  it("fails at its timeout with Ansible's message; the run's default applies to tasks without one", async () => {
    const [a, b] = names();
    const pb = playbook({ name: 'hung', tasks: [
      task('hangs on a', async (_h, c) => { if (c.host === a) await never(); }, { timeout: 1 }),
      task('next', async () => undefined),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(outcome(s)).toEqual([['hangs on a', b, 'ok'], ['hangs on a', a, 'failed'], ['next', b, 'ok']]);
    expect(s.results[1]!.result.msg).toMatch(/^The function task "hangs on a" failed to execute in the expected time frame \(1\) and was terminated/);

    const byDefault = playbook({ name: 'hung', hosts: a, tasks: [task('hangs', never)] });
    const d = await run(byDefault, { inventory: lab.inventory, taskTimeout: 1 });
    expect(d.failedHosts).toEqual([a]);
    expect(d.results[0]!.result.msg).toMatch(/expected time frame \(1\).*--task-timeout/);
  });
});
