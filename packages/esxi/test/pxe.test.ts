// A PXE-booted ESXi host (no /bootbank) in the same play as normal ones (lab 13): persistConfig
// fails on it with a clear message, the other hosts save and go on to the next task.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { playbook, task } from '@shipshape/core';
import { bootbankFact, persistConfig } from '@shipshape/esxi';
import type { Lab } from '@shipshape/testlab';
import { changedTasks, makePxe, runPlaybook, sh, startEsxiLab } from './lab.js';

let lab: Lab;

beforeAll(async () => {
  lab = await startEsxiLab(13, ['esxa', 'pxe1', 'esxb']);
  await makePxe(lab, 'pxe1');
});
afterAll(async () => {
  await lab?.stop();
});

describe('persistConfig on a PXE-booted host', () => {
  it('the PXE host has no /bootbank and auto-backup.sh exits 1 there', async () => {
    expect((await lab.exec('pxe1', '[ -e /bootbank ]')).code).toBe(1);
    expect((await lab.exec('pxe1', '/sbin/auto-backup.sh')).code).toBe(1);
  });

  it('fails clearly on the PXE host and the run goes on for the others', async () => {
    for (const h of ['esxa', 'pxe1', 'esxb']) await sh(lab, h, "echo 'MaxSessions 5' >> /etc/ssh/sshd_config");
    const pb = playbook({
      name: 'persist',
      hosts: 'esxi',
      tasks: [
        persistConfig({}, { name: 'persist' }),
        task('bootbank fact', async (h) => ({ changed: false, data: { bootbank: await h.fact(bootbankFact, undefined) } })),
      ],
    });
    const r = await runPlaybook(lab, pb);
    expect(r.failedHosts).toEqual(['pxe1']);
    const pxe = r.results.find((x) => x.host === 'pxe1' && x.task === 'persist')!.result;
    expect(pxe.status).toBe('failed');
    expect(pxe.msg).toBe(
      'pxe1: cannot persist configuration: the host has no /bootbank (PXE-booted, stateless); /etc changes on it last only until the next reboot',
    );
    expect(changedTasks(r).sort()).toEqual([
      'esxa persist: saved current state in /bootbank: /etc/ssh/sshd_config',
      'esxb persist: saved current state in /bootbank: /etc/ssh/sshd_config',
    ]);
    expect(r.results.filter((x) => x.task === 'bootbank fact').map((x) => x.host).sort()).toEqual(['esxa', 'esxb']);
    // Again: nothing differs on the others (ok, no save); the PXE host fails the same way.
    const again = await runPlaybook(lab, pb);
    expect(again.failedHosts).toEqual(['pxe1']);
    expect(changedTasks(again)).toEqual([]);
    expect(again.results.filter((x) => x.task === 'persist' && x.host !== 'pxe1').map((x) => x.result.msg)).toEqual([
      'nothing differed from /bootbank/state.tgz', 'nothing differed from /bootbank/state.tgz',
    ]);
    // Saved on the others: a reboot keeps the edit there and drops it on the PXE host.
    for (const h of ['esxa', 'pxe1']) await lab.rebootHost(h);
    expect(await sh(lab, 'esxa', 'grep -c "MaxSessions 5" /etc/ssh/sshd_config')).toBe('1\n');
    expect((await lab.exec('pxe1', 'grep "MaxSessions 5" /etc/ssh/sshd_config')).code).toBe(1);
  });
});
