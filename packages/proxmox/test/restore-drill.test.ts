// playbooks/vzdump-restore-drill.ts on generations made by playbooks/vzdump-offsite.ts: an OpenVZ
// node's container and a Proxmox VE node's own LXC container dumped to the NAS, restored on the
// Proxmox node with pct restore into a scratch CT, started, checked inside, destroyed, the result
// recorded beside the archive; a generation with bytes flipped on the NAS fails the drill, is
// recorded unverified, and nothing else there changes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, type RunSummary } from '@shipshape/core';
import { ARCHIVE_NAME } from '@shipshape/proxmox';
import { startLab, type Lab } from '@shipshape/testlab';
import offsite from '../../../playbooks/vzdump-offsite.js';
import drillPb from '../../../playbooks/vzdump-restore-drill.js';
import { entries, nasDir, nasPassword, treeSums } from '../../storage/test/support/nas.js';

let lab: Lab;
const gens = () => nasDir(lab, 'nas1', 'vz/vz1');
const pveGens = () => nasDir(lab, 'nas1', 'vz/pve1');
const nas = () => ({ nas_host: lab.hosts[0]!.address, nas_password: nasPassword(lab, 'nas1'), nas_path: '/vz' });
const drillVars = (extra: Record<string, unknown> = {}) => ({ ...nas(), source_node: 'vz1', ct: 101, target: 9101, drill_storage: 'vmdata', check: 'test "$(cat /root/marker)" = marker-101', ...extra });
const archiveOf = (gen: string, dir = gens()) => readdirSync(join(dir, gen)).find((n) => ARCHIVE_NAME.test(n))!;
/** What a drill may leave on pve1 besides its own CT 201: nothing (no CT, volume or download). */
const leftovers = () => sh('pve1', "pct list | awk 'NR > 1 && $1 != 201'; ls -A /var/lib/vz/dump; ls -A /var/lib/vmdata/images | grep -vx 201; true");
const result = (s: RunSummary) => s.results.find((r) => r.host === 'pve1')!.result;
async function sh(host: string, text: string): Promise<string> {
  const r = await lab.exec(host, text);
  if (r.code !== 0) throw new Error(`${host}: ${text}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  lab = await startLab({ id: 47, hosts: [{ name: 'nas1', profile: 'nas' }, { name: 'vz1', profile: 'openvz' }, { name: 'pve1', profile: 'proxmox' }] });
  await sh('vz1', 'vzctl create 101 --ostemplate debian-12-minimal_12.0_amd64 --hostname ct101 >/dev/null && vzctl start 101 >/dev/null && echo marker-101 > /var/lib/vz/private/101/root/marker');
  await sh('pve1', `pveam update >/dev/null && pveam download local debian-12-standard_12.7-1_amd64.tar.zst >/dev/null
    pct create 201 local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst --rootfs vmdata:1 --hostname ct201 --start 1 >/dev/null
    pct exec 201 -- sh -c 'echo marker-pve-201 > /root/marker'`);
  const s = await run(offsite, { inventory: lab.inventory, extraVars: { ...nas(), keep: 3, min_interval_hours: 0 } });
  if (!s.ok) throw new Error(`vzdump-offsite failed: ${s.results.map((r) => r.result.msg).join('; ')}`);
}, 240_000);
afterAll(async () => {
  await lab?.stop();
});

describe('vzdump-restore-drill playbook', () => {
  it('restores daily.0 on the Proxmox node, starts it, the check passes, the scratch CT is gone, verified is recorded; a rerun changes nothing', async () => {
    const archive = archiveOf('daily.0');
    const first = await run(drillPb, { inventory: lab.inventory, extraVars: drillVars() });
    expect(result(first).msg).toBe(
      `daily.0/${archive} verified: restored into CT 9101 on pve1, started, \`test "$(cat /root/marker)" = marker-101\` passed; scratch CT 9101 destroyed; recorded in daily.0/${archive}.drill.json`,
    );
    expect(first.ok).toBe(true);
    expect(result(first).status).toBe('changed');
    const rec = JSON.parse(readFileSync(join(gens(), 'daily.0', `${archive}.drill.json`), 'utf8'));
    expect(rec).toMatchObject({ archive, result: 'verified', node: 'pve1', vmid: 9101, bytes: readFileSync(join(gens(), 'daily.0', archive)).length });
    expect(await leftovers()).toBe('');

    const again = await run(drillPb, { inventory: lab.inventory, extraVars: drillVars() });
    expect(again.ok).toBe(true);
    expect(result(again)).toMatchObject({ status: 'ok', changed: false });
    expect(result(again).msg).toMatch(new RegExp(`^daily\\.0/${archive.replace(/\./g, '\\.')} was verified by a restore drill on pve1 at \\d{4}-`));
  });

  it('a corrupted generation (bytes flipped on the NAS) fails the drill and is recorded unverified; nothing else on the NAS changes', async () => {
    const s = await run(offsite, { inventory: lab.inventory, extraVars: { ...nas(), keep: 3, min_interval_hours: 0 } });
    expect(s.ok).toBe(true);
    expect(entries(gens())).toEqual(['daily.0', 'daily.1']);
    const archive = archiveOf('daily.0');
    const file = join(gens(), 'daily.0', archive);
    const bytes = readFileSync(file);
    for (let i = Math.floor(bytes.length / 2); i < Math.floor(bytes.length / 2) + 64; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(file, bytes);
    const before = treeSums(gens());

    const failed = await run(drillPb, { inventory: lab.inventory, extraVars: drillVars() });
    expect(failed.ok).toBe(false);
    const r = result(failed);
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(new RegExp(`^restore drill of ftp://backup@[\\d.]+:21/vz/vz1/daily\\.0/${archive.replace(/\./g, '\\.')} FAILED at restore: pct restore 9101 /var/lib/vz/dump/${archive.replace(/\./g, '\\.')} --storage vmdata failed \\(exit 255\\): .*unable to restore CT 9101.*; marked unverified in daily\\.0/${archive.replace(/\./g, '\\.')}\\.drill\\.json; scratch CT 9101 destroyed$`));
    const after = treeSums(gens());
    const record = `daily.0/${archive}.drill.json`;
    expect(Object.keys(after).filter((k) => after[k] !== before[k])).toEqual([record]);
    expect(Object.keys(before).filter((k) => !(k in after))).toEqual([]);
    expect(JSON.parse(readFileSync(join(gens(), record), 'utf8'))).toMatchObject({ archive, result: 'unverified', step: 'restore', node: 'pve1' });
    expect(await leftovers()).toBe('');
    // The older generation keeps its verified record and stays verified.
    const older = archiveOf('daily.1');
    const prev = await run(drillPb, { inventory: lab.inventory, extraVars: drillVars({ generation: 1 }) });
    expect(result(prev)).toMatchObject({ status: 'ok', changed: false });
    expect(result(prev).msg).toContain(`daily.1/${older} was verified by a restore drill on pve1`);
  });

  it('a generation the Proxmox node made of its own LXC container: restored into a scratch CT, started, checked, verified; a rerun changes nothing', async () => {
    const archive = archiveOf('daily.0', pveGens());
    expect(archive).toMatch(/^vzdump-lxc-201-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.tar\.gz$/);
    const v = drillVars({ source_node: 'pve1', ct: 201, target: 9102, check: 'test "$(cat /root/marker)" = marker-pve-201' });
    const first = await run(drillPb, { inventory: lab.inventory, extraVars: v });
    expect(first.ok).toBe(true);
    expect(result(first)).toMatchObject({ status: 'changed' });
    expect(result(first).msg).toBe(
      `daily.0/${archive} verified: restored into CT 9102 on pve1, started, \`test "$(cat /root/marker)" = marker-pve-201\` passed; scratch CT 9102 destroyed; recorded in daily.0/${archive}.drill.json`,
    );
    const rec = JSON.parse(readFileSync(join(pveGens(), 'daily.0', `${archive}.drill.json`), 'utf8'));
    expect(rec).toMatchObject({ archive, result: 'verified', node: 'pve1', vmid: 9102, bytes: readFileSync(join(pveGens(), 'daily.0', archive)).length });
    expect(readdirSync(join(pveGens(), 'daily.0')).sort()).toEqual([archive.replace(/\.tar\.gz$/, '.log'), archive, `${archive}.drill.json`, 'pct-list.log'].sort());
    expect(await leftovers()).toBe('');
    expect(await sh('pve1', 'pct status 201')).toBe('status: running\n'); // the original runs on

    const again = await run(drillPb, { inventory: lab.inventory, extraVars: v });
    expect(again.ok).toBe(true);
    expect(result(again)).toMatchObject({ status: 'ok', changed: false });
    expect(result(again).msg).toMatch(new RegExp(`^daily\\.0/${archive.replace(/\./g, '\\.')} was verified by a restore drill on pve1 at \\d{4}-`));
  });
});
