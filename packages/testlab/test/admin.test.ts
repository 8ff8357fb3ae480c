import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cleanStaleLabs, labStatus, listProfiles, startLab, stopLab } from '@shipshape/testlab';
import { mountsMentioning, probe, ssh } from './helpers.js';

const cli = path.resolve('packages/testlab/src/admin-cli.ts');
/** Run TypeScript in another node process (as the CLI's `lab status` / `lab down` would). */
const inOtherProcess = (code: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });

afterAll(async () => {
  await stopLab(2);
  await stopLab(3);
  await stopLab(4);
  await stopLab(5);
});

describe('lab administration', () => {
  it('starts 20 hosts in parallel; another process sees and stops them', async () => {
    const started = Date.now();
    const lab = await startLab({ id: 2, hosts: 20 });
    process.stderr.write(`testlab: 20 hosts up in ${Date.now() - started} ms\n`);
    expect(await Promise.all(lab.hosts.map(probe))).toEqual(Array(20).fill('open'));
    const status = inOtherProcess(`import { labStatus } from '${path.resolve('packages/testlab/src/index.ts')}';
      console.log(JSON.stringify(labStatus(2).hosts.map((h) => h.running)));`);
    expect(JSON.parse(status.stdout)).toEqual(Array(20).fill(true));
    const down = spawnSync(process.execPath, ['--import', 'tsx', cli, 'stop', '2'], { encoding: 'utf8' });
    expect(down.status).toBe(0);
    expect(mountsMentioning(lab.dir, readFileSync('/proc/mounts', 'utf8'))).toEqual([]);
    expect(existsSync(lab.dir)).toBe(false);
    expect(labStatus(2)).toBeUndefined();
    expect(await probe(lab.hosts[19])).toBe('ECONNREFUSED');
  });

  it('cleanStaleLabs removes the running hosts of a crashed process, keeps persistent labs', async () => {
    const crash = inOtherProcess(`import { startLab } from '${path.resolve('packages/testlab/src/index.ts')}';
      const lab = await startLab({ id: 4, hosts: 2 }); console.log(JSON.stringify(lab.hosts)); process.kill(process.pid, 'SIGKILL');`);
    const hosts = JSON.parse(crash.stdout) as { address: string; port: number }[];
    expect(await probe(hosts[1])).toBe('open');
    const keep = await startLab({ id: 5, hosts: 1, persistent: true });
    expect(await cleanStaleLabs()).toContain(4);
    expect(await probe(hosts[1])).toBe('ECONNREFUSED');
    expect(mountsMentioning('/var/tmp/shipshape-lab/4', readFileSync('/proc/mounts', 'utf8'))).toEqual([]);
    expect(existsSync('/var/tmp/shipshape-lab/4')).toBe(false);
    expect(labStatus(5)?.hosts[0].running).toBe(true);
    await keep.stop();
  });

  it('refuses to take over a lab id that is still in use', async () => {
    const lab = await startLab({ id: 3, hosts: 1, persistent: true });
    await expect(startLab({ id: 3, hosts: 1 })).rejects.toThrow(/lab 3 is in use by a persistent lab/);
    expect(await probe(lab.hosts[0])).toBe('open');
    await stopLab(3);
    expect(existsSync(lab.dir)).toBe(false);
  });

  it('runs sshd on another port when asked; known_hosts and inventory follow', async () => {
    const lab = await startLab({ id: 3, hosts: 1, port: 2222 });
    expect(lab.hosts[0].port).toBe(2222);
    expect(ssh(lab, 'host1', 'hostname')).toMatchObject({ code: 0, stdout: 'host1\n' });
    expect(readFileSync(lab.knownHostsPath, 'utf8')).toMatch(/^\[127\.77\.3\.1\]:2222 ssh-ed25519 /);
    expect(readFileSync(lab.inventoryPath, 'utf8')).toContain('ansible_port=2222');
    expect(lab.hostSpec('host1').connection.port).toBe(2222);
    await lab.stop();
  });

  it('falls back to port 2222 when port 22 is already held for the lab address', async () => {
    const { pickPort } = await import('../src/internal/port.js');
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(22, '127.77.9.200', resolve));
    try {
      expect(await pickPort('127.77.9.200')).toBe(2222);
    } finally {
      holder.close();
    }
    expect(await pickPort('127.77.9.201')).toBe(22);
  });

  it('rejects bad input with clear messages', async () => {
    await expect(startLab({ id: 3, hosts: [{ name: 'a', profile: 'nope' }] })).rejects.toThrow(/unknown profile "nope"; known profiles: .*busybox/);
    await expect(startLab({ id: 3, hosts: [{ name: 'a' }, { name: 'a' }] })).rejects.toThrow(/duplicate host name a/);
    await expect(startLab({ id: 300, hosts: 1 })).rejects.toThrow(/lab id must be an integer 1..254, got 300/);
    await expect(startLab({ id: 3, hosts: [{ name: 'bad name' }] })).rejects.toThrow(/bad host name "bad name"/);
    expect(existsSync('/var/tmp/shipshape-lab/3')).toBe(false);
  });

  it('fails clearly when not run as root', async () => {
    const spy = jest.spyOn(process, 'getuid').mockReturnValue(1000);
    try {
      await expect(startLab({ id: 3, hosts: 1 })).rejects.toThrow(/startLab must run as root.*uid is 1000/);
    } finally {
      spy.mockRestore();
    }
  });

  it('lists the profiles shipped with the package', () => {
    const names = listProfiles().map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['busybox', 'debian']));
    expect(listProfiles().find((p) => p.name === 'debian')?.base).toBe('debian');
  });
});
