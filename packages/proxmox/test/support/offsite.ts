// playbooks/vzdump-offsite.ts against one node of a lab whose first host is the NAS `nas1`: the
// node's generations and dump directory, the playbook's vars and runs, and the steps every kind
// of node goes through the same way (the first night, a rerun the same night).
import { expect } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { run, type RunSummary, type TaskResult } from '@shipshape/core';
import type { Lab } from '@shipshape/testlab';
import pb from '../../../../playbooks/vzdump-offsite.js';
import { entries, nasDir, nasPassword, treeSums } from '../../../storage/test/support/nas.js';

export function offsiteOn(lab: () => Lab, node: string) {
  const gensDir = () => nasDir(lab(), 'nas1', `vz/${node}`);
  const dumpDir = () => join(lab().hosts.find((h) => h.name === node)!.root, 'var/lib/vz/dump');
  const vars = () => ({ nas_host: lab().hosts[0]!.address, nas_password: nasPassword(lab(), 'nas1'), nas_path: '/vz', keep: 3, min_interval_hours: 0 });
  const result = (s: RunSummary): TaskResult => s.results.find((r) => r.host === node)!.result;
  const runPb = (extra: Record<string, unknown> = {}, check = false) => run(pb, { inventory: lab().inventory, extraVars: { ...vars(), ...extra }, check });
  /** A generation's files, archives and logs as `<ctid>:<kind>`, sorted. */
  const contents = (gen: string) =>
    readdirSync(join(gensDir(), gen)).map((n) => {
      const m = /^vzdump-(?:openvz|lxc)-(\d+)-[\d_-]+\.(tar\.gz|tgz|log)$/.exec(n);
      return m ? `${m[1]}:${m[2]}` : n;
    }).sort();

  /** Check mode names the running CTs 101 and 103 and changes nothing; then the run dumps both and ships 5 files as daily.0, no local dump left. */
  async function firstNight(): Promise<TaskResult> {
    const dry = await runPb({}, true);
    expect(result(dry)).toMatchObject({ status: 'changed', msg: 'dump CT 101, 103 and ship to daily.0 (keep 3)' });
    expect(entries(gensDir())).toEqual([]);
    expect(entries(dumpDir())).toEqual([]);
    const s = await runPb();
    expect(s.ok).toBe(true);
    const r = result(s);
    expect(r.status).toBe('changed');
    expect(r.msg).toMatch(/^dumped CT 101 \([\d.]+ MiB\), 103 \([\d.]+ MiB\); shipped 5 file\(s\), [\d.]+ MiB, verified by checksum, as daily\.0 \(1 generation\(s\) kept\)$/);
    expect(entries(gensDir())).toEqual(['daily.0']);
    expect(entries(dumpDir())).toEqual([]);
    return r;
  }

  /** With min_interval_hours 12 a rerun changes nothing: twice, and in check mode; the NAS is as it was. */
  async function sameNight(): Promise<void> {
    const before = treeSums(gensDir());
    for (const check of [false, false, true]) {
      const s = await runPb({ min_interval_hours: 12 }, check);
      expect(s.ok).toBe(true);
      expect(result(s)).toMatchObject({ status: 'ok', changed: false });
      expect(result(s).msg).toMatch(/^daily\.0 holds dumps from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \([\d.]+ h ago, less than 12 h\): no new generation$/);
    }
    expect(treeSums(gensDir())).toEqual(before);
    expect(entries(dumpDir())).toEqual([]);
  }

  return { gensDir, dumpDir, vars, result, runPb, contents, firstNight, sameNight };
}
