import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { useLab } from '../support/lab.js';
import { cli, FIX } from '../support/cli.js';

const lab = useLab({ id: 149, hosts: 1 });

const recap = (out: string, host: string) => new RegExp(`^${host} +: (.*\\S)\\s*$`, 'm').exec(out)?.[1]?.split(/\s+/);

describe('failure output', () => {
  it('shows rc, stdout and stderr as Ansible does, labels loop items, and counts as ansible-playbook 2.14', () => {
    const host = lab.hosts[0]!.name;
    const r = cli(['run', `${FIX}/failures/site.ts`, '-i', lab.inventoryPath]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^fatal: \[/m);
    const fatal = /^fatal: \[(\S+)\]: FAILED! => (\{.*\})$/m.exec(r.out.split('TASK [fails]')[1]!)!;
    expect(fatal[1]).toBe(host);
    expect(JSON.parse(fatal[2]!)).toMatchObject({ rc: 4, stderr: 'no such file: /etc/app.conf', stderr_lines: ['no such file: /etc/app.conf'], stdout: '' });
    expect(r.out).toMatch(/^fatal: \[\S+\]: FAILED! => \{.*"rc": 2, "stderr": "err".*"stdout": "out".*\}\n\.\.\.ignoring$/m);
    expect(r.out).toMatch(new RegExp(`^changed: \\[${host}\\] => \\(item=a\\)\\nchanged: \\[${host}\\] => \\(item=b\\)$`, 'm'));
    expect(r.out).toMatch(new RegExp(`^failed: \\[${host}\\] \\(item=3\\) => \\{"ansible_loop_var": "item", "changed": true, "item": 3, .*"rc": 3.*\\}\\n\\.\\.\\.ignoring$`, 'm'));

    const ansible = spawnSync('ansible-playbook', ['-i', lab.inventoryPath, `${FIX}/failures/site.yml`], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
    expect(ansible.status).toBe(2);
    expect(recap(ansible.stdout, host)).toEqual(['ok=4', 'changed=3', 'unreachable=0', 'failed=1', 'skipped=0', 'rescued=1', 'ignored=2']);
    expect(recap(r.out, host)).toEqual(recap(ansible.stdout, host));
  });

  it('--json carries the same fields, per-item results, plays and times', () => {
    const r = cli(['run', `${FIX}/failures/site.ts`, '-i', lab.inventoryPath, '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out);
    expect(doc.plays).toEqual([expect.objectContaining({ name: 'failures', hosts: [lab.hosts[0]!.name], start: expect.any(String), end: expect.any(String) })]);
    const byTask = (name: string) => doc.results.find((x: { task: string }) => x.task === name);
    expect(byTask('fails')).toMatchObject({ status: 'failed', play: 'failures', rc: 4, stdout: '', stderr: 'no such file: /etc/app.conf' });
    expect(byTask('fail cmd')).toMatchObject({ status: 'failed', ignored: true, rc: 2, stdout: 'out', stderr: 'err' });
    expect(byTask('loop fail').items.map((x: { item: number; status: string; rc: number }) => [x.item, x.status, x.rc])).toEqual([[0, 'changed', 0], [3, 'failed', 3]]);
    const t = byTask('fails');
    expect(Date.parse(t.end)).toBeGreaterThanOrEqual(Date.parse(t.start));
    expect(doc.stats[lab.hosts[0]!.name]).toEqual({ ok: 4, changed: 3, unreachable: 0, failed: 1, skipped: 0, rescued: 1, ignored: 2 });
  });

  it('prints debug results, banners and the recap line byte for byte as ansible-playbook 2.14 does', () => {
    const r = cli(['run', `${FIX}/debug/site.ts`, '-i', lab.inventoryPath]);
    const ansible = spawnSync('ansible-playbook', ['-i', lab.inventoryPath, `${FIX}/debug/site.yml`], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
    expect([r.code, ansible.status]).toEqual([0, 0]);
    // Everything up to the recap's last host line: ours adds a wall-time line after it.
    const upToRecap = (out: string) => out.slice(0, out.indexOf('\n', out.indexOf(`${lab.hosts[0]!.name} `, out.indexOf('PLAY RECAP'))));
    expect(upToRecap(r.out)).toBe(upToRecap(ansible.stdout));
  });

  it("escapes a host's control characters: no title change, no fake coloured line", () => {
    const r = cli(['run', `${FIX}/escapes.ts`, '-i', lab.inventoryPath, '-vv'], { FORCE_COLOR: '0' });
    expect(r.code).toBe(2);
    expect(r.out).toContain('\\x1b]0;pwned\\x07\\x0d\\x1b[32mok: [fake]');
    expect(r.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
