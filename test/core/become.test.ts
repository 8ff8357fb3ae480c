import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { playbook, run, secret, staticInventory, task, type RunEvent } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';
import { putFile } from '../support/modules.js';

let lab: Lab;
const PASSWORD = 'sudo pw with spaces & $(x)';
beforeAll(async () => {
  lab = await startLab({ id: 74, hosts: 1 });
  const name = lab.hosts[0]!.name;
  // A non-root login user whose sudo asks for a password (sshd reads authorized keys as the user, so it gets its own copy).
  const r = await lab.exec(name, [
    'useradd -m -s /bin/sh deploy',
    `printf 'deploy:%s\\n' '${PASSWORD.replace(/'/g, `'\\''`)}' | chpasswd`,
    'mkdir -p /home/deploy/.ssh && cp /run/lab/etc/authorized_keys /home/deploy/.ssh/ && chown -R deploy /home/deploy/.ssh',
    "echo 'deploy ALL=(ALL) ALL' > /etc/sudoers.d/deploy && chmod 0440 /etc/sudoers.d/deploy",
  ].join(' && '));
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await lab?.stop();
});

describe('become via sudo', () => {
  it('runs tasks as root through sudo with a password that is never shown', async () => {
    const spec = lab.hostSpec(lab.hosts[0]!.name);
    const inventory = staticInventory([{ ...spec, connection: { ...spec.connection, user: 'deploy' }, become: { enabled: true, password: secret(PASSWORD) } }]);
    const events: RunEvent[] = [];
    const pb = playbook({ name: 'become', tasks: [
      task('whoami', async (h) => ({ msg: (await h.$`id -un`).stdout.trim() })),
      task('plain user', async (h) => ({ msg: (await h.$`id -un`).stdout.trim() }), { become: false }),
      putFile({ path: '/root/written-by-become', content: 'root only\n' }),
    ] });
    const s = await run(pb, { inventory, onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'host:unreachable')).toEqual([]);
    expect(s.results.filter((r) => r.result.status === 'failed').map((r) => r.result.msg)).toEqual([]);
    expect(s.ok).toBe(true);
    expect(s.results.map((r) => r.result.msg)).toEqual(['root', 'deploy', '/root/written-by-become written']);
    expect(readFileSync(join(lab.hosts[0]!.root, 'root/written-by-become'), 'utf8')).toBe('root only\n');
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });
});
