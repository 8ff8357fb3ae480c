// A hosting/backup pair across two Xen lab dom0s, through the playbook, over real SSH.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Lab } from '@shipshape/testlab';
import { guestMac, parseXenCfg, parseXlList } from '@shipshape/xen';
import { hostingPair } from '../../../playbooks/xen-hosting-pair.js';
import { changedTasks, expectAllOk, guestFile, hostFile, inGuest, runPlaybook, sh, startXenLab } from './lab.js';

let lab: Lab;
const events: string[] = [];
const web01 = hostingPair({ name: 'web01', package: 'small', backupHost: 'xen2', external_ip: '203.0.113.7', hosts: 'xen1' });

beforeAll(async () => {
  lab = await startXenLab(31, ['xen1', 'xen2']);
}, 600_000);
afterAll(async () => {
  await lab?.stop();
});

describe('xen-hosting-pair playbook', () => {
  it('in check mode reports what it would do and creates nothing', async () => {
    const s = await runPlaybook(lab, web01, events, true);
    expectAllOk(s);
    expect(changedTasks(s)).toEqual([
      'xen1 hosting guest web01: create guest web01 (10.10.1.10)',
      'xen1 backup guest web01-backup on xen2: create guest web01-backup (10.20.1.10), 4 hook task(s) inside its root',
      'xen1 external IP 203.0.113.7 on web01: /etc/xen/web01.cfg: add vif 203.0.113.7 once guest web01 exists (no cfg yet)',
      'xen1 start web01: create guest web01 (10.10.1.10), then start it',
      'xen1 start web01-backup on xen2: create guest web01-backup (10.20.1.10), 4 hook task(s) inside its root, then start it',
    ]);
    expect(await sh(lab, 'xen1', 'ls /etc/xen /etc/xen/auto | grep -c cfg || true')).toBe('0\n');
    expect(await sh(lab, 'xen2', 'ls /etc/xen /etc/xen/auto | grep -c cfg || true')).toBe('0\n');
  });

  it('creates the hosting guest here and the backup guest there, with hooks, external vif, both running', async () => {
    const s = await runPlaybook(lab, web01, events);
    expectAllOk(s);
    const here = parseXenCfg(hostFile(lab, 'xen1', 'etc/xen/web01.cfg'));
    expect(here.vifs.map((v) => v.ips)).toEqual([['10.10.1.10'], ['203.0.113.7']]);
    expect(here.vifs[1]).toMatchObject({ mac: guestMac('web01', '203.0.113.7'), bridge: 'xenbr1' });
    expect(here).toMatchObject({ memory: 512, vcpus: 1 });
    const there = parseXenCfg(hostFile(lab, 'xen2', 'etc/xen/web01-backup.cfg'));
    expect(there.vifs.map((v) => v.ips)).toEqual([['10.20.1.10']]);
    expect(parseXlList(await sh(lab, 'xen1', 'xl list')).map((d) => d.name)).toEqual(['Domain-0', 'web01']);
    expect(parseXlList(await sh(lab, 'xen2', 'xl list')).map((d) => d.name)).toEqual(['Domain-0', 'web01-backup']);
    // No backup guest on the hosting host and no hosting guest on the backup host.
    expect(await sh(lab, 'xen1', 'ls /etc/xen')).not.toContain('web01-backup');
    expect(await sh(lab, 'xen2', 'ls /etc/xen')).not.toContain('web01.cfg');
  });

  it('ran the sftp-jail hook inside the backup guest root', async () => {
    const passwd = await guestFile(lab, 'xen2', 'web01-backup', 'etc/passwd');
    const line = passwd.split('\n').find((l) => l.startsWith('backup:'));
    expect(line).toMatch(/^backup:x:(\d+):(\d+):[^:]*:\/srv\/backup:\/usr\/sbin\/nologin$/);
    const uid = Number(line!.split(':')[2]);
    expect(await guestFile(lab, 'xen2', 'web01-backup', 'etc/ssh/sshd_config')).toMatch(
      /\n# BEGIN shipshape sftp jail backup\nMatch User backup\n {4}ChrootDirectory \/srv\/backup\n {4}ForceCommand internal-sftp\n(.*\n)*# END shipshape sftp jail backup\n$/,
    );
    expect(await inGuest(lab, 'xen2', 'web01-backup', 'stat -c "%u %g %a" "$G/srv/backup" "$G/srv/backup/data"')).toBe(`0 0 755\n${uid} ${uid} 750\n`);
    // The hosting guest got no jail; its root came from the rootfs plus xen-tools' own hooks.
    expect(await guestFile(lab, 'xen1', 'web01', 'etc/passwd')).toContain('\nbackup:x:34:34:');
    expect(await guestFile(lab, 'xen1', 'web01', 'etc/hostname')).toBe('web01\n');
  });

  it('never shows the root passwords in events, results or command output', () => {
    for (const [host, guest] of [['xen1', 'web01'], ['xen2', 'web01-backup']] as const) {
      const log = hostFile(lab, host, `var/log/xen-tools/${guest}.log`);
      const password = /^Root Password {3}: {2}(\S+)$/m.exec(log)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9]{23}$/);
      expect(events.join('\n')).not.toContain(password);
    }
    // The summary did reach the run (minus the password): the fingerprints are there.
    expect(events.join('\n')).toContain('SSH Fingerprint');
  });

  it('changes nothing on a second run', async () => {
    const s = await runPlaybook(lab, web01);
    expectAllOk(s);
    expect(changedTasks(s)).toEqual([]);
  });

  it('gives the next pair the lowest last octet free on both hosts', async () => {
    // 10.20.1.11 is taken on the backup host only: the pair must skip octet 11 on both sides.
    await sh(lab, 'xen2', 'xen-create-image --hostname=other --dist=bookworm --ip=10.20.1.11 --dir=/srv/xen >/dev/null');
    const s = await runPlaybook(lab, hostingPair({ name: 'web02', package: 'medium', backupHost: 'xen2', hosts: 'xen1' }));
    expectAllOk(s);
    expect(parseXenCfg(hostFile(lab, 'xen1', 'etc/xen/web02.cfg')).vifs.map((v) => v.ips)).toEqual([['10.10.1.12']]);
    expect(parseXenCfg(hostFile(lab, 'xen2', 'etc/xen/web02-backup.cfg'))).toMatchObject({ memory: 1024, vcpus: 2 });
    expect(parseXenCfg(hostFile(lab, 'xen2', 'etc/xen/web02-backup.cfg')).vifs[0]!.ips).toEqual(['10.20.1.12']);
  });
});
