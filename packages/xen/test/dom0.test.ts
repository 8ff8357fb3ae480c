// The Xen lab dom0 over real SSH: Debian's own xen-create-image / xen-delete-image / xen-list-images on a
// cached debootstrap minbase root and the lab's apt repository; only xl (and LVM) simulated.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sh as cmd, type Connection } from '@shipshape/core';
import type { Lab } from '@shipshape/testlab';
import { parseInstallSummary, parseXenCfg } from '@shipshape/xen';
import { hostFile, inGuest, sh, startXenLab } from './lab.js';

let lab: Lab;
let conn: Connection;
const ssh = (text: string) => conn.exec(cmd`/bin/sh -c ${text}`);
const net = '--netmask=255.255.255.0 --gateway=127.78.30.1';

beforeAll(async () => {
  lab = await startXenLab(30, ['dom0']);
  conn = await lab.connect('dom0');
}, 600_000);
afterAll(async () => {
  await lab?.stop();
});

describe('xen-create-image (Debian xen-tools 4.9)', () => {
  it('aborts with exit 127 and its messages', async () => {
    expect(await ssh('xen-create-image --ip=10.0.0.5')).toMatchObject({ code: 127, stdout: expect.stringContaining("The '--hostname' argument is mandatory.\n") });
    expect(await ssh('xen-create-image --hostname=a --ip=10.0.0.5 --dhcp')).toMatchObject({ code: 127, stdout: expect.stringContaining('Please choose either DHCP or static usage, not both!\n') });
  });

  it('creates a guest from the cached minbase root: cfg, log, summary, hooks installing from the lab repository', async () => {
    const r = await ssh(`xen-create-image --hostname=vm01.example.org --ip=127.78.30.10 --ip=127.78.30.11 ${net} --bridge=xenbr0 --memory=512M --size=2G --swap=128M --vcpus=2`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\nLogfile produced at:\n\t /var/log/xen-tools/vm01.example.org.log\n');
    const summary = parseInstallSummary(r.stdout)!;
    expect(summary).toMatchObject({ hostname: 'vm01.example.org', distribution: 'bookworm', ips: ['127.78.30.10', '127.78.30.11'] });
    expect(summary.fingerprints.map((f) => f.replace(/^SHA256:\S+ /, ''))).toEqual(['(DSA)', '(ECDSA)', '(ED25519)', '(RSA)']);
    expect(summary.rootPassword!.value).toMatch(/^[A-Za-z0-9]{23}$/);
    const cfg = hostFile(lab, 'dom0', 'etc/xen/vm01.example.org.cfg');
    expect(cfg).toMatch(/^#\n# Configuration file for the Xen instance vm01\.example\.org, created\n# by xen-tools 4\.9\.2 on .*\.\n#\n/);
    // bookworm is a pygrub distribution in xen-tools' distributions.conf.
    expect(cfg).toContain("bootloader = 'pygrub'\n\nvcpus       = '2'\nmemory      = '512'\n");
    expect(parseXenCfg(cfg)).toMatchObject({
      name: 'vm01.example.org', memory: 512, vcpus: 2,
      disks: [{ target: 'file:/srv/xen/domains/vm01.example.org/disk.img', vdev: 'xvda2' }, { target: 'file:/srv/xen/domains/vm01.example.org/swap.img', vdev: 'xvda1' }],
      vifs: [{ ips: ['127.78.30.10', '127.78.30.11'], mac: summary.mac, bridge: 'xenbr0' }],
    });
    expect((await ssh('stat -c %s /srv/xen/domains/vm01.example.org/disk.img')).stdout).toBe(`${2 * 1024 ** 3}\n`);
    expect((await ssh('stat -c %a /var/log/xen-tools /var/log/xen-tools/vm01.example.org.log')).stdout).toBe('750\n640\n');
    // Inside the image: xen-tools' hooks ran (hostname, interfaces, fstab), openssh-server came from the lab's
    // repository, policy-rc.d is gone again and the guest's resolv.conf is its own.
    const inside = await inGuest(lab, 'dom0', 'vm01.example.org', `cd "$G"; cat etc/hostname etc/mailname; grep -c 'address 127.78.30.1[01]' etc/network/interfaces
      dpkg-query --admindir=var/lib/dpkg -W -f='\${Status}\\n' openssh-server; ls var/lib/apt/lists | grep -c '^127.77.30.1_dists_bookworm_main_binary-amd64_Packages'
      test ! -e usr/sbin/policy-rc.d && echo no-policy-rc.d; test ! -e etc/resolv.conf.old && echo resolv-restored; grep '^root:' etc/shadow | cut -c1-8`);
    expect(inside).toBe('vm01\nvm01.example.org\n2\ninstall ok installed\n1\nno-policy-rc.d\nresolv-restored\nroot:$1$\n');
  });

  it('refuses to overwrite without --force', async () => {
    const again = await ssh(`xen-create-image --hostname=vm01.example.org --ip=127.78.30.10 ${net}`);
    expect(again.code).toBe(127);
    expect(again.stdout).toContain('Configuration file already exists; /etc/xen/vm01.example.org.cfg\n');
  });
});

describe('xl (simulated): a running domain is its root disk in use', () => {
  it('create mounts the disk and starts the guest sshd on its IP; delete skips it; destroy frees it', async () => {
    expect(await ssh('xl create /etc/xen/vm01.example.org.cfg')).toMatchObject({ code: 0, stdout: '', stderr: 'Parsing config from /etc/xen/vm01.example.org.cfg\n' });
    const list = (await ssh('xl list')).stdout.split('\n');
    expect(list[0]).toBe('Name                                        ID   Mem VCPUs\tState\tTime(s)');
    expect(list[2]).toMatch(/^vm01\.example\.org {29}1   512     2     -b----  +\d+\.\d$/);
    expect((await ssh('losetup -j /srv/xen/domains/vm01.example.org/disk.img | wc -l')).stdout).toBe('1\n');
    const hostKey = (await inGuest(lab, 'dom0', 'vm01.example.org', 'cut -d" " -f1,2 "$G/etc/ssh/ssh_host_ed25519_key.pub"')).trim();
    const port = lab.hosts[0]!.port;
    expect((await ssh(`ssh-keyscan -t ed25519 -p ${port} 127.78.30.10 2>/dev/null | cut -d' ' -f2,3`)).stdout.trim()).toBe(hostKey);
    expect(await ssh('xl create /etc/xen/vm01.example.org.cfg')).toMatchObject({ code: 1, stderr: expect.stringContaining('Domain vm01.example.org already exists') });
    expect(await ssh('xen-delete-image --dir=/srv/xen --hostname=vm01.example.org')).toMatchObject({ code: 0, stdout: "Skipping xen guest 'vm01.example.org' - it appears to be running.\n" });
    expect(await ssh('xl list nope')).toMatchObject({ code: 1, stdout: '', stderr: 'nope is an invalid domain identifier (rc=-6)\n' });
    expect(await ssh('xl shutdown -w vm01.example.org')).toMatchObject({ code: 0, stderr: 'Shutting down domain 1\nWaiting for 1 domains\nDomain 1 has been shut down, reason code 0\n' });
    expect((await ssh('losetup -j /srv/xen/domains/vm01.example.org/disk.img | wc -l; xl list | wc -l')).stdout).toBe('0\n2\n');
    expect((await ssh(`ssh-keyscan -p ${port} 127.78.30.10 2>/dev/null | wc -l`)).stdout).toBe('0\n');
  });

  it('after a dom0 reboot only guests linked in /etc/xen/auto run again', async () => {
    await sh(lab, 'dom0', 'ln -s /etc/xen/vm01.example.org.cfg /etc/xen/auto/ && xl create /etc/xen/vm01.example.org.cfg >/dev/null 2>&1 && xl list | wc -l');
    await lab.rebootHost('dom0');
    await conn.close();
    conn = await lab.connect('dom0');
    expect((await ssh('xl list | cut -c1-40')).stdout.split('\n').map((s) => s.trim())).toEqual(['Name', 'Domain-0', 'vm01.example.org', '']);
    expect((await ssh('losetup -j /srv/xen/domains/vm01.example.org/disk.img | wc -l')).stdout).toBe('1\n');
  });

  it('xen-list-images and xen-delete-image of a stopped guest remove images, cfg and auto link', async () => {
    expect((await ssh('xen-list-images')).stdout).toContain('Name: vm01.example.org\nMemory: 512 MB\nIP: 127.78.30.10\nConfig: /etc/xen/vm01.example.org.cfg\n');
    await ssh('xl destroy vm01.example.org');
    expect(await ssh('xen-delete-image --dir=/srv/xen --hostname=vm01.example.org')).toMatchObject({
      code: 0, stdout: 'Deleting: /etc/xen/auto/vm01.example.org.cfg\nDeleting: /etc/xen/vm01.example.org.cfg\nRemoving: /srv/xen/domains/vm01.example.org\n',
    });
    expect((await ssh('ls /srv/xen/domains; ls /etc/xen/auto')).stdout).toBe('');
  });
});
