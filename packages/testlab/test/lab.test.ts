import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { labStatus, startLab, type Lab } from '@shipshape/testlab';
import { counterProfileDir, mountsMentioning, probe, sftp, ssh } from './helpers.js';

let lab: Lab;
const stamp = `marker-${process.pid}`;

beforeAll(async () => {
  lab = await startLab({
    id: 1,
    profilesDir: counterProfileDir(),
    hosts: [{ name: 'deb1' }, { name: 'deb2' }, { name: 'bb1', profile: 'busybox' }, { name: 'cnt1', profile: 'counter' }],
  });
});
afterAll(async () => {
  await lab?.stop();
});

describe('lab hosts over real ssh', () => {
  it('gives every host its own address, hostname and profile', async () => {
    expect(lab.hosts.map((h) => [h.name, h.profile, h.address])).toEqual([
      ['deb1', 'debian', '127.77.1.1'], ['deb2', 'debian', '127.77.1.2'],
      ['bb1', 'busybox', '127.77.1.3'], ['cnt1', 'counter', '127.77.1.4'],
    ]);
    for (const h of lab.hosts) {
      expect(ssh(lab, h.name, 'hostname')).toMatchObject({ code: 0, stdout: `${h.name}\n` });
      expect(readFileSync(path.join(h.root, 'etc/hostname'), 'utf8')).toBe(`${h.name}\n`);
    }
  });

  it('verifies host keys: a known_hosts entry with another host key is refused', () => {
    const lines = readFileSync(lab.knownHostsPath, 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(lab.hosts.map((h) => h.address));
    const wrong = path.join(mkdtempSync(path.join(os.tmpdir(), 'lab-kh-')), 'known_hosts');
    writeFileSync(wrong, `127.77.1.1 ${lines[1].split(' ').slice(1).join(' ')}\n`);
    const r = ssh({ ...lab, knownHostsPath: wrong } as Lab, 'deb1', 'true');
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('busybox host: busybox ash, no bash, no python, no GNU coreutils, no sftp-server', async () => {
    const r = ssh(lab, 'bb1', 'readlink /bin/sh; for c in bash python3 python perl; do command -v $c; done; ls --version');
    expect(r.stdout.split('\n')[0]).toBe('/bin/busybox');
    expect(r.stdout).not.toMatch(/bash|python|perl|GNU/);
    expect(sftp(lab, 'bb1', 'pwd\n').code).not.toBe(0);
    expect(sftp(lab, 'deb1', 'pwd\n').code).toBe(0);
  });

  it('writes land in the host root only, readable from the controller', async () => {
    expect(ssh(lab, 'deb1', `echo ${stamp} > /etc/lab-test-file && echo ${stamp} > /tmp/lab-test-file`).code).toBe(0);
    expect(ssh(lab, 'bb1', `echo ${stamp} > /root/lab-test-file`).code).toBe(0);
    expect(readFileSync(path.join(lab.hosts[0].root, 'etc/lab-test-file'), 'utf8')).toBe(`${stamp}\n`);
    expect(readFileSync(path.join(lab.hosts[0].root, 'tmp/lab-test-file'), 'utf8')).toBe(`${stamp}\n`);
    expect(readFileSync(path.join(lab.hosts[2].root, 'root/lab-test-file'), 'utf8')).toBe(`${stamp}\n`);
    expect(existsSync('/etc/lab-test-file')).toBe(false);
    expect(ssh(lab, 'deb1', 'ls -A /root').stdout).toBe(ssh(lab, 'deb1', 'ls -A /etc/skel').stdout);
    expect(existsSync(path.join(lab.hosts[1].root, 'etc/lab-test-file'))).toBe(false);
  });

  it('exec runs as root inside the host namespaces', async () => {
    const r = await lab.exec('bb1', 'hostname; id -u; cat /proc/1/cmdline | tr "\\0" " "');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^bb1\n0\n\/bin\/sh \/run\/lab\/bin\/init.sh/);
    expect((await lab.exec('deb2', 'exit 3')).code).toBe(3);
  });

  it('applies profile rootfs (modes kept), setup.sh once and boot.sh at every start', async () => {
    const root = lab.hosts[3].root;
    expect(statSync(path.join(root, 'etc/counter/secret')).mode & 0o777).toBe(0o640);
    const boots = () => readFileSync(path.join(root, 'var/log/counter-boots'), 'utf8');
    expect(boots()).toBe('boot cnt1\n');
    await lab.exec('cnt1', 'setsid sleep 1000 < /dev/null > /dev/null 2>&1 &');
    expect((await lab.exec('cnt1', 'pidof sleep')).code).toBe(0);
    await lab.rebootHost('cnt1');
    expect(boots()).toBe('boot cnt1\nboot cnt1\n');
    expect((await lab.exec('cnt1', 'pidof sleep')).code).not.toBe(0);
    expect(readFileSync(path.join(root, 'var/log/counter-setup'), 'utf8')).toBe('setup\n');
    expect(lab.bootCount('cnt1')).toBe(2);
    ssh(lab, 'cnt1', '/sbin/lab-reboot');
    await lab.waitBooted('cnt1', 2);
    expect(boots()).toBe('boot cnt1\nboot cnt1\nboot cnt1\n');
    expect(ssh(lab, 'cnt1', 'hostname')).toMatchObject({ code: 0, stdout: 'cnt1\n' });
  });

  it('stopHost makes the port refuse; startHost brings it back', async () => {
    await lab.stopHost('deb2');
    expect(await probe(lab.hosts[1])).toBe('ECONNREFUSED');
    expect(labStatus(1)?.hosts.find((h) => h.name === 'deb2')?.running).toBe(false);
    await expect(lab.exec('deb2', 'true')).rejects.toThrow(/not running/);
    await lab.startHost('deb2');
    expect(ssh(lab, 'deb2', 'hostname').stdout).toBe('deb2\n');
    expect(labStatus(1)?.hosts.every((h) => h.running)).toBe(true);
  });

  it('inventory file works for ansible (strict host key checking)', () => {
    const r = spawnSync('ansible', ['debian', '-i', lab.inventoryPath, '-m', 'ping', '-o'], {
      encoding: 'utf8', env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_NOCOLOR: '1' },
    });
    expect(r.stdout).toMatch(/deb1 \| SUCCESS/);
    expect(r.stdout).toMatch(/deb2 \| SUCCESS/);
    expect(r.status).toBe(0);
  });

  it('inventory: groups are profiles, patterns as in Ansible', () => {
    const names = (p: string) => lab.inventory.select(p).map((h) => h.name);
    expect(names('all')).toEqual(['deb1', 'deb2', 'bb1', 'cnt1']);
    expect(names('debian:busybox')).toEqual(['deb1', 'deb2', 'bb1']);
    expect(names('deb*,!deb2')).toEqual(['deb1']);
    expect(lab.hostSpec('bb1').connection).toEqual({
      type: 'ssh', host: '127.77.1.3', port: 22, user: 'root', privateKeyPath: lab.keyPath,
      hostKeyPolicy: 'strict', knownHostsFile: lab.knownHostsPath,
    });
  });

  it('stop() leaves no mounts, no processes and no lab directory', async () => {
    const dir = lab.dir;
    expect(mountsMentioning(dir, readFileSync('/proc/mounts', 'utf8'))).toHaveLength(4);
    await lab.stop();
    expect(mountsMentioning(dir, readFileSync('/proc/mounts', 'utf8'))).toEqual([]);
    const { processesOf } = await import('../src/internal/cleanup.js');
    expect(processesOf(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(await probe(lab.hosts[0])).toBe('ECONNREFUSED');
  });
});
