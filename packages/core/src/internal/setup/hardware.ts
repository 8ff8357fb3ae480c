/** Memory, processor, mount and virtualization facts, as Ansible's Linux collectors compute them. */
import type { Vars } from '../../types.js';
import type { Sections } from './sections.js';

export function memoryFacts(meminfo: string): Vars {
  const kb: Record<string, number> = {};
  for (const line of meminfo.split('\n')) {
    const m = /^([^:]+):\s*(\d+)/.exec(line);
    if (m) kb[m[1]!] = Math.floor(Number(m[2]) / 1024);
  }
  if (kb.MemTotal === undefined) return {};
  const get = (k: string) => kb[k];
  const sub = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : a - b);
  const nocacheFree = [get('Cached'), get('MemFree'), get('Buffers')].every((v) => v !== undefined) ? get('Cached')! + get('MemFree')! + get('Buffers')! : undefined;
  const out: Record<string, unknown> = {};
  for (const k of ['MemTotal', 'SwapTotal', 'MemFree', 'SwapFree']) if (get(k) !== undefined) out[`${k.toLowerCase()}_mb`] = get(k);
  out.memory_mb = {
    real: { total: get('MemTotal'), used: sub(get('MemTotal'), get('MemFree')), free: get('MemFree') },
    nocache: { free: nocacheFree, used: sub(get('MemTotal'), nocacheFree) },
    swap: { total: get('SwapTotal'), free: get('SwapFree'), used: sub(get('SwapTotal'), get('SwapFree')), cached: get('SwapCached') },
  };
  return out;
}

/** processor* facts: Ansible's get_cpu_facts over /proc/cpuinfo, processor_nproc from nproc. */
export function cpuFacts(s: Sections, architecture: string): Vars {
  const cpuinfo = s.text('cpuinfo');
  if (!cpuinfo) return {};
  const xen = s.text('hypervisor').trim() === 'xen' || s.lines('paths').includes('/proc/xen');
  let xenParavirt = false;
  const processor: string[] = [];
  let i = 0;
  let vendorIds = 0;
  let modelNames = 0;
  let processors = 0;
  let physid = '0';
  let coreid = '0';
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  let declaredCores: number | undefined;
  for (const line of cpuinfo.split('\n')) {
    const colon = line.indexOf(':');
    const key = (colon < 0 ? line : line.slice(0, colon)).trim();
    const val = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (xen && key === 'flags' && !val.split(/\s+/).includes('vme')) xenParavirt = true;
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      processor.push(val);
      if (key === 'vendor_id') vendorIds++;
      if (key === 'model name') modelNames++;
      if (key === 'processor') processors++;
      i++;
    } else if (key === 'physical id') {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = val;
      if (!sockets.has(coreid)) cores.set(coreid, 1);
    } else if (key === 'cpu cores') sockets.set(physid, Number.parseInt(val, 10));
    else if (key === 'siblings') cores.set(coreid, Number.parseInt(val, 10));
    else if (key === '# processors') declaredCores = Number.parseInt(val, 10);
    else if (key === 'ncpus active') i = Number.parseInt(val, 10);
  }
  if (vendorIds > 0 && vendorIds === modelNames) i = vendorIds;
  if (/^(armv|aarch|ppc)/.test(architecture)) i = processors;
  const out: Record<string, unknown> = { processor, ...(declaredCores !== undefined ? { processor_cores: declaredCores } : {}) };
  if (architecture === 's390x') return out;
  if (xenParavirt) return { ...out, processor_count: i, processor_cores: i, processor_threads_per_core: 1, processor_vcpus: i };
  const count = sockets.size ? sockets.size : i;
  const firstSocket = [...sockets.values()][0];
  const perSocket = firstSocket ? firstSocket : 1;
  const firstCore = [...cores.values()][0];
  const threads = firstCore !== undefined ? Math.floor(firstCore / perSocket) : Math.floor(1 / perSocket);
  const nproc = Number.parseInt(s.text('nproc').trim(), 10);
  return {
    ...out, processor_count: count, processor_cores: perSocket, processor_threads_per_core: threads,
    processor_vcpus: threads * count * perSocket, processor_nproc: Number.isNaN(nproc) ? processors : nproc,
  };
}

const FORM_FACTOR = [
  'Unknown', 'Other', 'Unknown', 'Desktop', 'Low Profile Desktop', 'Pizza Box', 'Mini Tower', 'Tower', 'Portable', 'Laptop', 'Notebook',
  'Hand Held', 'Docking Station', 'All In One', 'Sub Notebook', 'Space-saving', 'Lunch Box', 'Main Server Chassis', 'Expansion Chassis',
  'Sub Chassis', 'Bus Expansion Chassis', 'Peripheral Chassis', 'RAID Chassis', 'Rack Mount Chassis', 'Sealed-case PC', 'Multi-system',
  'CompactPCI', 'AdvancedTCA', 'Blade', 'Blade Enclosure', 'Tablet', 'Convertible', 'Detachable', 'IoT Gateway', 'Embedded PC', 'Mini PC', 'Stick PC',
];

/** bios_*, board_*, chassis_*, product_*, system_vendor, form_factor from sysfs; 'NA' where unreadable, as Ansible. */
export function dmiFacts(s: Sections): Vars {
  const kv = s.keyValues('dmi');
  const get = (k: string) => kv.get(k)?.[0]?.trim() || 'NA';
  const names = ['bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor', 'board_version',
    'chassis_asset_tag', 'chassis_serial', 'chassis_vendor', 'chassis_version', 'product_name', 'product_serial', 'product_uuid', 'product_version'];
  const out: Record<string, string> = Object.fromEntries(names.map((k) => [k, get(k)]));
  out.system_vendor = get('sys_vendor');
  const type = get('chassis_type');
  out.form_factor = type === 'NA' ? 'NA' : /^\d+$/.test(type) && Number(type) < FORM_FACTOR.length ? FORM_FACTOR[Number(type)]! : `unknown (${type})`;
  return out;
}

/** uptime_seconds and loadavg from /proc. */
export function loadFacts(s: Sections): Vars {
  const up = Number.parseFloat(s.text('uptime').split(' ')[0] ?? '');
  const [m1, m5, m15] = s.text('loadavg').split(' ').map(Number);
  return {
    ...(Number.isNaN(up) ? {} : { uptime_seconds: Math.trunc(up) }),
    ...([m1, m5, m15].every((n) => n !== undefined && !Number.isNaN(n)) ? { loadavg: { '1m': m1, '5m': m5, '15m': m15 } } : {}),
  };
}

/** /proc/mounts' octal escapes (`\040` for a space) decoded. */
const unescape = (f: string) => f.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));

/** mounts: real devices only (as Ansible filters them), sizes from statfs, `bind` where mountinfo says so. */
export function mountFacts(s: Sections): Vars {
  const binds = new Set<string>();
  for (const line of s.lines('mountinfo')) {
    const f = line.split(' ');
    if (f[3] !== undefined && f[3] !== '/' && f[4] !== undefined) binds.add(f[4]);
  }
  const sizes = new Map<string, number[]>();
  for (const line of s.lines('statfs')) {
    const [mnt, ...nums] = line.split(' ');
    if (mnt && nums.length === 7 && nums.every((n) => /^\d+$/.test(n))) sizes.set(mnt, nums.map(Number));
  }
  const uuids = new Map(s.lines('uuids').map((l) => { const i = l.lastIndexOf(' '); return [l.slice(0, i), l.slice(i + 1)] as const; }));
  const mounts: Vars[] = [];
  for (const line of s.lines('mtab')) {
    const raw = line.split(' ');
    if (raw.length < 4) continue;
    const [device, mount, fstype, options] = raw.map(unescape) as [string, string, string, string];
    if ((!device.startsWith('/') && !device.startsWith('\\') && !device.includes(':/')) || fstype === 'none') continue;
    const st = sizes.get(raw[1]!);
    const m: Record<string, unknown> = {
      mount, device, fstype, options: binds.has(raw[1]!) && !options.split(',').includes('bind') ? `${options},bind` : options,
      uuid: uuids.get(device) ?? 'N/A',
    };
    if (st) {
      const [frsize, bsize, blocks, , bavail, files, ffree] = st as number[] as [number, number, number, number, number, number, number];
      Object.assign(m, {
        size_total: frsize * blocks, size_available: frsize * bavail, block_size: bsize, block_total: blocks, block_available: bavail,
        block_used: blocks - bavail, inode_total: files, inode_available: ffree, inode_used: files - ffree,
      });
    }
    mounts.push(m);
  }
  return { mounts };
}

/** virtualization_type/role, the checks of Ansible's LinuxVirtual in its order (the first found wins). */
export function virtualizationFacts(s: Sections, isEsxi: boolean): Vars {
  if (isEsxi) return { virtualization_type: 'VMware', virtualization_role: 'host' };
  const paths = new Set(s.lines('paths'));
  const found: [type: string, role: string][] = [];
  const add = (type: string, role = 'guest') => found.push([type, role]);
  for (const line of s.lines('cgroup1')) {
    if (/\/docker(\/|-[0-9a-f]+\.scope)/.test(line)) add('docker');
    if (/\/lxc\/|\/machine\.slice\/machine-lxc/.test(line)) add('lxc');
    if (/\/system\.slice\/containerd\.service/.test(line)) add('containerd');
  }
  for (const entry of s.text('environ1').split('\0')) {
    if (entry.includes('container=lxc')) add('lxc');
    if (entry.includes('container=podman')) add('podman');
    if (/^container=./.test(entry)) add('container');
  }
  if (paths.has('/proc/vz') && !paths.has('/proc/lve')) add('openvz', paths.has('/proc/bc') ? 'host' : 'guest');
  const systemdContainer = s.text('systemd_container').trim();
  if (systemdContainer) add(systemdContainer);
  if (paths.has('/.dockerenv') || paths.has('/.dockerinit')) add('docker');
  if (paths.has('/proc/xen')) add('xen', s.text('xen_caps').includes('control_d') ? 'host' : 'guest');
  if (found.length) return { virtualization_type: found[0]![0], virtualization_role: found[0]![1] };
  const dmi = s.keyValues('dmi');
  const product = dmi.get('product_name')?.[0] ?? '';
  const vendor = dmi.get('sys_vendor')?.[0] ?? '';
  const bios = dmi.get('bios_vendor')?.[0] ?? '';
  const modules = new Set(s.lines('modules'));
  const byDmi: [boolean, string][] = [
    [['KVM', 'KVM Server', 'Bochs', 'AHV'].includes(product), 'kvm'], [vendor === 'oVirt', 'oVirt'],
    [['VMware Virtual Platform', 'VMware7,1'].includes(product), 'VMware'], [['OpenStack Compute', 'OpenStack Nova'].includes(product), 'openstack'],
    [bios === 'Xen', 'xen'], [bios === 'innotek GmbH', 'virtualbox'], [['Amazon EC2', 'DigitalOcean', 'Hetzner'].includes(bios), 'kvm'],
    [['QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix'].includes(vendor), 'kvm'], [vendor === 'KubeVirt', 'KubeVirt'],
    [vendor === 'Microsoft Corporation', 'VirtualPC'], [vendor === 'Parallels Software International Inc.', 'parallels'],
    [vendor === 'OpenStack Foundation', 'openstack'], [/^model name.*QEMU Virtual CPU/m.test(s.text('cpuinfo')), 'kvm'],
  ];
  const guest = byDmi.find(([hit]) => hit);
  if (guest) return { virtualization_type: guest[1], virtualization_role: 'guest' };
  if (modules.has('kvm')) return { virtualization_type: 'kvm', virtualization_role: 'host' };
  if (modules.has('vboxdrv')) return { virtualization_type: 'virtualbox', virtualization_role: 'host' };
  if (modules.has('virtio')) return { virtualization_type: 'kvm', virtualization_role: 'guest' };
  return { virtualization_type: 'NA', virtualization_role: 'NA' };
}
