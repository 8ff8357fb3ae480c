/** Pure planning for {@link vm} (`proxmox.vm`): wanted settings vs `qm config` and `qm status`. */
import { ArgumentError, type Plan } from '@shipshape/core';
import { z } from 'zod';
import type { GuestState } from './facts.js';
import { parseProps, sizeArg } from './props.js';
import { guestFields, planGuest } from './guest.js';

const MODELS = ['virtio', 'e1000', 'e1000e', 'rtl8139', 'vmxnet3'] as const;
const SLOT = /^(scsi|virtio|sata|ide)\d+$/;

export const vmSchema = z
  .object({
    /** The VM's id (100 … 999999999). */
    vmid: z.number().int().min(100).max(999999999).describe('The VM\'s id (100 … 999999999).'),
    ...guestFields,
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
  const d = a.disk;
  return planGuest('qm', a, f, {
    create() {
      const disk = d ? [`--${d.slot}`, `${d.storage}:${diskGib(a)}`, '--boot', `order=${d.slot}`] : [];
      return { args: [...vmSettingOptions(a, {}), ...disk], say: 'created' };
    },
    settings(config) {
      const options = vmSettingOptions(a, config);
      // A boot disk the VM does not have yet is allocated by qm set.
      return { options: d && config[d.slot] === undefined ? [...options, `--${d.slot}`, `${d.storage}:${diskGib(a)}`] : options };
    },
    disk: (config) => (d && config[d.slot] !== undefined ? { key: d.slot, bytes: sizeArg('proxmox.vm', 'disk.size', d.size) } : undefined),
    noShrink: 'shrinking disks is not supported',
    shutdown: {
      args: ['--timeout', String(a.timeout), ...(a.forceStop ? ['--forceStop', '1'] : [])],
      say: a.forceStop ? 'shut down (killed after the timeout if need be)' : 'shut down',
    },
    destroyRunning: { stopFirst: true, note: 'stopped' },
  });
}
