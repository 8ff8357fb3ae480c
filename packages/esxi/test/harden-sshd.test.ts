// The operator's story (lab 11): an sshd_config edit without persisting is lost at reboot;
// esxi-harden-sshd.ts sets what ESXi 8 manages through esxcli system ssh server config (esxh1,
// 8.0.1) and edits and persists the rest, everything on ESXi 7 (esxh2, 7.0.3), so the change
// survives; a rerun changes nothing and saves nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Lab } from '@shipshape/testlab';
import { playbook } from '@shipshape/core';
import { persistConfig } from '@shipshape/esxi';
import hardenPlaybook, { sshdLines } from '../../../playbooks/esxi-harden-sshd.js';
import { changedTasks, expectAllOk, hostFile, runPlaybook, sh, startEsxiLab } from './lab.js';

const HOSTS = ['esxh1', 'esxh2'];
const VARS = { sshd_lines: ['ClientAliveInterval 300', 'MaxAuthTries 3'] };
let lab: Lab;
const sshdConfig = (h: string) => hostFile(lab, h, 'etc/ssh/sshd_config');
const stateMtime = (h: string) => sh(lab, h, 'stat -c %Y.%s /bootbank/state.tgz; md5sum < /bootbank/state.tgz');

beforeAll(async () => {
  lab = await startEsxiLab(11, HOSTS);
  await sh(lab, 'esxh2', '/bin/sh /usr/lib/vmware/lab/setup.sh release 7.0.3 21930508 3');
  await lab.rebootHost('esxh2');
});
afterAll(async () => {
  await lab?.stop();
});

describe('esxi-harden-sshd.ts', () => {
  it('an edit that is not persisted is gone after a reboot', async () => {
    await sh(lab, 'esxh1', "sed -i 's/^PasswordAuthentication yes$/PasswordAuthentication no/' /etc/ssh/sshd_config");
    expect(sshdConfig('esxh1')).toContain('\nPasswordAuthentication no\n');
    await lab.rebootHost('esxh1');
    expect(sshdConfig('esxh1')).toContain('\nPasswordAuthentication yes\n');
    expect(sshdConfig('esxh1')).not.toContain('PasswordAuthentication no');
  });

  it('the playbook sets through esxcli where the host has it, edits and persists the rest, and it survives a reboot', async () => {
    expect((await lab.exec('esxh2', 'esxcli system ssh server config list')).stderr).toBe('Error: Unknown command or namespace system ssh server\n');
    const r = await runPlaybook(lab, hardenPlaybook, VARS);
    expectAllOk(r);
    const changed = (h: string) => r.results.filter((x) => x.host === h && x.result.changed);
    expect(changed('esxh1').map((x) => [x.task, x.result.msg])).toEqual([
      ['sshd: esxcli system ssh server config', 'esxcli sets clientaliveinterval, maxauthtries; left to sshd_config: PasswordAuthentication'],
      ['sshd: sshd_config lines', undefined],
      ['persist', 'saved current state in /bootbank: /etc/ssh/sshd_config'],
    ]);
    expect(changed('esxh2').map((x) => [x.task, x.result.msg])).toEqual([
      ['sshd: sshd_config lines', undefined],
      ['persist', 'saved current state in /bootbank: /etc/ssh/sshd_config'],
    ]);
    expect(await sh(lab, 'esxh1', 'esxcli system ssh server config list')).toMatch(/\nclientaliveinterval +300\n(.*\n)*maxauthtries +3\n/);
    for (const h of HOSTS) await lab.rebootHost(h);
    const esx8 = sshdConfig('esxh1');
    expect(esx8).toContain('\nPasswordAuthentication no\n');
    expect(esx8).toContain('\nclientaliveinterval 300\n');
    expect(esx8).not.toMatch(/ClientAliveInterval 200|PasswordAuthentication yes/);
    expect(esx8).toMatch(/\nmaxauthtries 3\n$/);
    const esx7 = sshdConfig('esxh2');
    expect(esx7).toContain('\nPasswordAuthentication no\n');
    expect(esx7).not.toContain('PasswordAuthentication yes');
    expect(esx7).toContain('\nClientAliveInterval 300\n');
    expect(esx7).not.toContain('ClientAliveInterval 200');
    expect(esx7).toMatch(/\nMaxAuthTries 3\n$/);
  });

  it('a rerun changes nothing and saves nothing', async () => {
    const before = await Promise.all(HOSTS.map(stateMtime));
    const r = await runPlaybook(lab, hardenPlaybook, VARS);
    expectAllOk(r);
    expect(changedTasks(r)).toEqual([]);
    expect(r.results.filter((x) => x.task === 'persist')).toEqual([]); // the handler was not notified
    expect(await Promise.all(HOSTS.map(stateMtime))).toEqual(before);
  });

  it('persistConfig reads state.tgz back: auto-backup.sh exits 0 when saving failed, the module does not', async () => {
    await sh(lab, 'esxh2', "echo 'MaxSessions 2' >> /etc/ssh/sshd_config && touch /var/lib/vmware-lab/bootbank-full");
    const before = await stateMtime('esxh2');
    const tool = await lab.exec('esxh2', '/sbin/auto-backup.sh');
    expect(tool.code).toBe(0);
    expect(tool.stdout).toContain('\nSaving current state in /bootbank\n');
    expect(tool.stderr).toBe('tar: write error: No space left on device\n');
    expect(await stateMtime('esxh2')).toEqual(before);
    const pb = playbook({ name: 'persist', hosts: 'esxh2', tasks: [persistConfig()] });
    const failed = await runPlaybook(lab, pb);
    expect(failed.failedHosts).toEqual(['esxh2']);
    expect(failed.results[0]!.result.msg).toBe(
      'esxh2: /sbin/auto-backup.sh exited 0 but /bootbank/state.tgz does not hold the current /etc/ssh/sshd_config: ' +
        'the save failed (it logs "Auto-Backup failed" to syslog)',
    );
    await sh(lab, 'esxh2', 'rm /var/lib/vmware-lab/bootbank-full');
    const saved = await runPlaybook(lab, pb);
    expectAllOk(saved);
    expect(changedTasks(saved)).toEqual(['esxh2 esxi.persistConfig: saved current state in /bootbank: /etc/ssh/sshd_config']);
    const again = await runPlaybook(lab, pb);
    expectAllOk(again);
    expect(changedTasks(again)).toEqual([]);
  });

  it('names a bad sshd_lines entry', () => {
    expect(() => sshdLines({ sshd_lines: ['MaxAuthTries 3', 'oops\nPermitRootLogin yes'] })).toThrow(
      'var sshd_lines[1]: expected a "Keyword value" line, got "oops\\nPermitRootLogin yes"',
    );
    expect(() => sshdLines({ sshd_lines: 'MaxAuthTries 3' })).toThrow('var sshd_lines must be a list');
  });
});
