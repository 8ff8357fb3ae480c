// playbooks/vzdump-offsite.ts and vzdump-restore.ts on a Proxmox VE node: LXC containers listed by
// `pct list`, dumped by the lab's PVE 8 vzdump (real tars of their roots with pct.conf), shipped to
// the NAS with the node's own listing (pct-list.log), the rerun guard, and a restore with pct restore.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@shipshape/core';
import { ARCHIVE_NAME } from '@shipshape/proxmox';
import { startLab, type Lab } from '@shipshape/testlab';
import restorePb from '../../../playbooks/vzdump-restore.js';
import { entries } from '../../storage/test/support/nas.js';
import { offsiteOn } from './support/offsite.js';

const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';
let lab: Lab;
const { gensDir, dumpDir, vars, runPb, contents, firstNight, sameNight } = offsiteOn(() => lab, 'pve1');
const archiveOf = (gen: string, ct: number) => readdirSync(join(gensDir(), gen)).find((n) => ARCHIVE_NAME.exec(n)?.[3] === String(ct))!;

async function sh(text: string): Promise<string> {
  const r = await lab.exec('pve1', text);
  if (r.code !== 0) throw new Error(`pve1: ${text}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  lab = await startLab({ id: 49, hosts: [{ name: 'nas1', profile: 'nas' }, { name: 'pve1', profile: 'proxmox' }] });
  await sh(`pveam update >/dev/null && pveam download local ${TEMPLATE.split('/')[1]} >/dev/null
    for id in 101 102 103; do pct create $id ${TEMPLATE} --rootfs vmdata:1 --hostname ct$id --net0 name=eth0,bridge=vmbr0,ip=10.0.0.$id/24 >/dev/null; done
    pct start 101 && pct start 103 && pct exec 101 -- sh -c 'echo marker-pve-101 > /root/marker'`);
}, 300_000);
afterAll(() => lab?.stop());

describe('vzdump-offsite on a Proxmox VE node (LXC)', () => {
  it('check mode names the running CTs (from pct list), changes nothing; the run dumps them with vzdump, ships archive + log + pct-list.log, verified; the CTs keep running, unlocked', async () => {
    const r = await firstNight();
    expect(r.data).toMatchObject({ dialect: 'pve', tool: 'pct', targets: [101, 103] });
    expect((r.data as { dumped: { mode: string }[] }).dumped.map((d) => d.mode)).toEqual(['suspend', 'suspend']);
    expect(contents('daily.0')).toEqual(['101:log', '101:tar.gz', '103:log', '103:tar.gz', 'pct-list.log']);
    // The node's own listing as it stood: `pct list`.
    expect(readFileSync(join(gensDir(), 'daily.0', 'pct-list.log'), 'utf8')).toBe(await sh('pct list'));
    expect(await sh('pct list')).toMatch(/^VMID +Status +Lock +Name +\n101 +running +ct101 +\n102 +stopped +ct102 +\n103 +running +ct103 +\n$/);
    const archive = join(gensDir(), 'daily.0', archiveOf('daily.0', 101));
    const members = execFileSync('tar', ['tzf', archive], { encoding: 'utf8' }).split('\n');
    expect(members.slice(0, 2)).toEqual(['./etc/vzdump/pct.conf', './etc/vzdump/pct.fw']);
    expect(members).toContain('./root/marker');
    expect(execFileSync('tar', ['xzOf', archive, './root/marker'], { encoding: 'utf8' })).toBe('marker-pve-101\n');
    expect(execFileSync('tar', ['xzOf', archive, './etc/vzdump/pct.conf'], { encoding: 'utf8' })).toMatch(/^hostname: ct101$/m);
    expect(readFileSync(join(gensDir(), 'daily.0', archiveOf('daily.0', 101).replace(/\.tar\.gz$/, '.log')), 'utf8')).toMatch(/INFO: Starting Backup of VM 101 \(lxc\)\n/);
  });

  it('a rerun the same night changes nothing (twice, and in check mode); without the guard it makes daily.0 anew and rotates', async () => {
    await sameNight();
    const s = await runPb();
    expect(s.ok).toBe(true);
    expect(entries(gensDir())).toEqual(['daily.0', 'daily.1']);
    expect(contents('daily.1')).toEqual(['101:log', '101:tar.gz', '103:log', '103:tar.gz', 'pct-list.log']);
  });

  it('vzdump-restore: daily.0 into a scratch CTID with pct restore, off the network, started, the file checked; a rerun changes nothing', async () => {
    const rv = { ...vars(), ct: 101, target: 9101, check_file: '/root/marker', restore_storage: 'vmdata' };
    const first = await run(restorePb, { inventory: lab.inventory, extraVars: rv });
    expect(first.ok).toBe(true);
    const [restored, checked] = first.results.filter((r) => r.host === 'pve1').map((r) => r.result);
    expect(restored!.msg).toMatch(
      /^restored CT 9101 from ftp:\/\/backup@[\d.]+:21\/vz\/pve1\/daily\.0\/vzdump-lxc-101-[\d_-]+\.tar\.gz with pct, its network interfaces deleted \(net0\), started$/,
    );
    expect(checked).toMatchObject({ status: 'ok', msg: 'CT 9101 runs and has /root/marker' });
    expect(await sh('pct status 9101; pct exec 9101 -- cat /root/marker; pct config 9101 | grep -E "^(hostname|net0|rootfs):"')).toBe(
      'status: running\nmarker-pve-101\nhostname: ct101\nrootfs: vmdata:9101/subvol-9101-disk-0.subvol,size=1G\n',
    );
    expect(entries(dumpDir())).toEqual([]);
    const again = await run(restorePb, { inventory: lab.inventory, extraVars: rv });
    expect(again.ok).toBe(true);
    expect(again.stats.pve1!.changed).toBe(0);
    expect(again.results[0]!.result.msg).toBe('CT 9101 exists: nothing restored (a restore never overwrites)');
    await sh('pct destroy 9101 --force 1 --purge 1');
  });
});
