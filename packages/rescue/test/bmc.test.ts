// BMCs and the shared datastore of lab ESXi hosts (lab 180): the real ipmitool against each host's
// real ipmi_sim, the ipmi.power module (each state twice: the second run changes nothing), a power
// off that stops the host and releases its VM locks, and esxi.vm registering a VM of the shared
// datastore on one host while the other cannot power it on.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { playbook, run, staticInventory, type RunSummary, type Task } from '@shipshape/core';
import { vm } from '@shipshape/esxi';
import { startLab, type Lab } from '@shipshape/testlab';
import { chassisPowerStatus, ipmiPower } from '@shipshape/rescue';
import { makeVm, tcpState } from './lab.js';

let lab: Lab;
const play = (hosts: string, ...tasks: Task[]) => run(playbook({ name: 'p', hosts, tasks }), { inventory: lab.inventory });
/**
 * ipmitool runs on the controller, and a host that is off cannot be connected to: BMC plays take the
 * hosts with a local connection (Ansible's `ansible_connection=local`), their vars (bmc_*) as they are.
 */
const bmcPlay = (hosts: string, task: Task, vars = {}) => run(playbook({ name: 'bmc', hosts, vars, tasks: [task] }), {
  inventory: staticInventory(lab.entries().map((e) => ({ ...e.spec, connection: { type: 'local' as const, host: 'localhost' } }))),
});
const changed = (s: RunSummary) => s.results.filter((r) => r.result.changed).map((r) => `${r.host}: ${r.result.msg}`);
const failed = (s: RunSummary) => s.results.filter((r) => r.result.status === 'failed').map((r) => `${r.host}: ${r.result.msg}`);
const bmcOf = (name: string) => ({ host: name, ...lab.hosts.find((h) => h.name === name)!.bmc! });

beforeAll(async () => {
  lab = await startLab({ id: 180, hosts: [{ name: 'esx1', profile: 'esxi' }, { name: 'esx2', profile: 'esxi' }] });
  await makeVm(lab, 'esx1', 'mgmt');
});
afterAll(async () => lab?.stop());

describe('the shared datastore', () => {
  it('esxi.vm registers and powers on a VM of the shared datastore; the other host cannot power it on while the first runs it', async () => {
    const up = vm({ name: 'mgmt', state: 'running', vmx: '/vmfs/volumes/shared/mgmt/mgmt.vmx' });
    const first = await play('esx1', up);
    expect(failed(first)).toEqual([]);
    expect(changed(first)).toEqual(['esx1: registered mgmt (vmid 1), powered on mgmt']);
    expect(changed(await play('esx1', up))).toEqual([]);
    const elsewhere = await play('esx2', up);
    expect(failed(elsewhere)).toEqual([expect.stringMatching(/^esx2: esx2: vim-cmd vmsvc\/power.on 1 failed \(rc=1\): \(vim.fault.FileLocked\)[\s\S]*Failed to lock the file/)]);
    // Registered there now, powered off: absent unregisters it, once.
    const gone = vm({ name: 'mgmt', state: 'absent' });
    expect(changed(await play('esx2', gone))).toEqual(['esx2: unregistered mgmt']);
    expect(changed(await play('esx2', gone))).toEqual([]);
    expect((await lab.exec('esx1', 'vim-cmd vmsvc/power.getstate 1')).stdout).toBe('Retrieved runtime info\nPowered on\n');
  });
});

describe('ipmi.power over the real ipmitool and ipmi_sim', () => {
  it('reads the state without changing it', async () => {
    const r = await bmcPlay('esx1', ipmiPower({}));
    expect(failed(r)).toEqual([]);
    expect(r.results[0]!.result).toMatchObject({ changed: false, msg: 'chassis power is on', data: { power: 'on' } });
  });

  it('off stops the host (sshd refuses) and releases its VM locks; again changes nothing; on boots it', async () => {
    const off = await bmcPlay('esx1', ipmiPower({ state: 'off' }));
    expect(changed(off)).toEqual(['esx1: Chassis Power Control: Down/Off; chassis power is off']);
    expect(await chassisPowerStatus(bmcOf('esx1'))).toBe('off');
    expect(await tcpState(lab.hosts[0]!)).toBe('ECONNREFUSED');
    expect((await lab.exec('esx1', 'ls -A /vmfs/volumes/shared/mgmt')).stdout).toBe('mgmt.vmx\n');
    const again = await bmcPlay('esx1', ipmiPower({ state: 'off' }));
    expect([again.ok, changed(again)]).toEqual([true, []]);
    // The VM is free: esx2 registers and runs it.
    expect(changed(await play('esx2', vm({ name: 'mgmt', state: 'running', vmx: '[shared] mgmt/mgmt.vmx' })))).toEqual(['esx2: registered mgmt (vmid 1), powered on mgmt']);
    const boots = lab.bootCount('esx1');
    const on = await bmcPlay('esx1', ipmiPower({ state: 'on' }));
    expect([on.unreachableHosts, failed(on)]).toEqual([[], []]);
    expect(changed(on)).toEqual(['esx1: Chassis Power Control: Up/On; chassis power is on']);
    await lab.waitBooted('esx1', boots);
    const onAgain = await bmcPlay('esx1', ipmiPower({ state: 'on' }));
    expect([onAgain.ok, changed(onAgain)]).toEqual([true, []]);
    // Booted with its VMs off: the VM stays esx2's.
    expect((await lab.exec('esx1', 'vim-cmd vmsvc/power.getstate 1')).stdout).toBe('Retrieved runtime info\nPowered off\n');
    expect((await lab.exec('esx2', 'cat /vmfs/volumes/shared/mgmt/.lab-lock')).stdout).toBe('esx2\n');
  });

  it('a wrong password and an unreachable BMC fail with ipmitool\'s words; the password is never shown', async () => {
    const secret = lab.hosts[1]!.bmc!.password;
    const wrong = await bmcPlay('esx2', ipmiPower({ state: 'off' }), { bmc_password: 'not-the-password' });
    expect(failed(wrong)).toEqual([expect.stringContaining('esx2: BMC 127.77.180.2: ipmitool chassis power status failed (rc=1): "Error: Unable to establish IPMI v2 / RMCP+ session"')]);
    lab.setBmcReachable('esx2', false);
    try {
      const unreachable = await bmcPlay('esx2', ipmiPower({ state: 'off' }));
      expect(failed(unreachable)).toEqual([expect.stringContaining('Unable to establish IPMI v2 / RMCP+ session')]);
      expect(JSON.stringify(unreachable)).not.toContain(secret);
    } finally {
      lab.setBmcReachable('esx2', true);
    }
    expect(await chassisPowerStatus(bmcOf('esx2'))).toBe('on');
  });
});
