// The simulated vzdump of the openvz lab profile, over SSH, against docs/platforms/proxmox.md:
// console lines on stderr, file names, the task log, exit codes, --maxfiles, the hook script.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh, type SshConnection } from '@shipshape/core';
import { ARCHIVE_NAME, parseVzdumpOutput } from '@shipshape/proxmox';
import { startLab, type Lab } from '@shipshape/testlab';

let lab: Lab;
let conn: SshConnection;
const dump = () => join(lab.hosts[0]!.root, 'var/lib/vz/dump');

beforeAll(async () => {
  lab = await startLab({ id: 44, hosts: [{ name: 'vz1', profile: 'openvz' }] });
  conn = await lab.connect('vz1');
  const r = await lab.exec('vz1', 'vzctl create 101 --ostemplate debian-12-minimal_12.0_amd64 >/dev/null && vzctl start 101 >/dev/null');
  expect(r.code).toBe(0);
}, 300_000);
afterAll(async () => {
  await lab?.stop();
});

describe('vzdump simulator', () => {
  it('writes <dumpdir>/vzdump-openvz-<id>-<stamp>.tar.zst and its log; INFO lines on stderr; exit 0', async () => {
    const r = await conn.exec(sh`vzdump 101 --mode stop --compress zstd --dumpdir /var/lib/vz/dump`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean).every((l) => /^(INFO|WARN|ERROR): /.test(l))).toBe(true);
    const report = parseVzdumpOutput(r.stderr);
    expect(report.ok).toBe(true);
    const b = report.backups[0]!;
    expect(b).toMatchObject({ id: 101, type: 'openvz', ok: true, mode: 'stop' });
    expect(ARCHIVE_NAME.exec(b.archive!.split('/').pop()!)?.slice(5, 7)).toEqual(['tar', '.zst']);
    const files = readdirSync(dump()).sort();
    expect(files).toEqual([b.log!.split('/').pop(), b.archive!.split('/').pop()].sort());
    const log = readFileSync(join(dump(), b.log!.split('/').pop()!), 'utf8').trim().split('\n');
    expect(log.every((l) => /^[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} (INFO|WARN|ERROR): /.test(l))).toBe(true);
    expect(r.stderr).toContain('INFO: stopping vm\n');
    expect(r.stderr).toContain('INFO: restarting vm\n');
    const status = await conn.exec(sh`vzctl status 101`);
    expect(status.stdout.trim()).toBe('CTID 101 exist mounted running');
  });

  it('errors: unknown guest (255, job finished with errors), bad option, missing dumpdir, storage+dumpdir', async () => {
    const cases: [string, RegExp][] = [
      ['vzdump 999 --dumpdir /var/lib/vz/dump', /ERROR: Backup of VM 999 failed - unable to find VM '999'\n.*INFO: Backup job finished with errors\n$/s],
      ['vzdump 101 --mode fast', /^400 Parameter verification failed\.\nmode: value 'fast' does not have a value in the enumeration 'snapshot, suspend, stop'\n/],
      ['vzdump 101 --dumpdir /nonexistent', /^dumpdir '\/nonexistent' does not exist\n$/],
      ['vzdump 101 --dumpdir /tmp --storage local', /^cannot use options 'storage' and 'dumpdir' at the same time\n$/],
    ];
    for (const [command, stderr] of cases) {
      const r = await conn.exec({ text: command, display: command });
      expect({ command, code: r.code }).toEqual({ command, code: 255 });
      expect(r.stderr).toMatch(stderr);
    }
  });

  it('--maxfiles keeps that many archives of the guest (and their logs), deleting the oldest', async () => {
    // Names have second resolution: before each run wait for the host clock to tick (a state, not a sleep).
    const tick = sh`s=$(date +%s); while [ "$(date +%s)" = "$s" ]; do :; done`;
    for (let i = 0; i < 2; i++) {
      await conn.exec(tick);
      expect((await conn.exec(sh`vzdump 101 --mode stop --compress gzip --dumpdir /var/lib/vz/dump`)).code).toBe(0);
    }
    await conn.exec(tick);
    const r = await conn.exec(sh`vzdump 101 --mode stop --compress gzip --dumpdir /var/lib/vz/dump --maxfiles 2`);
    expect(r.code).toBe(0);
    const archives = readdirSync(dump()).filter((f) => ARCHIVE_NAME.test(f)).sort();
    expect(archives).toHaveLength(2);
    expect(r.stderr).toMatch(/INFO: delete old backup '\/var\/lib\/vz\/dump\/vzdump-openvz-101-[\d_-]+\.tar\.(gz|zst)'/);
    expect(readdirSync(dump()).filter((f) => f.endsWith('.log'))).toHaveLength(2);
  });

  it('--script: the hook runs per phase with TARFILE/LOGFILE; a failing backup-start fails that guest', async () => {
    await lab.exec('vz1', `printf '#!/bin/sh\\necho "$*|$TARFILE|$LOGFILE" >> /root/hook.log\\n[ "$1" != backup-start ] || [ ! -e /root/fail ]\\n' > /root/hook && chmod +x /root/hook`);
    const ok = await conn.exec(sh`vzdump 101 --compress gzip --script /root/hook`);
    expect(ok.code).toBe(0);
    const phases = readFileSync(join(lab.hosts[0]!.root, 'root/hook.log'), 'utf8').trim().split('\n').map((l) => l.split('|'));
    expect(phases.map((p) => p[0])).toEqual(['job-start', 'backup-start suspend 101', 'backup-end suspend 101', 'log-end suspend 101', 'job-end']);
    expect(phases[2]![1]).toMatch(/^\/var\/lib\/vz\/dump\/vzdump-openvz-101-[\d_-]+\.tar\.gz$/);
    expect(phases[3]![2]).toMatch(/^\/var\/lib\/vz\/dump\/vzdump-openvz-101-[\d_-]+\.log$/);
    await lab.exec('vz1', 'touch /root/fail');
    const bad = await conn.exec(sh`vzdump 101 --compress gzip --script /root/hook`);
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain("ERROR: Backup of VM 101 failed - command '/root/hook backup-start suspend 101' failed: exit code 1\n");
  });

  it('help: `vzdump --help` is a parse error (255), `vzdump help` lists --mode and the --compress values', async () => {
    const bad = await conn.exec(sh`vzdump --help`);
    expect(bad).toMatchObject({ code: 255, stdout: '', stderr: '400 Parameter verification failed.\nUnknown option: help\nvzdump help [<vmid>] [OPTIONS]\n' });
    const help = await conn.exec(sh`vzdump help`);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe('');
    expect(help.stderr).toMatch(/^USAGE: vzdump help\nUSAGE: vzdump \{<vmid>\} \[OPTIONS\]\n/);
    expect(help.stderr).toMatch(/^ {2}--compress <0 \| 1 \| gzip \| lzo \| zstd> +Compress dump file\. \(default = 0\)$/m);
    expect(help.stderr).toMatch(/^ {2}--mode <snapshot \| stop \| suspend> +Backup mode\. \(default = snapshot\)$/m);
  });

  it('vzdump 1.2.6: flags, .tgz, INFO lines on stdout, "successfuly", exit 0 even for a failed guest', async () => {
    await lab.exec('vz1', 'echo 1.2.6 > /usr/lib/vzctl-sim/vzdump-version && mkdir -p /root/old');
    try {
      const help = await conn.exec(sh`vzdump --help`);
      expect(help.code).toBe(255);
      expect(help.stderr).toMatch(/^Unknown option: help\nusage: \/usr\/sbin\/vzdump OPTIONS \[--all \| VMID\]\n/);
      expect(help.stderr).toContain('\t--suspend\t\tsuspend/resume VM when running\n');
      const ok = await conn.exec(sh`vzdump --suspend --compress --dumpdir /root/old 101`);
      expect(ok.code).toBe(0);
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toMatch(/^INFO: starting new backup job: vzdump --suspend --compress --dumpdir \/root\/old 101\n/);
      expect(ok.stdout).toMatch(/INFO: creating archive '\/root\/old\/vzdump-openvz-101-[\d_-]+\.tgz'\n/);
      expect(ok.stdout).toMatch(/INFO: Backup job finished successfuly\n$/);
      const b = parseVzdumpOutput(ok.stdout);
      expect(b.ok).toBe(true);
      expect(readdirSync(join(lab.hosts[0]!.root, 'root/old')).map((f) => f.replace(/-\d{4}_[\d_-]+\./, '-*.')).sort()).toEqual(['vzdump-openvz-101-*.log', 'vzdump-openvz-101-*.tgz']);
      const failed = await conn.exec(sh`vzdump --stop --dumpdir /root/old 999`);
      expect(failed.code).toBe(0);
      expect(failed.stdout).toContain("ERROR: Backup of VM 999 failed - unable to find VM '999'\n");
      expect(parseVzdumpOutput(failed.stdout).ok).toBe(false);
      expect((await conn.exec(sh`vzdump --mode stop 101`)).stderr).toMatch(/^Unknown option: mode\n/);
    } finally {
      await lab.exec('vz1', 'rm -f /usr/lib/vzctl-sim/vzdump-version');
    }
  });

  it('vzrestore: a new CT from an archive (config from vps.conf, paths from vz.conf); refuses an existing one', async () => {
    const archive = (await lab.exec('vz1', 'ls /root/old/*.tgz')).stdout.trim();
    const r = await conn.exec(sh`vzrestore ${archive} 150`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^INFO: restore openvz backup '${archive}' using ID 150\nINFO: extracting archive '${archive}'\nINFO: Total bytes read: .*\nINFO: extracting configuration to '/etc/vz/conf/150.conf'\nINFO: restore openvz backup '${archive}' successful\n$`));
    expect((await lab.exec('vz1', 'grep -E "^(VE_PRIVATE|HOSTNAME|OSTEMPLATE)=" /etc/vz/conf/150.conf; test -e /var/lib/vz/private/150/etc/vzdump || echo no-vzdump-dir; vzctl start 150 >/dev/null && vzctl exec2 150 cat /etc/debian_version')).stdout)
      .toBe('OSTEMPLATE="debian-12-minimal_12.0_amd64"\nVE_PRIVATE="/var/lib/vz/private/$VEID"\nno-vzdump-dir\n12.0\n');
    const again = await conn.exec(sh`vzrestore ${archive} 150`);
    expect(again.code).toBe(255);
    expect(again.stdout).toContain(`ERROR: restore openvz backup '${archive}' failed - unable to restore VM '150' - VM already exists\n`);
    await lab.exec('vz1', 'vzctl stop 150 >/dev/null; vzctl destroy 150 >/dev/null');
  });
});
