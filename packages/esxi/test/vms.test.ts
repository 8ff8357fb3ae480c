// Registered VMs on a lab ESXi host (lab 14): vim-cmd vmsvc/* keep real state on the datastore,
// maintenance mode waits for running VMs, restoreConfig refuses while VMs run unless told to
// stop them and powers on again exactly those it stopped; the esxi.vm module.
import { describe, expect, it } from '@jest/globals';
import { playbook, run, type RunEvent } from '@shipshape/core';
import { backupConfig, restoreConfig, vm } from '@shipshape/esxi';
import { changedTasks, expectAllOk, runPlaybook, sh, startEsxiLab } from './lab.js';
import { tempDir, useLab } from '../../../test/support/lab.js';

const HOST = 'esxvm';
const lab = useLab(() => startEsxiLab(14, [HOST]));
const dest = tempDir('esxi-vms-');
const power = async (id: number) => (await sh(lab, HOST, `vim-cmd vmsvc/power.getstate ${id}`)).split('\n')[1];

/** A VM directory on datastore1 with its .vmx, registered; `shutdown` = lab.guestShutdownSeconds. */
async function makeVm(name: string, shutdown: string): Promise<number> {
  const dir = `/vmfs/volumes/datastore1/${name}`;
  const vmx = `displayName = "${name}"\nguestOS = "debian10-64"\nvirtualHW.version = "14"\nlab.guestShutdownSeconds = "${shutdown}"\n`;
  await sh(lab, HOST, `mkdir -p ${dir} && printf '%s' '${vmx}' > ${dir}/${name}.vmx`);
  return Number((await sh(lab, HOST, `vim-cmd solo/registervm ${dir}/${name}.vmx`)).trim());
}

describe('VMs in the simulator', () => {
  it('getallvms lists registered VMs, power state is kept on the datastore, maintenance mode waits for running VMs', async () => {
    expect(await makeVm('web1', '1')).toBe(1);
    expect(await makeVm('hung', 'never')).toBe(2);
    expect(await makeVm('idle', '1')).toBe(3);
    const list = await sh(lab, HOST, 'vim-cmd vmsvc/getallvms');
    expect(list).toMatch(/^Vmid\s+Name\s+File\s+Guest OS\s+Version\s+Annotation\n1\s+web1\s+\[datastore1\] web1\/web1\.vmx\s+debian10-64\s+vmx-14\s*\n/);
    await sh(lab, HOST, 'vim-cmd vmsvc/power.on 1 && vim-cmd vmsvc/power.on 2');
    expect(await power(1)).toBe('Powered on');
    expect(await sh(lab, HOST, 'cat /vmfs/volumes/datastore1/web1/.lab-lock')).toBe(`${HOST}\n`);
    const on = await lab.exec(HOST, 'vim-cmd vmsvc/power.on 1');
    expect([on.code, on.stderr]).toEqual([1, expect.stringContaining('(vim.fault.InvalidPowerState)')]);
    const mm = await lab.exec(HOST, 'esxcli system maintenanceMode set --enable true');
    expect(mm.code).toBe(1);
    expect(mm.stderr).toContain('powered on virtual machines must be powered off or migrated first');
    expect(await sh(lab, HOST, 'esxcli system maintenanceMode get')).toBe('Disabled\n');
  });
});

describe('restoreConfig with running VMs', () => {
  it('refuses before maintenance mode, naming the running VMs', async () => {
    expectAllOk(await runPlaybook(lab, playbook({ name: 'b', hosts: HOST, tasks: [backupConfig({ dest })] })));
    await sh(lab, HOST, "echo 'MaxSessions 8' >> /etc/ssh/sshd_config && /sbin/auto-backup.sh >/dev/null");
    const commands: string[] = [];
    const pb = playbook({ name: 'r', hosts: HOST, tasks: [restoreConfig({ src: dest, rebootTimeoutSeconds: 60 })] });
    const r = await run(pb, { inventory: lab.inventory, onEvent: (e: RunEvent) => void (e.type === 'command' && /maintenanceMode set|power\.(on|off|shutdown)|restore_config/.test(e.command) && commands.push(e.command)) });
    expect(r.failedHosts).toEqual([HOST]);
    expect(r.results[0]!.result.msg).toBe(
      `${HOST}: VMs are running (web1, hung): maintenance mode waits for them to be powered off; ` +
        'set stopVms: true to shut them down (guest shutdown, then power off) and power them on after the restore',
    );
    expect(commands).toEqual([]);
    expect([await power(1), await power(2)]).toEqual(['Powered on', 'Powered on']);
  });

  it('with stopVms: guest shutdown, power off after the timeout, restore, and exactly the stopped VMs on again', async () => {
    const commands: string[] = [];
    const pb = playbook({ name: 'r', hosts: HOST, tasks: [restoreConfig({ src: dest, stopVms: true, vmShutdownTimeoutSeconds: 3, rebootTimeoutSeconds: 60 })] });
    const r = await run(pb, { inventory: lab.inventory, onEvent: (e: RunEvent) => void (e.type === 'command' && commands.push(e.command)) });
    expectAllOk(r);
    expect(r.results[0]!.result.msg).toMatch(/; web1 shut down, hung powered off, powered on again$/);
    expect(commands.filter((c) => /power\.(shutdown|off|on) /.test(c)).map((c) => c.replace(/^.*vim-cmd /, ''))).toEqual([
      'vmsvc/power.shutdown 1', 'vmsvc/power.shutdown 2', 'vmsvc/power.off 2', 'vmsvc/power.on 1', 'vmsvc/power.on 2',
    ]);
    expect(await sh(lab, HOST, 'cat /etc/ssh/sshd_config')).not.toContain('MaxSessions 8');
    expect([await power(1), await power(2), await power(3)]).toEqual(['Powered on', 'Powered on', 'Powered off']);
    expect(await sh(lab, HOST, 'esxcli system maintenanceMode get')).toBe('Disabled\n');
  });
});

describe('esxi.vm', () => {
  it('stops and starts a VM, each twice: the second run changes nothing', async () => {
    for (const state of ['stopped', 'running'] as const) {
      const pb = playbook({ name: 'vm', hosts: HOST, tasks: [vm({ name: 'web1', state, shutdownTimeoutSeconds: 5 })] });
      const first = await runPlaybook(lab, pb);
      expectAllOk(first);
      expect(changedTasks(first)).toEqual([`${HOST} esxi.vm: ${state === 'stopped' ? 'web1 shut down' : 'powered on web1'}`]);
      expect(await power(1)).toBe(state === 'stopped' ? 'Powered off' : 'Powered on');
      const again = await runPlaybook(lab, pb);
      expectAllOk(again);
      expect(changedTasks(again)).toEqual([]);
    }
  });
});
