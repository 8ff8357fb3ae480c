// A hosting/backup pair across two Xen lab dom0s (Debian's xen-tools, simulated xl), through the playbook,
// over real SSH: roles installed from the lab repository, SFTP jail, restic over SFTP between the guests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { playbook } from '@shipshape/core';
import type { Lab } from '@shipshape/testlab';
import { guestMac, guestRoot, hostingRoles, parseRegistry, parseXenCfg, parseXlList } from '@shipshape/xen';
import { hostingPair, PACKAGES, ROLES, type HostingPairRequest } from '../../../playbooks/xen-hosting-pair.js';
import { changedTasks, expectAllOk, guestFile, hostFile, inGuest, runPlaybook, sh, startXenLab } from './lab.js';

let lab: Lab;
const events: string[] = [];
const secretsDir = mkdtempSync(join(tmpdir(), 'shipshape-xen-secrets-'));
const H = 'web01.hosting.example.org';
const B = 'web01.backup.example.org';
const networks = {
  hosting: { prefix: '127.78.31', netmask: '255.255.255.0', gateway: '127.78.31.1', bridge: 'xenbr0' },
  backup: { prefix: '127.79.31', netmask: '255.255.255.0', bridge: 'xenbr0' },
};
const registry = { hosting: '/root/hosting.csv', backup: '/root/backup.csv' };
const web01 = (extra: Partial<HostingPairRequest> = {}) => hostingPair({
  name: 'web01', package: 'package1', backupHost: 'xen2', hosts: 'xen1', external_ip: '203.0.113.7', registry,
  options: { ...networks, sshPort: lab.hosts[0]!.port, secretsDir, external: { ip: '203.0.113.7', bridge: 'xenbr1', netmask: '255.255.255.0', gateway: '203.0.113.1' } },
  ...extra,
});

beforeAll(async () => {
  lab = await startXenLab(31, ['xen1', 'xen2']);
  // The wrapper's registry: the Xen host itself first, an old guest, and a released address (no name).
  await sh(lab, 'xen1', `printf '%s\\n' 'IP;Name;Package;external IP;Date created' '127.78.31.1;xen1.example.org;dom0;;2019-03-01' \\
    '127.78.31.9;old.hosting.example.org;package2;198.51.100.3;2020-05-04' '127.78.31.7;;package1;;2019-06-01' > /root/hosting.csv
    printf '%s\\n' 'IP;Name;Package;Date created' '127.79.31.9;old.backup.example.org;package2;2020-05-04' '127.79.31.7;-;package1;2019-06-01' > /root/backup.csv`);
}, 600_000);
afterAll(async () => {
  await lab?.stop();
});

describe('xen-hosting-pair playbook', () => {
  it('in check mode reports what it would do and creates nothing', async () => {
    const s = await runPlaybook(lab, web01(), events, true);
    expectAllOk(s);
    expect(changedTasks(s)).toEqual(expect.arrayContaining([
      `xen1 backup guest ${B} on xen2: create guest ${B} (127.79.31.7), 6 hook task(s) inside its root, linked from /etc/xen/auto`,
      expect.stringMatching(new RegExp(`^xen1 hosting guest ${H.replace(/\./g, '\\.')}: create guest ${H.replace(/\./g, '\\.')} \\(127\\.78\\.31\\.7\\), \\d+ hook task\\(s\\) inside its root, linked from /etc/xen/auto$`)),
    ]));
    expect(await sh(lab, 'xen1', 'ls /etc/xen /etc/xen/auto | grep -c cfg || true')).toBe('0\n');
  });

  it('creates both guests: sizes, FQDNs, the released octet, external IP, registry rows, auto links, both running', async () => {
    const s = await runPlaybook(lab, web01(), events);
    expectAllOk(s);
    const here = parseXenCfg(hostFile(lab, 'xen1', `etc/xen/${H}.cfg`));
    expect(here).toMatchObject({ name: H, memory: 1024, vcpus: 1 });
    expect(here.vifs.map((v) => v.ips)).toEqual([['127.78.31.7'], ['203.0.113.7']]);
    expect(here.vifs[1]).toMatchObject({ mac: guestMac(H, '203.0.113.7'), bridge: 'xenbr1' });
    const there = parseXenCfg(hostFile(lab, 'xen2', `etc/xen/${B}.cfg`));
    expect(there).toMatchObject({ name: B, memory: 256, vcpus: 1 });
    expect(there.vifs.map((v) => v.ips)).toEqual([['127.79.31.7']]);
    expect(await sh(lab, 'xen1', `stat -c %s /srv/xen/domains/${H}/disk.img; readlink /etc/xen/auto/${H}.cfg`)).toBe(`${25 * 1024 ** 3}\n/etc/xen/${H}.cfg\n`);
    expect(await sh(lab, 'xen2', `stat -c %s /srv/xen/domains/${B}/disk.img; readlink /etc/xen/auto/${B}.cfg`)).toBe(`${25 * 1024 ** 3}\n/etc/xen/${B}.cfg\n`);
    expect(parseXlList(await sh(lab, 'xen1', 'xl list')).map((d) => d.name)).toEqual(['Domain-0', H]);
    expect(parseXlList(await sh(lab, 'xen2', 'xl list')).map((d) => d.name)).toEqual(['Domain-0', B]);
    const today = new Date().toISOString().slice(0, 10);
    const hosting = hostFile(lab, 'xen1', 'root/hosting.csv');
    expect(hosting.split('\n').slice(3)).toEqual([`127.78.31.7;${H};package1;203.0.113.7;${today}`, '']);
    expect(parseRegistry(hosting, 'hosting', 'hosting.csv')).toHaveLength(3);
    expect(hostFile(lab, 'xen1', 'root/backup.csv').split('\n').slice(2)).toEqual([`127.79.31.7;${B};package1;${today}`, '']);
    expect(PACKAGES.package1).toEqual({ memory: '1024M', vcpus: 1, size: '25G' });
  }, 600_000);

  it('the backup guest: a dedicated user in an SFTP jail, the hosting key authorized with restrict', async () => {
    const passwd = await guestFile(lab, 'xen2', B, 'etc/passwd');
    const line = passwd.split('\n').find((l) => l.startsWith('sftpbackup:'))!;
    expect(line).toMatch(/^sftpbackup:x:(\d{4}):(\d{4}):[^:]*:\/srv\/backup:\/usr\/sbin\/nologin$/);
    expect(passwd).toContain('\nbackup:x:34:34:backup:/var/backups:/usr/sbin/nologin\n');
    const uid = Number(line.split(':')[2]);
    const sshd = await guestFile(lab, 'xen2', B, 'etc/ssh/sshd_config');
    expect(sshd).toMatch(/\nSubsystem sftp internal-sftp\n/);
    expect(sshd).not.toMatch(/\nSubsystem\s+sftp\s+\/usr\/lib/);
    expect(sshd).toMatch(/\n# BEGIN shipshape sftp jail sftpbackup\nMatch User sftpbackup\n {4}ChrootDirectory \/srv\/backup\n {4}ForceCommand internal-sftp\n {4}AuthorizedKeysFile \/etc\/ssh\/authorized_keys\/sftpbackup\n(.*\n)*# END shipshape sftp jail sftpbackup\n$/);
    expect(await inGuest(lab, 'xen2', B, 'stat -c "%u %g %a" "$G/srv/backup" "$G/srv/backup/data"')).toBe(`0 0 755\n${uid} ${uid} 750\n`);
    const pub = (await guestFile(lab, 'xen1', H, 'root/.ssh/id_ed25519_backup.pub')).trim();
    expect(pub).toMatch(/^ssh-ed25519 \S+ backup@web01\.hosting\.example\.org$/);
    expect(await guestFile(lab, 'xen2', B, 'etc/ssh/authorized_keys/sftpbackup')).toBe(`restrict ${pub}\n`);
    expect(await inGuest(lab, 'xen1', H, 'stat -c %a "$G/root/.ssh/id_ed25519_backup" "$G/root/.config/restic/password"')).toBe('600\n600\n');
  });

  it('the hosting guest: restic job, pinned backup host key, external IP inside, roles from the lab repository, no daemon on dom0', async () => {
    const backupKey = (await guestFile(lab, 'xen2', B, 'etc/ssh/ssh_host_ed25519_key.pub')).split(' ').slice(0, 2).join(' ');
    const port = lab.hosts[0]!.port;
    expect(await guestFile(lab, 'xen1', H, 'root/.ssh/known_hosts_backup')).toBe(`${port === 22 ? '127.79.31.7' : `[127.79.31.7]:${port}`} ${backupKey}\n`);
    expect(await guestFile(lab, 'xen1', H, 'etc/cron.d/shipshape-backup')).toContain('17 3 * * * root /usr/local/sbin/shipshape-backup');
    expect(await guestFile(lab, 'xen1', H, 'etc/network/interfaces')).toMatch(/\nauto eth1\niface eth1 inet static\n address 203\.0\.113\.7\n netmask 255\.255\.255\.0\n gateway 203\.0\.113\.1\n/);
    const pkgs = ['logwatch', 'apticron', 'fail2ban', 'systemd-timesyncd', 'mlocate', 'bzip2', 'git', 'etckeeper', 'exim4-daemon-light', 'munin-node', 'nagios-nrpe-server', 'rkhunter', 'restic'];
    const inside = await inGuest(lab, 'xen1', H, `cd "$G"; dpkg-query --admindir=var/lib/dpkg -W -f='\${db:Status-Abbrev}\\n' ${pkgs.join(' ')} | sort -u
      test -d etc/.git && echo etckeeper; grep -c '^allow \\^10\\\\.10\\\\.1\\\\.2\\$$' etc/munin/munin-node.conf; grep "^dc_eximconfig_configtype\\|^dc_smarthost" etc/exim4/update-exim4.conf.conf
      grep '^allowed_hosts=' etc/nagios/nrpe.cfg; grep '^LANG=' etc/default/locale; readlink etc/localtime; grep '^root:' etc/aliases; test -s var/lib/rkhunter/db/rkhunter.dat && echo rkhunter-db
      grep -c 'Root login on' root/.bashrc; test ! -e usr/sbin/policy-rc.d && echo no-policy-rc.d`);
    expect(inside).toBe([
      'ii ', 'etckeeper', '1', "dc_eximconfig_configtype='satellite'", "dc_smarthost='mail.example.org'", 'allowed_hosts=127.0.0.1,::1,10.10.1.2',
      'LANG=en_US.UTF-8', '/usr/share/zoneinfo/Europe/Berlin', 'root: ops@example.org', 'rkhunter-db', '1', 'no-policy-rc.d', '',
    ].join('\n'));
    // policy-rc.d kept every daemon from starting: none runs on the dom0.
    expect(await sh(lab, 'xen1', 'ps -eo comm= | grep -cE "^(exim4|munin-node|fail2ban-server|nrpe|cron|systemd-timesyn)$" || true')).toBe('0\n');
  });

  it('ran the first backup from the hosting guest over SFTP into the jail, and restic check passed', async () => {
    const log = await guestFile(lab, 'xen1', H, 'var/log/shipshape-backup.log');
    expect(log).toMatch(/created restic repository \w+ at sftp:shipshape-backup:\/data\/web01\.hosting\.example\.org/);
    expect(log).toMatch(/snapshot \w+ saved/);
    expect(log).toContain('no errors were found');
    expect(await inGuest(lab, 'xen2', B, `ls "$G/srv/backup/data/${H}"`)).toBe('config\ndata\nindex\nkeys\nlocks\nsnapshots\n');
    expect(await guestFile(lab, 'xen1', H, 'var/lib/shipshape-backup/first-done')).toMatch(/UTC/);
  });

  it('keeps the root passwords out of every event and puts them in 0600 files on the controller', () => {
    for (const [host, guest] of [['xen1', H], ['xen2', B]] as const) {
      const log = hostFile(lab, host, `var/log/xen-tools/${guest}.log`);
      const password = /^Root Password {3}: {2}(\S+)$/m.exec(log)?.[1];
      expect(password).toMatch(/^[A-Za-z0-9]{23}$/);
      expect(events.join('\n')).not.toContain(password);
      const file = join(secretsDir, `${guest}.root-password`);
      expect(readFileSync(file, 'utf8')).toBe(`${password}\n`);
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
      expect(events.join('\n')).toContain(file);
    }
  });

  it('changes nothing on a second run', async () => {
    const s = await runPlaybook(lab, web01(), events);
    expectAllOk(s);
    expect(changedTasks(s)).toEqual([]);
  });

  it('the roles are idempotent inside the real guest root: applied again to the stopped guest, nothing changes', async () => {
    await sh(lab, 'xen1', `xl shutdown -w ${H} 2>/dev/null`);
    const s = await runPlaybook(lab, playbook({ name: 'roles again', hosts: 'xen1', tasks: [guestRoot({ hostname: H, tasks: hostingRoles(ROLES) }, { name: 'roles' })] }), events);
    expectAllOk(s);
    expect(s.results.find((r) => r.task === 'roles')!.result).toMatchObject({ changed: false, msg: `inside ${H}: ${hostingRoles(ROLES).length} task(s) ok, nothing changed` });
    await sh(lab, 'xen1', `xl create /etc/xen/${H}.cfg 2>/dev/null`);
  }, 300_000);

  it('force recreates both guests on the same octet and says what it destroys (CLI, -vvv --show-secrets)', async () => {
    const r = spawnSync('node', [join(process.cwd(), 'packages/cli/dist/bundle/bin.js'), 'run', join(dirname(fileURLToPath(import.meta.url)), 'playbooks/web01-force.ts'), '-i', lab.inventoryPath, '-vvv', '--show-secrets'], {
      encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XEN_TEST_SSH_PORT: String(lab.hosts[0]!.port), XEN_TEST_SECRETS: secretsDir },
    });
    expect(r.status).toBe(0);
    const esc = (t: string) => t.replace(/\./g, '\\.');
    // The backup guest is made on xen2 by a task delegated from xen1, labelled as Ansible labels it.
    expect(r.stdout).toMatch(new RegExp(`changed: \\[xen1 -> xen2\\] => recreate guest ${esc(B)} \\(force\\): destroys running domain ${esc(B)} \\(id \\d+\\), disks /srv/xen/domains/${esc(B)}/disk\\.img, /srv/xen/domains/${esc(B)}/swap\\.img, config /etc/xen/${esc(B)}\\.cfg`));
    expect(r.stdout).toMatch(new RegExp(`changed: \\[xen1\\] => recreate guest ${esc(H)} \\(force\\): destroys running domain ${esc(H)}`));
    expect(parseXenCfg(hostFile(lab, 'xen1', `etc/xen/${H}.cfg`)).vifs[0]!.ips).toEqual(['127.78.31.7']);
    expect(parseXenCfg(hostFile(lab, 'xen2', `etc/xen/${B}.cfg`)).vifs[0]!.ips).toEqual(['127.79.31.7']);
    expect(hostFile(lab, 'xen1', 'root/hosting.csv').match(/web01/g)).toHaveLength(1);
    expect(await guestFile(lab, 'xen1', H, 'var/lib/shipshape-backup/first-done')).toMatch(/UTC/);
    expect(await inGuest(lab, 'xen1', H, 'ls "$G/usr/bin/fail2ban-server" 2>&1 || true')).toMatch(/No such file/);
    // The new root passwords: in the 0600 files, once on stderr (asked for), never in the -vvv output.
    for (const [host, guest] of [['xen1', H], ['xen2', B]] as const) {
      const password = /^Root Password {3}: {2}(\S+)$/m.exec(hostFile(lab, host, `var/log/xen-tools/${guest}.log`))?.[1]!;
      expect(readFileSync(join(secretsDir, `${guest}.root-password`), 'utf8')).toBe(`${password}\n`);
      expect(r.stdout).not.toContain(password);
      expect(r.stderr.split(password).length - 1).toBe(1);
      expect(r.stderr).toContain(`root password of ${guest}: ${password}\n`);
    }
  }, 600_000);
});
