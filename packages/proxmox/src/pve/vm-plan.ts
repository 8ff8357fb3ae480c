/** Pure planning for {@link vm} (`proxmox.vm`): wanted settings vs `qm config` and `qm status`. */
import { ArgumentError, cmd, changes, failure, noChange, type Change, type Plan } from '@shipshape/core';
import { z } from 'zod';
import type { GuestState } from './facts.js';
import { parseProps, sizeArg, sizeBytes, sizeText } from './props.js';

const MODELS = ['virtio', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3'] as const;
const SLOT = /^(scsi|virtio|sata|ide)\d+$/;

export const vmSchema = z
  .object({
    /** The VM's id (100 … 999999999). */
    vmid: z.number().int().min(100).max(999999999).describe('The VM\'s id (100 … 999999999).'),
    /** running, stopped, present (exists, left as it is) or absent (destroyed only with force or purge). @default 'running' */
    state: z.enum(['present', 'running', 'stopped', 'absent']).default('running').describe('running, stopped, present (exists, left as it is) or absent (destroyed only with force or purge).'),
    /** The VM's name (qm --name). */
    name: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'expected a DNS name').optional().describe('The VM\'s name (qm --name).'),
    /** MiB (PVE's default 512). */
    memory: z.number().int().min(16).optional().describe('MiB (PVE\'s default 512).'),
    /** Cores per socket (qm --cores; default 1). */
    cores: z.number().int().min(1).optional().describe('Cores per socket (qm --cores; default 1).'),
    /** CPU sockets (qm --sockets; default 1). */
    sockets: z.number().int().min(1).optional().describe('CPU sockets (qm --sockets; default 1).'),
    /** `l26`, `win11`, `other`, ... */
    ostype: z.string().regex(/^[a-z0-9]+$/).optional().describe('`l26`, `win11`, `other`, ...'),
    /** Start at boot (qm --onboot). */
    onboot: z.boolean().optional().describe('Start at boot (qm --onboot).'),
    /** `virtio-scsi-single`, `virtio-scsi-pci`, `lsi`, ... */
    scsihw: z.string().regex(/^[a-z0-9-]+$/).optional().describe('`virtio-scsi-single`, `virtio-scsi-pci`, `lsi`, ...'),
    /** First NIC: `virtio,bridge=vmbr0` or its fields (the MAC PVE generated is kept). */
    net0: z.union([
      z.string().regex(/^[a-z0-9]+(=[0-9A-Fa-f:]{17})?(,[a-z]+=[^,\s]+)*$/, 'a property string such as virtio,bridge=vmbr0'),
      z.object({ model: z.enum(MODELS).default('virtio'), bridge: z.string().regex(/^[A-Za-z0-9_.-]+$/), firewall: z.boolean().optional(), tag: z.number().int().min(1).max(4094).optional() }).strict(),
    ]).optional().describe('First NIC: virtio,bridge=vmbr0 or { model, bridge, firewall, tag }; the MAC PVE generated is kept.'),
    /** The boot disk: allocated on `storage` when missing, grown with `qm resize`, never shrunk. */
    disk: z.object({
      slot: z.string().regex(SLOT, 'expected scsiN, virtioN, sataN or ideN').default('scsi0'),
      storage: z.string().regex(/^[a-z][a-z0-9._-]*$/),
      size: z.union([z.string().min(1), z.number().positive()]),
    }).strict().optional().describe('The boot disk { slot: scsi0, storage, size }: allocated when missing, grown with qm resize, never shrunk.'),
    /** Seconds `qm shutdown` waits for the guest's ACPI power-off. @default 180 */
    timeout: z.number().int().min(0).default(180).describe('Seconds `qm shutdown` waits for the guest\'s ACPI power-off.'),
    /** Kill the VM when it has not powered off after `timeout` (else the task fails). @default false */
    forceStop: z.boolean().default(false).describe('Kill the VM when it has not powered off after `timeout` (else the task fails).'),
    /** `state: absent` destroys only with `force` (a running VM is stopped first) or `purge`. */
    force: z.boolean().default(false).describe('`state: absent` destroys only with `force` (a running VM is stopped first) or `purge`.'),
    /** Destroy with --purge (also from backup jobs, HA, replication). */
    purge: z.boolean().default(false).describe('Destroy with --purge (also from backup jobs, HA, replication).'),
  })
  .strict();

export type VmArgs = z.output<typeof vmSchema>;

export type QmFacts = GuestState;

const DEFAULTS: Record<string, string> = { memory: '512', cores: '1', sockets: '1', onboot: '0' };

interface Nic { model: string; mac?: string; props: Record<string, string> }

function parseNic(v: string): Nic {
  const [first = '', ...rest] = v.split(',');
  const [model, mac] = first.split('=');
  return { model: model!, ...(mac ? { mac } : {}), props: parseProps(rest.join(',')) };
}
function wantedNic(a: VmArgs): Nic | undefined {
  if (a.net0 === undefined) return undefined;
  if (typeof a.net0 === 'string') {
    const n = parseNic(a.net0);
    if (!(MODELS as readonly string[]).includes(n.model)) throw new ArgumentError(`proxmox.vm ${a.vmid}: field "net0" has bad value ${JSON.stringify(a.net0)}: model must be one of ${MODELS.join(', ')}`, 'net0', a.net0);
    return n;
  }
  const props: Record<string, string> = { bridge: a.net0.bridge };
  if (a.net0.firewall !== undefined) props.firewall = a.net0.firewall ? '1' : '0';
  if (a.net0.tag !== undefined) props.tag = String(a.net0.tag);
  return { model: a.net0.model, props };
}
const renderNic = (n: Nic): string => [n.mac ? `${n.model}=${n.mac}` : n.model, ...Object.entries(n.props).map(([k, v]) => `${k}=${v}`)].join(',');

/** The `qm set` options that bring `config` to what `a` asks, only where it differs. */
export function vmSettingOptions(a: VmArgs, config: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  const put = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== (config[k] ?? DEFAULTS[k])) out.push(`--${k}`, v);
  };
  put('name', a.name);
  put('memory', a.memory?.toString());
  put('cores', a.cores?.toString());
  put('sockets', a.sockets?.toString());
  put('ostype', a.ostype);
  put('scsihw', a.scsihw);
  put('onboot', a.onboot === undefined ? undefined : a.onboot ? '1' : '0');
  const want = wantedNic(a);
  if (want) {
    const have = config.net0 ? parseNic(config.net0) : undefined;
    if (!have || have.model !== want.model || (want.mac && want.mac !== have.mac) || Object.entries(want.props).some(([k, v]) => have.props[k] !== v)) {
      out.push('--net0', renderNic({ model: want.model, mac: want.mac ?? have?.mac, props: { ...have?.props, ...want.props } }));
    }
  }
  return out;
}

const diskGib = (a: VmArgs): number => Number((sizeArg('proxmox.vm', 'disk.size', a.disk!.size) / 1024 ** 3).toFixed(3));

/** Pure: the qm commands that bring VM `a.vmid` to the wanted state. */
export function planVm(a: VmArgs, f: QmFacts): Plan {
  const id = String(a.vmid);
  const steps: Change[] = [];
  const say: string[] = [];
  const qm = (describe: string, ...argv: string[]) => steps.push({ kind: 'exec', describe, command: cmd('qm', ...argv) });
  const running = f.status === 'running';

  if (a.state === 'absent') {
    if (!f.config) return noChange(`VM ${id} is absent`);
    if (!a.force && !a.purge) return failure(`VM ${id} exists: destroying it needs force: true (stops it if running) or purge: true`);
    if (running && !a.force) return failure(`VM ${id} is running: give force: true to stop and destroy it`);
    if (running) qm('stop', 'stop', id);
    qm('destroy', 'destroy', id, ...(a.purge ? ['--purge', '1'] : []));
    return changes(`VM ${id} destroyed${running ? ' (was running, stopped)' : ''}`, steps, { result: { vmid: a.vmid, status: 'absent' } });
  }
  if (!f.config) {
    const opts = vmSettingOptions(a, {});
    const disk = a.disk ? [`--${a.disk.slot}`, `${a.disk.storage}:${diskGib(a)}`, '--boot', `order=${a.disk.slot}`] : [];
    qm('create', 'create', id, ...opts, ...disk);
    say.push('created');
  } else {
    const opts = vmSettingOptions(a, f.config);
    const d = a.disk;
    const current = d ? f.config[d.slot] : undefined;
    if (d && current === undefined) opts.push(`--${d.slot}`, `${d.storage}:${diskGib(a)}`);
    if (opts.length > 0) {
      qm('set', 'set', id, ...opts);
      say.push(`set ${opts.filter((x) => x.startsWith('--')).join(' ')}`);
    }
    if (d && current !== undefined) {
      const wantB = sizeArg('proxmox.vm', 'disk.size', d.size);
      const haveText = parseProps(current, 'volume').size;
      const haveB = haveText === undefined ? undefined : sizeBytes(haveText);
      if (haveB !== undefined && wantB < haveB) return failure(`VM ${id}: ${d.slot} is ${haveText}, cannot shrink it to ${sizeText(wantB)} (qm: shrinking disks is not supported)`);
      if (haveB === undefined || wantB > haveB) {
        qm('resize', 'resize', id, d.slot, sizeText(wantB));
        say.push(`${d.slot} resized to ${sizeText(wantB)}`);
      }
    }
  }
  if (a.state === 'running' && !running) {
    qm('start', 'start', id);
    say.push('started');
  }
  if (a.state === 'stopped' && running) {
    qm('shutdown', 'shutdown', id, '--timeout', String(a.timeout), ...(a.forceStop ? ['--forceStop', '1'] : []));
    say.push(a.forceStop ? 'shut down (killed after the timeout if need be)' : 'shut down');
  }
  const status = a.state === 'present' ? (f.status ?? 'stopped') : a.state;
  if (steps.length === 0) return noChange(`VM ${id} is ${f.status ?? 'stopped'} and configured`, { vmid: a.vmid, status });
  return changes(`VM ${id}: ${say.join(', ')}`, steps, { result: { vmid: a.vmid, status } });
}
