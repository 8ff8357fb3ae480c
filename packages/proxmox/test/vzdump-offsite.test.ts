// The vzdump-offsite playbook end to end: an OpenVZ lab host with running and stopped
// containers, the simulated vzdump writing real tars, uploads to the NAS's vsftpd, rotation,
// and failures (server refusing the archive, broken compressor) that must rotate nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@shipshape/core';
import { ARCHIVE_NAME } from '@shipshape/proxmox';
import { startLab, type Lab } from '@shipshape/testlab';
import restorePb from '../../../playbooks/vzdump-restore.js';
import { entries, treeSums } from '../../storage/test/support/nas.js';
import { offsiteOn } from './support/offsite.js';

let lab: Lab;
const { gensDir, dumpDir, vars, result, runPb, contents, firstNight, sameNight } = offsiteOn(() => lab, 'vz1');

async function exec(host: string, text: string): Promise<string> {
  const r = await lab.exec(host, text);
  if (r.code !== 0) throw new Error(`${host}: ${text}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  lab = await startLab({ id: 43, hosts: [{ name: 'nas1', profile: 'nas' }, { name: 'vz1', profile: 'openvz' }] });
  const t = 'debian-12-minimal_12.0_amd64';
  await exec('vz1', `for id in 101 102 103; do vzctl create $id --ostemplate ${t} --hostname ct$id >/dev/null; done
    vzctl start 101 >/dev/null && vzctl start 103 >/dev/null && echo marker-101 > /var/lib/vz/private/101/root/marker`);
}, 300_000);
afterAll(async () => {
  await lab?.stop();
});

const stamp = (gen: string) => readdirSync(join(gensDir(), gen)).find((n) => ARCHIVE_NAME.test(n))!;

describe('vzdump-offsite playbook', () => {
  it('check mode names the running containers and changes nothing; the run dumps only the running ones, ships archive + log, removes the local dumps', async () => {
    const r = await firstNight();
    expect(contents('daily.0')).toEqual(['101:log', '101:tar.gz', '103:log', '103:tar.gz', 'vzlist.log']);
    const shipped = (r.data as { shipped: { via: string; tool?: string }[] }).shipped;
    expect(shipped.map((f) => `${f.via}/${f.tool}`)).toEqual(Array(5).fill('source/lftp'));
    expect(r.data).toMatchObject({ dialect: 'pve' });
    // `vzlist -a` as it stood, beside the dumps (the operators' vzlist.log).
    expect(readFileSync(join(gensDir(), 'daily.0', 'vzlist.log'), 'utf8')).toMatch(
      /^ {6}CTID {6}NPROC STATUS {4}IP_ADDR {9}HOSTNAME\n {7}101 +\d+ running .*ct101\n {7}102 +- stopped .*ct102\n {7}103 +\d+ running .*ct103\n$/,
    );
    // A real tar of the private area, with the CT config as ./etc/vzdump/vps.conf.
    const archive = join(gensDir(), 'daily.0', stamp('daily.0'));
    const list = execFileSync('tar', ['tzf', archive], { encoding: 'utf8' }).split('\n');
    expect(list).toEqual(expect.arrayContaining(['./etc/os-release', './root/marker', './etc/vzdump/vps.conf']));
    expect(execFileSync('tar', ['xzOf', archive, './root/marker'], { encoding: 'utf8' })).toBe('marker-101\n');
  });

  it('further runs rotate: at most 3 generations, newest in daily.0', async () => {
    const first = stamp('daily.0');
    for (let i = 0; i < 3; i++) expect((await runPb()).ok).toBe(true);
    expect(entries(gensDir())).toEqual(['daily.0', 'daily.1', 'daily.2']);
    const stamps = ['daily.0', 'daily.1', 'daily.2'].map(stamp);
    expect([...stamps].sort().reverse()).toEqual(stamps);
    expect(stamps).not.toContain(first); // the first run's generation was dropped
  });

  it('with min_interval_hours a rerun the same night changes nothing (twice, and in check mode)', async () => {
    await sameNight();
  });

  it('the restore playbook: daily.0 into a scratch CTID, started, the file checked; a rerun changes nothing', async () => {
    const rv = { ...vars(), ct: 101, target: 9101, check_file: '/root/marker' };
    const first = await run(restorePb, { inventory: lab.inventory, extraVars: rv });
    expect(first.ok).toBe(true);
    const [restored, checked] = first.results.filter((r) => r.host === 'vz1').map((r) => r.result);
    expect(restored!.msg).toMatch(
      /^restored CT 9101 from ftp:\/\/backup@[\d.]+:21\/vz\/vz1\/daily\.0\/vzdump-openvz-101-[\d_-]+\.tar\.gz with vzrestore, its IP addresses deleted, started$/,
    );
    expect(checked).toMatchObject({ status: 'ok', msg: 'CT 9101 runs and has /root/marker' });
    expect(await exec('vz1', 'vzctl status 9101; vzctl exec2 9101 cat /root/marker; grep -c ^IP_ADDRESS=\\"\\" /etc/vz/conf/9101.conf')).toBe('CTID 9101 exist mounted running\nmarker-101\n1\n');
    expect(entries(dumpDir())).toEqual([]); // the downloaded archive is gone again
    const again = await run(restorePb, { inventory: lab.inventory, extraVars: rv });
    expect(again.ok).toBe(true);
    expect(Object.values(again.stats).reduce((n, x) => n + x.changed, 0)).toBe(0);
    expect(again.results[0]!.result.msg).toBe('CT 9101 exists: nothing restored (a restore never overwrites)');
    const missing = await run(restorePb, { inventory: lab.inventory, extraVars: { ...rv, ct: 555, target: 9102 } });
    expect(missing.results[0]!.result.msg).toMatch(/daily\.0 holds no vzdump archive of CT 555 \(files: .*vzlist\.log\)$/);
    await exec('vz1', 'vzctl stop 9101 >/dev/null && vzctl destroy 9101 >/dev/null');
  });

  it('vzdump 1.x on the node: its options (--suspend, bare --compress → .tgz), its output on stdout, read from --help', async () => {
    await exec('vz1', 'echo 1.2.6 > /usr/lib/vzctl-sim/vzdump-version');
    try {
      const s = await runPb({ vzdump_mode: 'suspend' });
      expect(s.ok).toBe(true);
      const r = result(s);
      expect(r.msg).toMatch(/^dumped CT 101 \([\d.]+ MiB\), 103 \([\d.]+ MiB\) \(vzdump 1\.x options\); shipped 5 file\(s\)/);
      expect(contents('daily.0')).toEqual(['101:log', '101:tgz', '103:log', '103:tgz', 'vzlist.log']);
      const list = execFileSync('tar', ['tzf', join(gensDir(), 'daily.0', stamp('daily.0'))], { encoding: 'utf8' });
      expect(list).toContain('./root/marker');
      const zstd = await runPb({ vzdump_compress: 'zstd' });
      expect(result(zstd).msg).toContain('this vzdump (1.x) compresses only with gzip (bare --compress, .tgz): give compress "gzip" or "0", not "zstd"');
    } finally {
      await exec('vz1', 'rm -f /usr/lib/vzctl-sim/vzdump-version');
    }
  });

  it('the server refusing the archive: run fails clearly, local dump kept, generations intact; next run recovers', async () => {
    const before = treeSums(gensDir());
    await exec('nas1', `echo 'deny_file={*.tar.gz}' > /etc/nas/vsftpd.extra.conf && nas-ftp restart`);
    const s = await runPb();
    expect(s.ok).toBe(false);
    const r = result(s);
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/upload failed: daily\.staging\/vzdump-openvz-101-[\d_-]+\.tar\.gz: lftp on vz1 failed \(exit 1\): .*550 Permission denied/);
    expect(r.msg).toMatch(/\[dumped: 101; nothing rotated, existing generations untouched; local dumps kept: \/var\/lib\/vz\/dump\/vzdump-openvz-101-[\d_-]+\.tar\.gz\]$/);
    expect(treeSums(gensDir())).toEqual({ ...before, ...stagingOf(treeSums(gensDir())) });
    for (const [k, v] of Object.entries(before)) expect(treeSums(gensDir())[k]).toBe(v);
    expect(entries(dumpDir()).map((n) => n.replace(/-\d{4}_.*?\./, '-*.'))).toEqual(['vzdump-openvz-101-*.log', 'vzdump-openvz-101-*.tar.gz']);

    await exec('nas1', 'rm /etc/nas/vsftpd.extra.conf && nas-ftp restart');
    const kept = entries(dumpDir());
    const ok = await runPb();
    expect(ok.ok).toBe(true);
    expect(entries(gensDir())).toEqual(['daily.0', 'daily.1', 'daily.2']);
    expect(treeSums(join(gensDir(), 'daily.1'))).toEqual(sub(before, 'daily.0/'));
    expect(entries(dumpDir())).toEqual(kept); // only the new dumps were removed; the failed run's stay for the operator
  });

  it('a failing vzdump (compressor missing) rotates nothing and leaves no partial archive', async () => {
    const before = treeSums(gensDir());
    const kept = entries(dumpDir());
    await exec('vz1', 'mv /usr/bin/gzip /usr/bin/gzip.away');
    try {
      const s = await runPb();
      const r = result(s);
      expect(r.status).toBe('failed');
      expect(r.msg).toMatch(/^vz1: vzdump of CT 101 failed: command 'tar' failed: exit code \d+ \(exit 255\) \[dumped: none; nothing rotated, existing generations untouched\]$/);
    } finally {
      await exec('vz1', 'mv /usr/bin/gzip.away /usr/bin/gzip');
    }
    expect(treeSums(gensDir())).toEqual({ ...before, ...stagingOf(treeSums(gensDir())) });
    expect(entries(dumpDir())).toEqual(kept);
  });

  it('no running container: nothing to do, twice', async () => {
    await exec('vz1', 'vzctl stop 101 >/dev/null && vzctl stop 103 >/dev/null');
    const before = treeSums(gensDir());
    for (let i = 0; i < 2; i++) {
      const s = await runPb();
      expect(s.ok).toBe(true);
      expect(result(s)).toMatchObject({ status: 'ok', changed: false, msg: 'no running containers to dump' });
    }
    expect(treeSums(gensDir())).toEqual(before);
  });
});

function stagingOf(sums: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(sums).filter(([k]) => k.startsWith('daily.staging/')));
}
function sub(sums: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(sums).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}
