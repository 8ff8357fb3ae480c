// The simulated Proxmox VE 8 vzdump of the proxmox lab profile, over SSH, against
// docs/platforms/proxmox.md ("vzdump of LXC guests"): the console lines, the archive (a real tar of
// the CT's root with ./etc/vzdump/pct.conf), its log, the modes, retention, the errors and exit
// codes, and pct restore of what it wrote.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh, type SshConnection } from '@shipshape/core';
import { ARCHIVE_NAME, parseVzdumpHelp, parseVzdumpOutput } from '@shipshape/proxmox';
import { startLab, type Lab } from '@shipshape/testlab';

const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';
let lab: Lab;
let conn: SshConnection;
const dumpDir = () => join(lab.hosts[0]!.root, 'var/lib/vz/dump');
const files = () => readdirSync(dumpDir()).sort();
const lines = (s: string) => s.split('\n').filter(Boolean);

async function shell(text: string): Promise<string> {
  const r = await lab.exec('pve1', text);
  if (r.code !== 0) throw new Error(`${text}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}
const vzdump = (...argv: string[]) => conn.exec(sh`vzdump ${argv}`);

beforeAll(async () => {
  lab = await startLab({ id: 48, hosts: [{ name: 'pve1', profile: 'proxmox' }] });
  conn = await lab.connect('pve1');
  await shell(`pveam update >/dev/null && pveam download local ${TEMPLATE.split('/')[1]} >/dev/null
    pct create 101 ${TEMPLATE} --rootfs vmdata:1 --hostname ct101 --memory 256 --start 1 >/dev/null
    pct exec 101 -- sh -c 'echo marker-101 > /root/marker; mkdir -p /tmp/junk; echo x > /tmp/junk/f'
    pct create 102 ${TEMPLATE} --rootfs vmdata:1 --hostname ct102 >/dev/null`);
}, 300_000);
afterAll(async () => {
  await lab?.stop();
});

describe('PVE 8 vzdump simulator (LXC)', () => {
  it('a running CT, snapshot mode on a dir storage: falls back to suspend, writes .tar.zst and .log, the CT keeps running', async () => {
    const r = await vzdump('101', '--dumpdir', '/var/lib/vz/dump', '--compress', 'zstd', '--mode', 'snapshot');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const out = lines(r.stderr);
    expect(out.every((l) => /^(INFO|WARN|ERROR): /.test(l))).toBe(true);
    expect(out[0]).toBe('INFO: starting new backup job: vzdump 101 --dumpdir /var/lib/vz/dump --compress zstd --mode snapshot');
    expect(out[1]).toBe('INFO: Starting Backup of VM 101 (lxc)');
    expect(out[2]).toMatch(/^INFO: Backup started at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(out.slice(3, 11)).toEqual([
      'INFO: status = running', 'INFO: CT Name: ct101', "INFO: including mount point rootfs ('/') in backup",
      'INFO: mode failure - some volumes do not support snapshots', "INFO: trying 'suspend' mode instead",
      'INFO: backup mode: suspend', 'INFO: ionice priority: 7', 'INFO: CT Name: ct101',
    ]);
    const text = r.stderr;
    expect(text).toMatch(/INFO: starting first sync \/proc\/\d+\/root\/ to \/var\/lib\/vz\/dump\/vzdump-lxc-101-[\d_-]+\.tmp\n/);
    expect(text).toMatch(/INFO: suspending guest\nINFO: starting final sync .*\nINFO: final sync finished - transferred \S+ in \d+s\nINFO: resuming guest\nINFO: guest is online again after (<1|\d+) seconds\n/);
    expect(text).toMatch(/INFO: creating vzdump archive '\/var\/lib\/vz\/dump\/vzdump-lxc-101-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.tar\.zst'\nINFO: Total bytes written: \d+/);
    expect(text).toMatch(/INFO: archive file size: \d+(KB|MB)\nINFO: Finished Backup of VM 101 \(00:00:\d\d\)\nINFO: Backup finished at [\d: -]+\nINFO: Backup job finished successfully\n$/);

    const report = parseVzdumpOutput(text);
    expect(report.ok).toBe(true);
    const b = report.backups[0]!;
    expect(b).toMatchObject({ id: 101, type: 'lxc', ok: true, mode: 'suspend' });
    const archive = b.archive!.split('/').pop()!;
    expect(ARCHIVE_NAME.exec(archive)?.slice(2, 3)).toEqual(['lxc']);
    expect(files()).toEqual([b.log!.split('/').pop(), archive].sort());
    const log = lines(readFileSync(join(dumpDir(), b.log!.split('/').pop()!), 'utf8'));
    expect(log.every((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (INFO|WARN|ERROR): /.test(l))).toBe(true);
    expect(log[0]).toMatch(/ INFO: Starting Backup of VM 101 \(lxc\)$/);
    expect(log.some((l) => l.includes('Backup started at'))).toBe(false); // printed without the log fd

    // A real tar: pct.conf first, the CT's files, the standard excludes (/tmp/?*) applied.
    const path = join(dumpDir(), archive);
    const members = execFileSync('tar', ['-I', 'zstd', '-tf', path], { encoding: 'utf8' }).split('\n');
    expect(members.slice(0, 2)).toEqual(['./etc/vzdump/pct.conf', './etc/vzdump/pct.fw']);
    expect(members).toEqual(expect.arrayContaining(['./root/marker', './etc/os-release', './sbin/init', './tmp/']));
    expect(members.filter((m) => m.startsWith('./tmp/junk'))).toEqual([]);
    expect(execFileSync('tar', ['-I', 'zstd', '-xOf', path, './root/marker'], { encoding: 'utf8' })).toBe('marker-101\n');
    const conf = execFileSync('tar', ['-I', 'zstd', '-xOf', path, './etc/vzdump/pct.conf'], { encoding: 'utf8' });
    expect(conf).toContain('hostname: ct101\n');
    expect(conf).toContain('memory: 256\n');
    expect(conf).not.toContain('lock:');
    expect(await shell('pct status 101; grep -c ^lock: /etc/pve/lxc/101.conf || true')).toBe('status: running\n0\n');
  });

  it('pct restore takes the archive: config from pct.conf, the files, and it starts', async () => {
    const archive = files().find((f) => f.endsWith('.tar.zst'))!;
    const r = await conn.exec(sh`pct restore 201 ${`/var/lib/vz/dump/${archive}`} --storage vmdata`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`restoring '/var/lib/vz/dump/${archive}' now..`);
    expect(await shell('pct config 201 | grep -E "^(hostname|memory|rootfs):"')).toBe('hostname: ct101\nmemory: 256\nrootfs: vmdata:201/subvol-201-disk-0.subvol,size=1G\n');
    expect(await shell('pct start 201 && pct exec 201 -- cat /root/marker; test ! -e /var/lib/vmdata/images/201/subvol-201-disk-0.subvol/etc/vzdump && echo no-etc-vzdump')).toBe('marker-101\nno-etc-vzdump\n');
    await shell('pct destroy 201 --force 1 --purge 1');
  });

  it('stop mode on a running CT stops and restarts it; a stopped CT is dumped in stop mode; --storage local, gzip', async () => {
    await shell('rm -f /var/lib/vz/dump/*');
    const r = await vzdump('101', '--mode', 'stop', '--storage', 'local', '--compress', 'gzip');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/INFO: backup mode: stop\nINFO: ionice priority: 7\nINFO: CT Name: ct101\nINFO: including mount point rootfs \('\/'\) in backup\nINFO: stopping virtual guest\nINFO: creating vzdump archive '\/var\/lib\/vz\/dump\/vzdump-lxc-101-[\d_-]+\.tar\.gz'\n/);
    expect(r.stderr).toMatch(/INFO: restarting vm\nINFO: guest is online again after (<1|\d+) seconds\nINFO: Finished Backup of VM 101/);
    expect(await shell('pct status 101; pct exec 101 -- cat /root/marker')).toBe('status: running\nmarker-101\n');
    const s = await vzdump('102', '--compress', '0');
    expect(s.code).toBe(0);
    expect(s.stderr).toMatch(/INFO: status = stopped\nINFO: backup mode: stop\n/);
    expect(s.stderr).not.toContain('restarting vm');
    expect(files().map((f) => f.replace(/-\d{4}_[\d_-]+\./, '-*.'))).toEqual(['vzdump-lxc-101-*.log', 'vzdump-lxc-101-*.tar.gz', 'vzdump-lxc-102-*.log', 'vzdump-lxc-102-*.tar']);
    const members = execFileSync('tar', ['-tf', join(dumpDir(), files().find((f) => f.endsWith('.tar'))!)], { encoding: 'utf8' });
    expect(members.startsWith('./etc/vzdump/pct.conf\n./etc/vzdump/pct.fw\n./\n')).toBe(true);
  });

  it('--prune-backups keep-last=1 (and --maxfiles 1) delete the older archives and their logs; --remove 0 refuses past the limit', async () => {
    await shell('rm -f /var/lib/vz/dump/*');
    expect((await vzdump('102', '--dumpdir', '/var/lib/vz/dump')).code).toBe(0);
    const first = files();
    await shell('sleep 1'); // the archive name carries the second: two dumps need two seconds
    const r = await vzdump('102', '--dumpdir', '/var/lib/vz/dump', '--prune-backups', 'keep-last=1');
    expect(r.code).toBe(0);
    const old = first.find((f) => f.endsWith('.tar'))!;
    expect(r.stderr).toContain(`INFO: prune older backups with retention: keep-last=1\nINFO: delete old backup '/var/lib/vz/dump/${old}'\nINFO: pruned 1 backup(s) not covered by keep-retention policy\n`);
    expect(files()).toHaveLength(2);
    expect(files().some((f) => first.includes(f))).toBe(false);

    const refused = await vzdump('102', '--dumpdir', '/var/lib/vz/dump', '--maxfiles', '1', '--remove', '0');
    expect(refused.code).toBe(255);
    expect(lines(refused.stderr)).toEqual([
      'INFO: starting new backup job: vzdump 102 --dumpdir /var/lib/vz/dump --maxfiles 1 --remove 0',
      'ERROR: Backup of VM 102 failed - There is a max backup limit of 1 enforced by the target storage or the vzdump parameters. Either increase the limit or delete old backups.',
      expect.stringMatching(/^INFO: Failed at /),
      'INFO: Backup job finished with errors',
      'job errors',
    ]);
    expect(files()).toHaveLength(2);
  });

  it('errors: an unknown guest fails that guest (exit 255), bad options are parameter errors, storages are checked', async () => {
    const r = await vzdump('999', '102', '--dumpdir', '/var/lib/vz/dump');
    expect(r.code).toBe(255);
    const report = parseVzdumpOutput(r.stderr);
    expect(report.ok).toBe(false);
    expect(report.backups.map((b) => [b.id, b.ok])).toEqual([[102, true], [999, false]]);
    expect(r.stderr).toContain("ERROR: Backup of VM 999 failed - unable to find VM '999'\n");
    expect(r.stderr.endsWith('INFO: Backup job finished with errors\njob errors\n')).toBe(true);

    const bad = await vzdump('102', '--compress', 'xz');
    expect(bad.code).toBe(255);
    expect(bad.stderr).toBe("400 Parameter verification failed.\ncompress: value 'xz' does not have a value in the enumeration '0, 1, gzip, lzo, zstd'\n\nvzdump {<vmid>} [OPTIONS]\n");
    expect((await vzdump('--mode', 'stop')).stderr).toContain('vmid: property is missing\n');
    expect((await vzdump('102', '--all')).stderr).toContain("all: option conflicts with option 'vmid'\n");
    expect((await vzdump('102', '--prune-backups', 'keep-last=1', '--maxfiles', '2')).stderr).toContain("prune-backups: option conflicts with option 'maxfiles'\n");
    expect((await vzdump('102', '--storage', 'vmdata')).stderr).toBe("could not get storage information for 'vmdata': can't use storage 'vmdata' for backups - wrong content type\n");
    expect((await vzdump('102', '--storage', 'local', '--dumpdir', '/tmp')).stderr).toBe("cannot use options 'storage' and 'dumpdir' at the same time\n");
    expect((await vzdump('102', '--dumpdir', '/nonexistent')).stderr).toBe("dumpdir '/nonexistent' does not exist\n");
  });

  it('--all dumps every CT of the node; --exclude leaves some out', async () => {
    await shell('rm -f /var/lib/vz/dump/*');
    const r = await vzdump('--all', '--exclude', '101', '--dumpdir', '/var/lib/vz/dump');
    expect(r.code).toBe(0);
    expect(parseVzdumpOutput(r.stderr).backups.map((b) => b.id)).toEqual([102]);
  });

  it('--script: the hook runs per phase with the guest and its files; a failing backup-start fails that guest', async () => {
    const hook = ['#!/bin/sh', 'echo "$1|$2|$3|$VMTYPE|$HOSTNAME|$STOREID|$DUMPDIR|${TARGET##*/}|${LOGFILE##*/}" >> /root/phases', '[ "$1" != backup-start ] || [ ! -e /root/fail ]'];
    await lab.exec('pve1', `rm -f /var/lib/vz/dump/* /root/phases; cat > /root/hook; chmod +x /root/hook`, { stdin: `${hook.join('\n')}\n` });
    expect((await vzdump('102', '--storage', 'local', '--script', '/root/hook')).code).toBe(0);
    const phases = (await shell('cat /root/phases')).split('\n').filter(Boolean).map((l) => l.replace(/vzdump-lxc-102-[\d_-]+\./g, 'B.'));
    expect(phases).toEqual([
      'job-start|||||local|/var/lib/vz/dump||',
      'backup-start|stop|102|lxc|ct102|local|/var/lib/vz/dump|B.tar|B.log',
      'backup-end|stop|102|lxc|ct102|local|/var/lib/vz/dump|B.tar|B.log',
      'log-end|stop|102|lxc|ct102|local|/var/lib/vz/dump|B.tar|B.log',
      'job-end|||||local|/var/lib/vz/dump||',
    ]);
    await shell('touch /root/fail');
    const r = await vzdump('102', '--dumpdir', '/var/lib/vz/dump', '--script', '/root/hook');
    expect(r.code).toBe(255);
    expect(r.stderr).toContain("ERROR: Backup of VM 102 failed - command '/root/hook backup-start stop 102' failed: exit code 1\n");
    expect(await shell('grep -c ^lock: /etc/pve/lxc/102.conf || true')).toBe('0\n');
    expect((await vzdump('102', '--dumpdir', '/var/lib/vz/dump', '--script', '/root/nohook')).stderr).toContain("Error: The hook script '/root/nohook' does not exist.");
  });

  it('its help: the PVE dialect (--mode, --compress with zstd)', async () => {
    const r = await conn.exec(sh`out=$(vzdump --help 2>&1); printf '%s\n' "$out"; vzdump help 2>&1`);
    expect(parseVzdumpHelp(r.stdout)).toEqual({ name: 'pve', compress: ['0', '1', 'gzip', 'lzo', 'zstd'], restoreOption: false });
  });
});
