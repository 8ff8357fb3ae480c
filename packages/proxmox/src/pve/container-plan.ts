/** Pure planning for {@link container} (`proxmox.container`): wanted settings vs `pct config` and `pct status`. */
import { ArgumentError, type Plan } from '@shipshape/core';
import { parseTemplateName } from '@shipshape/openvz';
import { z } from 'zod';
import type { GuestState } from './facts.js';
import { parseProps, renderProps, sizeArg } from './props.js';
import { guestFields, planGuest } from './guest.js';

const net = z.union([
  z.string().min(1).regex(/^[^\s]+$/, 'a property string without blanks, e.g. name=eth0,bridge=vmbr0,ip=dhcp'),
  z.object({
    name: z.string().regex(/^[a-z][a-z0-9]*$/).default('eth0'),
    bridge: z.string().regex(/^[A-Za-z0-9_.-]+$/).optional(),
    /** `dhcp`, `manual` or `<address>/<prefix>` */
    ip: z.string().regex(/^(dhcp|manual|[0-9.]+\/\d{1,2})$/).optional().describe('`dhcp`, `manual` or `<address>/<prefix>`'),
    gw: z.string().regex(/^[0-9.]+$/).optional(),
    firewall: z.boolean().optional(),
    tag: z.number().int().min(1).max(4094).optional(),
  }).strict(),
]);

export const containerSchema = z
  .object({
    /** The container's id (100 … 999999999). */
    vmid: z.number().int().min(100).max(999999999).describe('The container\'s id (100 … 999999999).'),
    /** The template to create it from: `<storage>:vztmpl/<file>` (or an absolute path on the node). */
    ostemplate: z.string().regex(/^([a-z][a-z0-9._-]*:vztmpl\/[^/\s]+|\/\S+)$/, 'expected <storage>:vztmpl/<file> or an absolute path').optional().describe('The template to create it from: `<storage>:vztmpl/<file>` (or an absolute path on the node).'),
    ...guestFields,
    /** The container's host name (pct --hostname). */
    hostname: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/, 'expected a DNS name').optional().describe('The container\'s host name (pct --hostname).'),
    /** MiB (PVE's default 512). */
    memory: z.number().int().min(16).optional().describe('MiB (PVE\'s default 512).'),
    /** MiB (PVE's default 512). */
    swap: z.number().int().min(0).optional().describe('MiB (PVE\'s default 512).'),
    /** CPU cores (pct --cores). */
    cores: z.number().int().min(1).max(8192).optional().describe('CPU cores (pct --cores).'),
    /** Storage of the root file system at create (`--rootfs <storage>:<GiB>`). @default 'local' */
    storage: z.string().regex(/^[a-z][a-z0-9._-]*$/).default('local').describe('Storage of the root file system at create (`--rootfs <storage>:<GiB>`).'),
    /** Root file system size (`8G`, `512M`, or GiB as a number); grown with `pct resize`, never shrunk. */
    size: z.union([z.string().min(1), z.number().positive()]).optional().describe('Root file system size (`8G`, `512M`, or GiB as a number); grown with `pct resize`, never shrunk.'),
    /** First network interface: a property string, or its fields (`name` eth0, `bridge`, `ip`, `gw`). */
    net0: net.optional().describe('First network interface: a property string, or its fields (`name` eth0, `bridge`, `ip`, `gw`).'),
    /** DNS servers (written space-separated). */
    nameserver: z.union([z.string().min(1).transform((s) => s.split(/[\s,]+/).filter(Boolean)), z.array(z.string().min(1))]).optional().describe('DNS servers (written space-separated).'),
    /** Start at boot (pct --onboot). */
    onboot: z.boolean().optional().describe('Start at boot (pct --onboot).'),
    /** Fixed when the container is created (pct cannot change it later). */
    unprivileged: z.boolean().optional().describe('Fixed when the container is created (pct cannot change it later).'),
    /** Container features (nesting, keyctl, fuse); only those given are changed. */
    features: z.object({ nesting: z.boolean().optional(), keyctl: z.boolean().optional(), fuse: z.boolean().optional() }).strict().optional().describe('Container features (nesting, keyctl, fuse); only those given are changed.'),
    /** Seconds `pct shutdown` waits before it kills the container (state stopped). @default 60 */
    timeout: z.number().int().min(0).default(60).describe('Seconds `pct shutdown` waits before it kills the container (state stopped).'),
  })
  .strict();

export type ContainerArgs = z.output<typeof containerSchema>;

export type PctFacts = GuestState;

/** PVE's values when a key is absent from the config. */
const DEFAULTS: Record<string, string> = { memory: '512', swap: '512', onboot: '0', unprivileged: '0' };

function wantedNet(a: ContainerArgs): Record<string, string> | undefined {
  if (a.net0 === undefined) return undefined;
  if (typeof a.net0 === 'string') {
    const p = parseProps(a.net0);
    if (!p.name) throw new ArgumentError(`proxmox.container ${a.vmid}: field "net0" has bad value ${JSON.stringify(a.net0)}: it needs name=<interface>`, 'net0', a.net0);
    return p;
  }
  const n = a.net0;
  const out: Record<string, string> = { name: n.name };
  if (n.bridge) out.bridge = n.bridge;
  if (n.firewall !== undefined) out.firewall = n.firewall ? '1' : '0';
  if (n.gw) out.gw = n.gw;
  if (n.ip) out.ip = n.ip;
  if (n.tag !== undefined) out.tag = String(n.tag);
  return out;
}

/** PVE's order of a NIC's properties (name, bridge, firewall, gw, hwaddr, ip, ..., type). */
const NET_ORDER = ['name', 'bridge', 'firewall', 'gw', 'gw6', 'hwaddr', 'ip', 'ip6', 'mtu', 'rate', 'tag', 'trunks', 'type'];
const renderNet = (p: Record<string, string>): string =>
  renderProps([...NET_ORDER.map((k) => [k, p[k]] as const), ...Object.entries(p).filter(([k]) => !NET_ORDER.includes(k))]);

/** `features` as a canonical string (keys sorted, 0s left out), to compare and to write. */
const featuresText = (p: Record<string, string>): string =>
  Object.keys(p).filter((k) => p[k] !== '0').sort().map((k) => `${k}=${p[k]}`).join(',');

/** The new `features` value when `a.features` changes the current one, else undefined. */
function featuresChange(a: ContainerArgs, current: string | undefined): string | undefined {
  if (!a.features) return undefined;
  const have = parseProps(current ?? '');
  const next = { ...have };
  for (const [k, v] of Object.entries(a.features)) {
    if (v === true) next[k] = '1';
    else if (v === false) delete next[k];
  }
  return featuresText(next) === featuresText(have) ? undefined : featuresText(next);
}

/** The `pct set` options (`--key value` pairs) that bring `config` to what `a` asks, only where it differs. */
export function settingOptions(a: ContainerArgs, config: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  const cur = (k: string) => config[k] ?? DEFAULTS[k];
  const put = (k: string, v: string | undefined) => {
    if (v !== undefined && v !== cur(k)) out.push(`--${k}`, v);
  };
  put('hostname', a.hostname);
  put('memory', a.memory?.toString());
  put('swap', a.swap?.toString());
  put('cores', a.cores?.toString());
  put('nameserver', a.nameserver?.join(' '));
  put('onboot', a.onboot === undefined ? undefined : a.onboot ? '1' : '0');
  const feats = featuresChange(a, config.features);
  if (feats !== undefined) out.push('--features', feats);
  const want = wantedNet(a);
  if (want) {
    const have = parseProps(config.net0 ?? '');
    if (Object.entries(want).some(([k, v]) => have[k] !== v)) {
      // Keep the interface's MAC (and other properties not asked about): pct set replaces the whole value.
      out.push('--net0', renderNet({ ...have, ...want }));
    }
  }
  return out;
}

/** `pct create <vmid> <ostemplate>` options. */
export function createOptions(a: ContainerArgs): string[] {
  const out: string[] = [];
  const o = (k: string, v: string | undefined) => v !== undefined && out.push(`--${k}`, v);
  o('hostname', a.hostname);
  o('memory', a.memory?.toString());
  o('swap', a.swap?.toString());
  o('cores', a.cores?.toString());
  const gib = a.size === undefined ? undefined : sizeArg('proxmox.container', 'size', a.size) / 1024 ** 3;
  o('rootfs', `${a.storage}:${gib === undefined ? 4 : Number(gib.toFixed(3))}`);
  const n = wantedNet(a);
  if (n) o('net0', renderNet(n));
  o('nameserver', a.nameserver?.join(' '));
  o('onboot', a.onboot === undefined ? undefined : a.onboot ? '1' : '0');
  o('unprivileged', a.unprivileged === undefined ? undefined : a.unprivileged ? '1' : '0');
  const f = featuresChange(a, undefined);
  if (f) o('features', f);
  return out;
}

/** The template's file name must be one the shared template-name model reads (both conventions). */
function checkTemplate(a: ContainerArgs): void {
  const file = a.ostemplate!.split('/').pop()!;
  parseTemplateName(file);
}

/** Pure: the pct commands that bring CT `a.vmid` to the wanted state. */
export function planContainer(a: ContainerArgs, f: PctFacts): Plan {
  return planGuest('pct', a, f, {
    create() {
      if (!a.ostemplate) throw new ArgumentError(`proxmox.container ${a.vmid}: field "ostemplate" is needed to create it`, 'ostemplate');
      checkTemplate(a);
      return { args: [a.ostemplate, ...createOptions(a)], say: `created from ${a.ostemplate}` };
    },
    settings(config) {
      const want = a.unprivileged === undefined ? undefined : a.unprivileged ? '1' : '0';
      const have = config.unprivileged ?? '0';
      if (want !== undefined && want !== have) {
        return { options: [], fail: `is ${have === '1' ? 'unprivileged' : 'privileged'}; unprivileged is fixed at creation (pct: unable to modify read-only option: 'unprivileged')` };
      }
      return { options: settingOptions(a, config) };
    },
    disk: () => (a.size === undefined ? undefined : { key: 'rootfs', bytes: sizeArg('proxmox.container', 'size', a.size) }),
    noShrink: 'unable to shrink disk size',
    shutdown: { args: ['--timeout', String(a.timeout), '--forceStop', '1'], say: 'shut down' },
    destroyRunning: { stopFirst: false, note: 'forced' },
  });
}
