// The operator's story (lab 11): an sshd_config edit without persisting is lost at reboot;
// esxi-harden-sshd.ts edits and persists, so the change survives; a rerun changes nothing and
// saves nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Lab } from '@shipshape/testlab';
import hardenPlaybook, { sshdLines } from '../../../playbooks/esxi-harden-sshd.js';
import { changedTasks, expectAllOk, hostFile, runPlaybook, sh, startEsxiLab } from './lab.js';

const HOSTS = ['esxh1', 'esxh2'];
const VARS = { sshd_lines: ['ClientAliveInterval 300', 'MaxAuthTries 3'] };
let lab: Lab;
const sshdConfig = (h: string) => hostFile(lab, h, 'etc/ssh/sshd_config');
const stateMtime = (h: string) => sh(lab, h, 'stat -c %Y.%s /bootbank/state.tgz; md5sum < /bootbank/state.tgz');

beforeAll(async () => {
  lab = await startEsxiLab(11, HOSTS);
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

  it('the playbook edits, persists once per host, and the change survives a reboot', async () => {
    const r = await runPlaybook(lab, hardenPlaybook, VARS);
    expectAllOk(r);
    for (const h of HOSTS) {
      const mine = r.results.filter((x) => x.host === h && x.result.changed);
      expect(mine.map((x) => x.task)).toEqual(['sshd: PasswordAuthentication no', 'sshd: lines from vars', 'persist']);
      expect(mine[2]!.result.msg).toBe('saved current state in /bootbank: /etc/ssh/sshd_config');
    }
    for (const h of HOSTS) await lab.rebootHost(h);
    for (const h of HOSTS) {
      const text = sshdConfig(h);
      expect(text).toContain('\nPasswordAuthentication no\n');
      expect(text).not.toContain('PasswordAuthentication yes');
      expect(text).toContain('\nClientAliveInterval 300\n');
      expect(text).not.toContain('ClientAliveInterval 200');
      expect(text).toMatch(/\nMaxAuthTries 3\n$/);
    }
  });

  it('a rerun changes nothing and saves nothing', async () => {
    const before = await Promise.all(HOSTS.map(stateMtime));
    const r = await runPlaybook(lab, hardenPlaybook, VARS);
    expectAllOk(r);
    expect(changedTasks(r)).toEqual([]);
    expect(r.results.filter((x) => x.task === 'persist')).toEqual([]); // the handler was not notified
    expect(await Promise.all(HOSTS.map(stateMtime))).toEqual(before);
  });

  it('names a bad sshd_lines entry', () => {
    expect(() => sshdLines({ sshd_lines: ['MaxAuthTries 3', 'oops\nPermitRootLogin yes'] })).toThrow(
      'var sshd_lines[1]: expected a "Keyword value" line, got "oops\\nPermitRootLogin yes"',
    );
    expect(() => sshdLines({ sshd_lines: 'MaxAuthTries 3' })).toThrow('var sshd_lines must be a list');
  });
});
