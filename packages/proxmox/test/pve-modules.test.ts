// The Proxmox VE simulators of the `proxmox` lab profile (pct, qm, pveam, pvesm, pveversion) read
// through the facts over real SSH, and proxmox.container / proxmox.vm driving them: create, one
// key changed (only that key reaches pct/qm set), resize, stop, destroy; every step run twice.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { playbook, run, task, type RunSummary, type Task } from '@shipshape/core';
import {
  container, nodesFact, pctConfigFact, pctListFact, pveamListFact, pveversionFact, qmListFact, storagesFact, vm,
} from '@shipshape/proxmox';
import { startLab, type Lab } from '@shipshape/testlab';

const TEMPLATE = 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst';
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ id: 45, hosts: [{ name: 'pve1', profile: 'proxmox' }] });
  await sh('pveam update >/dev/null && pveam download local debian-12-standard_12.7-1_amd64.tar.zst >/dev/null');
}, 120_000);
afterAll(async () => {
  await lab?.stop();
});

async function sh(text: string): Promise<string> {
  const r = await lab.exec('pve1', text);
  if (r.code !== 0) throw new Error(`${text}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}
const play = (...tasks: Task[]) => run(playbook({ name: 'pve', hosts: 'pve1', tasks }), { inventory: lab.inventory });
const changed = (s: RunSummary) => s.stats.pve1!.changed;
/** Run a task twice: the first run changes, the second changes nothing. */
async function twice(t: () => Task): Promise<RunSummary> {
  const first = await play(t());
  expect(first.results.map((r) => r.result.msg)).toEqual(expect.any(Array));
  expect(first.ok).toBe(true);
  expect(changed(first)).toBe(1);
  const second = await play(t());
  expect(second.ok).toBe(true);
  expect(changed(second)).toBe(0);
  return first;
}

describe('facts over SSH from the simulated tools', () => {
  it('pveversion, nodes, storages with content types, templates', async () => {
    let got: unknown[] = [];
    await play(task('facts', async (h) => {
      got = [await h.fact(pveversionFact, undefined), await h.fact(nodesFact, undefined), await h.fact(storagesFact, undefined), await h.fact(pveamListFact, 'local')];
    }));
    const [ver, nodes, storages, templates] = got as [{ manager: string; kernel: string }, unknown, { id: string; content: string[]; status: string }[], unknown];
    expect(ver.manager).toBe('8.2.4');
    expect(ver.kernel).toBe((await sh('uname -r')).trim());
    expect(nodes).toEqual({ local: 'pve1', nodes: ['pve1'] });
    expect(storages.map((s) => `${s.id}:${s.status}:${s.content.join(',')}`)).toEqual(['local:active:backup,iso,vztmpl', 'vmdata:active:images,rootdir']);
    expect(templates).toEqual([{ volid: TEMPLATE, file: 'debian-12-standard_12.7-1_amd64.tar.zst', sizeMb: expect.any(Number) }]);
  });

  it('the simulators answer errors as PVE does: message on stderr, exit 255', async () => {
    const r = await lab.exec('pve1', 'pct start 555; echo "rc=$?"; pct create 556 local:vztmpl/none.tar.gz; echo "rc=$?"; pveam list vmdata; echo "rc=$?"');
    expect(r.stdout).toBe('rc=255\nrc=255\nrc=255\n');
    expect(r.stderr).toBe("Configuration file 'nodes/pve1/lxc/555.conf' does not exist\nvolume 'local:vztmpl/none.tar.gz' does not exist\nStorage does not support templates!\n");
    expect(await sh('pct list; qm list')).toBe(''); // nothing at all without guests
  });
});

describe('proxmox.container', () => {
  const web = {
    vmid: 101, ostemplate: TEMPLATE, storage: 'vmdata', size: '2G', hostname: 'web1', memory: 256, swap: 256, cores: 1,
    net0: { bridge: 'vmbr0', ip: '10.0.0.5/24', gw: '10.0.0.1' }, nameserver: ['10.0.0.1'], onboot: true, unprivileged: true,
    features: { nesting: true }, state: 'running' as const,
  };

  it('creates from the template and starts: a real chroot running its init; twice', async () => {
    await twice(() => container(web));
    expect(await sh('pct list')).toBe('VMID       Status     Lock         Name                \n101        running                 web1                \n');
    const conf = await sh('pct config 101');
    expect(conf).toMatch(/^arch: amd64\ncores: 1\nfeatures: nesting=1\nhostname: web1\nmemory: 256\nnameserver: 10\.0\.0\.1\nnet0: name=eth0,bridge=vmbr0,gw=10\.0\.0\.1,hwaddr=BC:24:11:[0-9A-F:]{8},ip=10\.0\.0\.5\/24,type=veth\nonboot: 1\nostype: debian\nrootfs: vmdata:101\/subvol-101-disk-0\.subvol,size=2G\nswap: 256\nunprivileged: 1\n$/);
    // pct exec runs inside the container: its own files, hostname and resolv.conf.
    expect(await sh('pct exec 101 -- cat /etc/os-release | grep ^ID=; pct exec 101 -- hostname; pct exec 101 -- cat /etc/resolv.conf')).toBe('ID=debian\nweb1\nnameserver 10.0.0.1\n');
    expect((await lab.exec('pve1', 'pct exec 101 -- sh -c "exit 7"')).code).toBe(7);
  });

  it('one key changed: only that key is set (the NIC keeps its MAC); twice', async () => {
    const before = await sh('pct config 101');
    const first = await twice(() => container({ ...web, memory: 512 }));
    expect(first.results[0]!.result.msg).toBe('CT 101: set --memory');
    expect(first.results[0]!.result.data).toMatchObject({ commands: ['pct set 101 --memory 512'] });
    expect(await sh('pct config 101')).toBe(before.replace('memory: 256\n', 'memory: 512\n'));
  });

  it('grows the root fs with pct resize, refuses to shrink; twice', async () => {
    await twice(() => container({ ...web, memory: 512, size: '3G' }));
    expect(await sh('pct config 101 | grep ^rootfs')).toBe('rootfs: vmdata:101/subvol-101-disk-0.subvol,size=3G\n');
    const s = await play(container({ ...web, memory: 512, size: '1G' }));
    expect(s.ok).toBe(false);
    expect(s.results[0]!.result.msg).toBe('CT 101: rootfs is 3G, cannot shrink it to 1G (pct: unable to shrink disk size)');
  });

  it('stops; twice', async () => {
    await twice(() => container({ vmid: 101, state: 'stopped', timeout: 10 }));
    expect(await sh('pct status 101')).toBe('status: stopped\n');
    expect(await sh('ps -eo args | grep -c "^/bin/sh /sbin/init" || true')).toBe('0\n');
  });

  it('destroys only with force or purge stated; twice', async () => {
    await sh('pct start 101');
    const refused = await play(container({ vmid: 101, state: 'absent' }));
    expect(refused.ok).toBe(false);
    expect(refused.results[0]!.result.msg).toBe('CT 101 exists: destroying it needs force: true (stops it if running) or purge: true');
    await twice(() => container({ vmid: 101, state: 'absent', force: true }));
    expect(await sh('pct list; ls /var/lib/vmdata/images')).toBe('');
  });
});

describe('proxmox.vm', () => {
  const db = { vmid: 110, name: 'db1', memory: 1024, cores: 1, net0: 'virtio,bridge=vmbr0', disk: { slot: 'scsi0', storage: 'vmdata', size: '4G' }, state: 'running' as const };

  it('creates and starts; one key changed with only that qm set; disk grown; twice each', async () => {
    await twice(() => vm(db));
    expect(await sh('qm list')).toMatch(/^ {6}VMID NAME {17}STATUS {5}MEM\(MB\) {4}BOOTDISK\(GB\) PID {7}\n {7}110 db1 {18}running {4}1024 {15}4\.00 [1-9]\d* *\n$/);
    expect(await sh('stat -c %s /var/lib/vmdata/images/110/vm-110-disk-0.raw')).toBe(`${4 * 1024 ** 3}\n`);
    const before = await sh('qm config 110');
    await twice(() => vm({ ...db, cores: 2 }));
    expect(await sh('qm config 110')).toBe(before.replace(/^memory:/m, 'cores: 2\nmemory:').replace('cores: 2\ncores: 1\n', 'cores: 2\n'));
    await twice(() => vm({ ...db, cores: 2, disk: { ...db.disk, size: 6 } }));
    expect(await sh('stat -c %s /var/lib/vmdata/images/110/vm-110-disk-0.raw; qm config 110 | grep ^scsi0')).toBe(`${6 * 1024 ** 3}\nscsi0: vmdata:110/vm-110-disk-0.raw,size=6G\n`);
  });

  it('shutdown: a guest ignoring ACPI fails after the timeout unless forceStop; twice', async () => {
    await sh('touch /etc/pve-sim/ignore-acpi/110');
    const stuck = await play(vm({ vmid: 110, state: 'stopped', timeout: 1 }));
    expect(stuck.ok).toBe(false);
    expect(stuck.results[0]!.result.msg).toContain('VM quit/powerdown failed - got timeout');
    await twice(() => vm({ vmid: 110, state: 'stopped', timeout: 1, forceStop: true }));
    expect(await sh('qm status 110')).toBe('status: stopped\n');
  });

  it('destroys only with force or purge; twice', async () => {
    await sh('rm /etc/pve-sim/ignore-acpi/110 && qm start 110');
    expect((await play(vm({ vmid: 110, state: 'absent', purge: true }))).results[0]!.result.msg).toBe('VM 110 is running: give force: true to stop and destroy it');
    await twice(() => vm({ vmid: 110, state: 'absent', force: true, purge: true }));
    expect(await sh('qm list; ls /var/lib/vmdata/images')).toBe('');
  });
});
