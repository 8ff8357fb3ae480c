/**
 * Connection details from an ssh_config file only: the inventory names `lab-target` and nothing
 * else; ~/.ssh/config-style `Host` sections give HostName, User, IdentityFile, known hosts and a
 * ProxyJump through a second lab host. The target's HostName resolves only on the jump host
 * (its /etc/hosts), so reaching it proves the jump was used.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lookup } from 'node:dns/promises';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { playbook, run, task } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';
import { loadInventory } from '@shipshape/inventory';

const TARGET_NAME = 'target.shipshape-inner';
let lab: Lab;
let dir: string;

beforeAll(async () => {
  lab = await startLab({ id: 60, hosts: [{ name: 'jump' }, { name: 'target' }] });
  const [jump, target] = lab.hosts;
  dir = mkdtempSync(join(tmpdir(), 'ss-inv-sshcfg-'));
  // Only the jump host can resolve the target's HostName.
  appendFileSync(join(jump!.root, 'etc/hosts'), `${target!.address} ${TARGET_NAME}\n`);
  // known_hosts lists the target under the name the client asks for (its HostName).
  const known = readFileSync(lab.knownHostsPath, 'utf8');
  const targetKey = known.split('\n').find((l) => l.startsWith(`${target!.address} `))!;
  writeFileSync(join(dir, 'known_hosts'), known + targetKey.replace(target!.address, TARGET_NAME) + '\n');
  writeFileSync(
    join(dir, 'ssh_config'),
    [
      'Host lab-jump',
      `  HostName ${jump!.address}`,
      '',
      'Host lab-target',
      `  HostName ${TARGET_NAME}`,
      '  ProxyJump lab-jump',
      '',
      'Host lab-*',
      '  User root',
      `  IdentityFile ${lab.keyPath}`,
      `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'hosts.ini'), '[inner]\nlab-target\n');
});

afterAll(async () => {
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ssh_config drives the connection', () => {
  it('builds the connection spec from the ssh config alone', async () => {
    const inv = await loadInventory(join(dir, 'hosts.ini'), { sshConfigPath: join(dir, 'ssh_config') });
    const [spec] = inv.select('inner');
    expect(spec!.connection).toEqual({
      type: 'ssh',
      host: TARGET_NAME,
      user: 'root',
      privateKeyPath: lab.keyPath,
      hostKeyPolicy: 'strict',
      knownHostsFile: join(dir, 'known_hosts'),
      proxyJump: [
        {
          type: 'ssh',
          host: lab.hosts[0]!.address,
          user: 'root',
          privateKeyPath: lab.keyPath,
          hostKeyPolicy: 'strict',
          knownHostsFile: join(dir, 'known_hosts'),
        },
      ],
    });
    await expect(lookup(TARGET_NAME)).rejects.toThrow();
  });

  it('runs a playbook on the target through the jump host, idempotently', async () => {
    const inv = await loadInventory(join(dir, 'hosts.ini'), { sshConfigPath: join(dir, 'ssh_config') });
    const seen: string[] = [];
    const pb = playbook({
      name: 'via jump',
      hosts: 'inner',
      tasks: [
        task('who am I', async (h) => {
          seen.push((await h.$`hostname`).stdout.trim());
        }),
        task('marker', async (h) => {
          const r = await h.readFile('/root/reached-via-jump');
          if (r.exists) return false;
          await h.writeFile('/root/reached-via-jump', 'yes\n');
          return true;
        }),
      ],
    });
    const first = await run(pb, { inventory: inv });
    expect(first.ok).toBe(true);
    expect(first.stats['lab-target']!.changed).toBe(1);
    expect(seen).toEqual(['target']);
    expect(readFileSync(join(lab.hosts[1]!.root, 'root/reached-via-jump'), 'utf8')).toBe('yes\n');
    const second = await run(pb, { inventory: inv });
    expect(second.ok).toBe(true);
    expect(second.stats['lab-target']!.changed).toBe(0);
  });

  it("loads the lab's generated Ansible INI to the lab's own connection specs", async () => {
    const inv = await loadInventory(lab.inventoryPath, { sshConfigPath: false });
    expect(inv.hosts.map((h) => [h.name, h.connection])).toEqual(lab.hosts.map((h) => [h.name, lab.hostSpec(h.name).connection]));
  });

  it('fails to reach the target when the ssh config has no ProxyJump', async () => {
    const cfg = readFileSync(join(dir, 'ssh_config'), 'utf8').replace('  ProxyJump lab-jump\n', '');
    writeFileSync(join(dir, 'ssh_config.nojump'), cfg);
    const inv = await loadInventory(join(dir, 'hosts.ini'), { sshConfigPath: join(dir, 'ssh_config.nojump') });
    expect(inv.hosts[0]!.connection.proxyJump).toBeUndefined();
    const pb = playbook({ name: 'direct', hosts: 'all', tasks: [task('noop', async () => false)] });
    const summary = await run(pb, { inventory: inv });
    expect(summary.ok).toBe(false);
    expect(summary.stats['lab-target']!.unreachable).toBe(1);
  });
});
