// The Xen lab profile itself over real SSH: xen-create-image and xl as docs/platforms/xen.md describes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sh as cmd, sshConnect, type Connection } from '@shipshape/core';
import type { Lab } from '@shipshape/testlab';
import { parseInstallSummary, parseXenCfg } from '@shipshape/xen';
import { guestTree, hostFile, sh, startXenLab } from './lab.js';

let lab: Lab;
let conn: Connection;
const ssh = (text: string) => conn.exec(cmd`/bin/sh -c ${text}`);
const base = '--dist=bookworm --dir=/srv/xen';

beforeAll(async () => {
  lab = await startXenLab(30, ['xensim']);
  conn = await sshConnect('xensim', lab.hostSpec('xensim').connection);
});
afterAll(async () => {
  await conn?.close();
  await lab?.stop();
});

describe('xen-create-image (simulated)', () => {
  it('aborts with exit 127 and the documented messages', async () => {
    expect(await ssh(`xen-create-image ${base} --ip=10.0.0.5`)).toMatchObject({ code: 127, stdout: "The '--hostname' argument is mandatory.\n" });
    expect(await ssh(`xen-create-image --hostname=a ${base}`)).toMatchObject({ code: 127, stdout: 'Please choose one of:\n --dhcp\n --ip xx.xx.xx.xx\n' });
    expect(await ssh(`xen-create-image --hostname=a ${base} --ip=10.0.0.5 --dhcp`)).toMatchObject({ code: 127, stdout: 'Please choose either DHCP or static usage, not both!\n' });
  });

  it('creates images, cfg in the xm.tmpl layout, log and summary; hooks see $1 and the ip variables', async () => {
    await sh(lab, 'xensim', `printf '#!/bin/sh\\necho "$1 $ip1 $ip2 $ip_count $hostname" > "$1/etc/hook-env"\\n' > /usr/share/xen-tools/bookworm.d/95-env && chmod 755 /usr/share/xen-tools/bookworm.d/95-env`);
    const r = await ssh(`xen-create-image --hostname=vm01 ${base} --ip=10.0.0.5 --ip 10.0.0.6 --netmask=255.255.255.0 --gateway=10.0.0.1 --bridge=xenbr0 --memory=512M --size=1G --vcpus=2`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\nLogfile produced at:\n\t /var/log/xen-tools/vm01.log\n');
    const summary = parseInstallSummary(r.stdout)!;
    expect(summary).toMatchObject({ hostname: 'vm01', distribution: 'bookworm', ips: ['10.0.0.5', '10.0.0.6'] });
    expect(summary.mac).toMatch(/^00:16:3E:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2}$/);
    expect(summary.fingerprints.map((f) => f.replace(/^SHA256:\S+ /, ''))).toEqual(['(ECDSA)', '(ED25519)', '(RSA)']);
    expect(r.stdout).toMatch(/\nIP Address\(es\)  :  10\.0\.0\.5 10\.0\.0\.6 \n/);
    const cfg = hostFile(lab, 'xensim', 'etc/xen/vm01.cfg');
    expect(cfg).toMatch(/^#\n# Configuration file for the Xen instance vm01, created\n# by xen-tools 4\.9 on .*\.\n#\nkernel      = '\/boot\/vmlinuz-.*'\nextra       = 'elevator=noop'\nramdisk     = '\/boot\/initrd\.img-.*'\n/);
    expect(cfg).toContain(`vcpus       = '2'\nmemory      = '512'\ntype      = 'pv'\nroot        = '/dev/xvda2 ro'\ndisk        = [\n                  'file:/srv/xen/domains/vm01/disk.img,xvda2,w',\n                  'file:/srv/xen/domains/vm01/swap.img,xvda1,w',\n              ]\nname        = 'vm01'\nvif         = [ 'ip=10.0.0.5 10.0.0.6 ,mac=${summary.mac},bridge=xenbr0' ]\non_poweroff = 'destroy'\non_reboot   = 'restart'\non_crash    = 'restart'\n`);
    expect(parseXenCfg(cfg).vifs[0]!.ips).toEqual(['10.0.0.5', '10.0.0.6']);
    expect(hostFile(lab, 'xensim', guestTree('vm01', 'etc/hook-env'))).toMatch(/^\/tmp\/\w{10} 10\.0\.0\.5 10\.0\.0\.6 2 vm01\n$/);
    expect((await ssh('stat -c %s /srv/xen/domains/vm01/disk.img')).stdout).toBe(`${1024 ** 3}\n`);
    const log = hostFile(lab, 'xensim', 'var/log/xen-tools/vm01.log');
    expect(log).toContain('Running hook 95-env\nhook 95-env: done.\n');
    expect(r.stdout).not.toContain('Running hook 95-env');
    expect(log).toContain(`Root Password   :  ${summary.rootPassword!.value}\n`);
    expect((await ssh('stat -c %a /var/log/xen-tools /var/log/xen-tools/vm01.log')).stdout).toBe('750\n640\n');
  });

  it('refuses to overwrite without --force, rotates the log on every run', async () => {
    const again = await ssh(`xen-create-image --hostname=vm01 ${base} --ip=10.0.0.5 --netmask=255.255.255.0 --gateway=10.0.0.1`);
    expect(again).toMatchObject({ code: 127, stdout: 'Configuration file already exists; /etc/xen/vm01.cfg\nAborting\n' });
    await ssh('mv /etc/xen/vm01.cfg /tmp/vm01.cfg');
    const image = await ssh(`xen-create-image --hostname=vm01 ${base} --ip=10.0.0.5 --netmask=255.255.255.0 --gateway=10.0.0.1`);
    expect(image).toMatchObject({ code: 127, stdout: "The partition image already exists.  Aborting.\nSpecify '--force' to delete and recreate\n" });
    await ssh('mv /tmp/vm01.cfg /etc/xen/vm01.cfg');
    expect((await ssh('ls /var/log/xen-tools')).stdout).toBe('vm01.0.log\nvm01.1.log\nvm01.log\n');
    expect(hostFile(lab, 'xensim', 'var/log/xen-tools/vm01.1.log')).toContain('Installation Summary');
  });

  it('a failing hook (an /etc/xen-tools/hooks.d override) aborts with 127 and removes the images', async () => {
    await sh(lab, 'xensim', `printf '#!/bin/sh\\nexit 3\\n' > /etc/xen-tools/hooks.d/95-env && chmod 755 /etc/xen-tools/hooks.d/95-env`);
    const r = await ssh(`xen-create-image --hostname=vm02 ${base} --ip=10.0.0.7 --netmask=255.255.255.0 --gateway=10.0.0.1`);
    expect(r.code).toBe(127);
    expect(r.stdout).toMatch(/\nRunning command 'xt-customize-image --dist=bookworm --location=\/tmp\/\w{10} 2>&1' failed with exit code 1\.\nAborting\nSee \/var\/log\/xen-tools\/vm02\.log for details\n$/);
    expect(hostFile(lab, 'xensim', 'var/log/xen-tools/vm02.log')).toContain('hook 95-env failed: 3\n');
    expect((await ssh('ls /srv/xen/domains; ls /etc/xen')).stdout).toBe('vm01\nauto\nvm01.cfg\n');
    await sh(lab, 'xensim', 'rm /etc/xen-tools/hooks.d/95-env /usr/share/xen-tools/bookworm.d/95-env');
  });

  it('--ip=auto takes the next free address of /etc/xen-tools/ips.txt and marks it used', async () => {
    const r = await ssh(`xen-create-image --hostname=auto0 ${base} --ip=auto --netmask=255.255.255.0 --gateway=192.168.122.1`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nIP Address 1   : 192\.168\.122\.100 \[MAC: /);
    expect(hostFile(lab, 'xensim', 'etc/xen-tools/ips.txt')).toContain('\n192.168.122.100: used\n192.168.122.101\n');
    await ssh('xen-delete-image --dir=/srv/xen --hostname=auto0 && rm /etc/xen/auto0.cfg');
  });
});

describe('xl (simulated)', () => {
  it('create, list (tabs in the header, aligned rows), shutdown, destroy, unknown domains', async () => {
    expect(await ssh('xl create /etc/xen/vm01.cfg')).toMatchObject({ code: 0, stdout: '', stderr: 'Parsing config from /etc/xen/vm01.cfg\n' });
    const list = (await ssh('xl list')).stdout.split('\n');
    expect(list[0]).toBe('Name                                        ID   Mem VCPUs\tState\tTime(s)');
    expect(list[1]).toMatch(/^Domain-0 {37}0 +\d+ +\d+     r-----  +\d+\.\d$/);
    expect(list[2]).toMatch(/^vm01 {41}1   512     2     -b----  +\d+\.\d$/);
    expect(await ssh('xl list nope')).toMatchObject({ code: 1, stdout: '', stderr: 'nope is an invalid domain identifier (rc=-6)\n' });
    expect(await ssh('xl shutdown')).toMatchObject({ code: 1, stderr: 'You must specify -a or a domain id.\n' });
    const forced = await ssh(`xen-create-image --hostname=vm01 ${base} --ip=10.0.0.5 --force`);
    expect(forced.code).toBe(127);
    expect(forced.stdout).toContain('ERROR: Xen guest vm01 appears to be running.\n');
    expect(await ssh('xl shutdown -w vm01')).toMatchObject({ code: 0, stderr: 'Shutting down domain 1\nWaiting for 1 domains\nDomain 1 has been shut down, reason code 0\n' });
    expect(await ssh('xl create vm01.cfg && xl destroy vm01 && xl list | wc -l')).toMatchObject({ code: 0, stdout: '2\n' });
  });

  it('after a dom0 reboot only guests linked in /etc/xen/auto run again', async () => {
    expect((await ssh(`xen-create-image --hostname=auto1 ${base} --ip=10.0.0.9 --boot`)).stdout).toContain('Started new Xen guest: auto1 [/etc/xen/auto1.cfg]\n');
    await ssh('xl create /etc/xen/vm01.cfg');
    await lab.rebootHost('xensim');
    await conn.close();
    conn = await sshConnect('xensim', lab.hostSpec('xensim').connection);
    expect((await ssh('xl list | cut -c1-40')).stdout.split('\n').map((s) => s.trim())).toEqual(['Name', 'Domain-0', 'auto1', '']);
  });
});
