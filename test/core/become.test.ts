import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
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
    // One whose sudo never asks: a become password set for it anyway must go nowhere.
    'useradd -m -s /bin/sh -p \'*\' nopw && mkdir -p /home/nopw/.ssh && cp /run/lab/etc/authorized_keys /home/nopw/.ssh/ && chown -R nopw /home/nopw/.ssh',
    "echo 'nopw ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/nopw && chmod 0440 /etc/sudoers.d/nopw",
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

  it('a password sudo does not ask for reaches no command: not its stdin, not a file written', async () => {
    const spec = lab.hostSpec(lab.hosts[0]!.name);
    const inventory = staticInventory([{ ...spec, connection: { ...spec.connection, user: 'nopw' }, become: { enabled: true, password: secret(PASSWORD) } }]);
    const big = `${'x'.repeat(20_000)}\n`;
    const pb = playbook({ name: 'nopasswd', tasks: [
      task('stdin', async (h) => ({ msg: `[${(await h.$`id -un; cat`).stdout}]` })),
      putFile({ path: '/root/nopw-small', content: 'small\n' }),
      putFile({ path: '/root/nopw-big', content: big }),
    ] });
    const s = await run(pb, { inventory });
    expect(s.results.map((r) => [r.result.status, r.result.msg])).toEqual([
      ['ok', '[root\n]'], ['changed', '/root/nopw-small written'], ['changed', '/root/nopw-big written'],
    ]);
    expect(readFileSync(join(lab.hosts[0]!.root, 'root/nopw-small'), 'utf8')).toBe('small\n');
    expect(readFileSync(join(lab.hosts[0]!.root, 'root/nopw-big'), 'utf8')).toBe(big);
  });

  it('puts no file content and no password on any command line (sudo, its shell, the login shell)', async () => {
    // Every program that takes a command on its argv logs that argv: the login shell (sshd runs it with -c) and sudo.
    const name = lab.hosts[0]!.name;
    const log = '/var/tmp/argv.log';
    const logger = (real: string) => `#!/bin/sh\nprintf '%s\\n' "$0 $*" >> ${log}\nexec ${real} "$@"\n`;
    writeFileSync(join(lab.hosts[0]!.root, 'usr/local/bin/logsh'), logger('/bin/sh'), { mode: 0o755 });
    writeFileSync(join(lab.hosts[0]!.root, 'usr/local/bin/sudo'), logger('/usr/bin/sudo'), { mode: 0o755 });
    expect((await lab.exec(name, `: > ${log} && chmod 0666 ${log} && usermod -s /usr/local/bin/logsh deploy`)).code).toBe(0);
    try {
      const spec = lab.hostSpec(name);
      const content = (n: number) => `token=${'s3cr3t'.repeat(3)}-${n}\n`;
      const inventory = staticInventory([{ ...spec, connection: { ...spec.connection, user: 'deploy' }, become: { enabled: true, password: secret(PASSWORD) } }]);
      const pb = playbook({ name: 'argv', tasks: [
        putFile({ path: '/root/become-secret', content: content(1) }),
        // Two writes at once as the login user: one finds the connection's shell busy and takes a channel of its own.
        task('side by side', async (h) => {
          await Promise.all([h.writeFile('/home/deploy/a.secret', content(2)), h.writeFile('/home/deploy/b.secret', content(3))]);
        }, { become: false }),
      ] });
      const s = await run(pb, { inventory });
      expect(s.results.map((r) => [r.result.status, r.result.msg])).toEqual([['changed', '/root/become-secret written'], ['ok', undefined]]);
      expect(readFileSync(join(lab.hosts[0]!.root, 'root/become-secret'), 'utf8')).toBe(content(1));
      expect(readFileSync(join(lab.hosts[0]!.root, 'home/deploy/b.secret'), 'utf8')).toBe(content(3));
      const argv = readFileSync(join(lab.hosts[0]!.root, log.slice(1)), 'utf8');
      expect(argv).toMatch(/\/usr\/local\/bin\/sudo /);
      expect(argv).toMatch(/logsh -c /);
      expect(argv).not.toContain('s3cr3t');
      expect(argv).not.toContain(PASSWORD);
    } finally {
      await lab.exec(name, 'usermod -s /bin/sh deploy && rm -f /usr/local/bin/sudo /usr/local/bin/logsh');
    }
  });
});
