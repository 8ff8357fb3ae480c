import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { playbook, run, task } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';

const N = 20;
let lab: Lab;
beforeAll(async () => {
  lab = await startLab({ id: 71, hosts: N });
}, 120_000);
afterAll(async () => {
  await lab?.stop();
});

/** Resolves once `n` callers arrived; rejects if they never do (a sequential runner would hang here). */
function barrier(n: number, ms: number) {
  let arrived = 0;
  let open!: () => void;
  const all = new Promise<void>((r) => (open = r));
  return async () => {
    if (++arrived === n) open();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`only ${arrived} of ${n} hosts were in flight together`)), ms);
    });
    try {
      await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

describe('20 hosts in one run', () => {
  it('reaches all hosts in parallel over exactly one SSH connection each', async () => {
    const wait = barrier(N, 30_000);
    const ports = new Map<string, Set<string>>();
    const record = (host: string, sshConnection: string) => {
      const clientPort = sshConnection.split(' ')[1]!;
      ports.set(host, (ports.get(host) ?? new Set()).add(clientPort));
    };
    const probe = (name: string) =>
      task(name, async (h) => {
        record(h.name, (await h.$`echo $SSH_CONNECTION`).stdout.trim());
      });
    const pb = playbook({ name: 'parallel', tasks: [
      probe('first'),
      task('all hosts at once', async (h) => {
        await wait();
        record(h.name, (await h.$`echo $SSH_CONNECTION`).stdout.trim());
      }),
      probe('third'),
      task('hostname', async (h) => ({ msg: (await h.$`hostname`).stdout.trim() }), { register: 'hn' }),
    ] });
    const s = await run(pb, { inventory: lab.inventory });
    expect(s.ok).toBe(true);
    expect(Object.keys(s.stats)).toHaveLength(N);
    expect(s.connections).toBe(N);
    expect(ports.size).toBe(N);
    // One TCP connection per host: every task saw the same client port on that host.
    for (const [, set] of ports) expect(set.size).toBe(1);
    // Each host answered with its own hostname.
    const hostnames = s.results.filter((r) => r.task === 'hostname').map((r) => r.result.msg);
    expect(new Set(hostnames).size).toBe(N);
  });
});
