/** Network facts as Ansible's LinuxNetwork computes them: `ip` output and /sys/class/net, plus dns and fqdn. */
import type { Vars } from '../../types.js';
import { int, keyValueLines, type Sections } from './sections.js';

const INTERFACE_TYPE: Readonly<Record<string, string>> = { 1: 'ether', 32: 'infiniband', 512: 'ppp', 772: 'loopback', 65534: 'tunnel' };

type Iface = Record<string, unknown>;
interface V4 { address: string; broadcast: string; netmask: string; network: string; prefix: string }

function ipv4Of(word: string, words: readonly string[]): V4 {
  const [address, prefix = '32'] = word.includes('/') ? word.split('/') as [string, string] : [word, '32'];
  const broadcast = word.includes('/') && words.length > 3 && words[2] === 'brd' ? words[3]! : '';
  const bits = Number(prefix);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const addr = address.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
  const dotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  return { address, broadcast, netmask: dotted(mask), network: dotted((addr & mask) >>> 0), prefix };
}

/** `ip -4|-6 route get ADDR`: the outgoing interface, source address and gateway. */
function defaultRoute(text: string, target: string): Record<string, string> {
  const words = (text.split('\n')[0] ?? '').split(/\s+/).filter(Boolean);
  const out: Record<string, string> = {};
  if (words[0] !== target) return out;
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i] === 'dev') out.interface = words[i + 1]!;
    else if (words[i] === 'src') out.address = words[i + 1]!;
    else if (words[i] === 'via' && words[i + 1] !== target) out.gateway = words[i + 1]!;
  }
  return out;
}

/** `ip addr show`, cut into the lines of each device (header `N: name[@link]: <FLAGS> ...`). */
function addrBlocks(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)(?:@[^:\s]*)?:/.exec(line);
    if (m) out.set(m[1]!, (current = []));
    else if (current && line.trim()) current.push(line.trim());
  }
  return out;
}

export function networkFacts(s: Sections): Vars {
  const v4 = defaultRoute(s.text('route4'), '8.8.8.8');
  const v6 = defaultRoute(s.text('route6'), '2404:6800:400a:800::1012');
  const blocks = addrBlocks(s.text('ip_addr'));
  const interfaces: Record<string, Iface> = {};
  const all4: string[] = [];
  const all6: string[] = [];
  const devices = s.all.filter((x) => x.name.startsWith('net ')).map((x) => ({ device: x.name.slice(4), kv: keyValueLines(x.text) }));
  for (const { device, kv } of devices) {
    const get = (k: string) => kv.get(k)?.[0];
    const dev: Iface = (interfaces[device] = { device });
    const mac = get('address');
    if (mac && mac !== '00:00:00:00:00:00') dev.macaddress = mac;
    if (int(get('mtu')) !== undefined) dev.mtu = int(get('mtu'));
    if (get('operstate') !== undefined) dev.active = get('operstate') !== 'down';
    if (get('module')) dev.module = get('module')!.split('/').pop();
    if (get('type') !== undefined) dev.type = INTERFACE_TYPE[get('type')!] ?? 'unknown';
    if (kv.has('bridge_id')) {
      Object.assign(dev, { type: 'bridge', interfaces: kv.get('brif') ?? [], id: get('bridge_id'), stp: get('stp_state') === '1' });
    }
    if (kv.has('bond_mode')) {
      Object.assign(dev, {
        type: 'bonding', slaves: (get('bond_slaves') ?? '').split(/\s+/).filter(Boolean), mode: get('bond_mode')!.split(' ')[0],
        miimon: get('bond_miimon')!.split(' ')[0], lacp_rate: get('bond_lacp_rate')!.split(' ')[0],
      });
      if (get('bond_primary')) Object.assign(dev, { primary: get('bond_primary'), all_slaves_active: get('bond_all_slaves_active') === '1' });
    }
    if (kv.has('perm_hwaddr')) dev.perm_macaddress = get('perm_hwaddr');
    if (get('device')) dev.pciid = get('device')!.split('/').pop();
    if (int(get('speed')) !== undefined) dev.speed = int(get('speed'));
    if (get('flags') && /^0x[0-9a-f]+$/i.test(get('flags')!)) dev.promisc = (Number.parseInt(get('flags')!, 16) & 0x100) > 0;
    for (const line of blocks.get(device) ?? []) {
      const words = line.split(/\s+/);
      if (words[0] === 'inet' && words[1]) {
        const ip = ipv4Of(words[1], words);
        const label = words[words.length - 1]!;
        const target = label !== device ? (interfaces[label] = {}) : dev;
        const secondary = words.includes('secondary');
        if (!secondary && !target.ipv4) target.ipv4 = ip;
        else ((target.ipv4_secondaries ??= []) as V4[]).push(ip);
        if (secondary && label !== device) ((dev.ipv4_secondaries ??= []) as V4[]).push(ip);
        if (v4.address === ip.address) {
          Object.assign(v4, { broadcast: ip.broadcast, netmask: ip.netmask, network: ip.network, prefix: ip.prefix, macaddress: mac, mtu: dev.mtu, type: dev.type ?? 'unknown', alias: label });
        }
        if (!ip.address.startsWith('127.')) all4.push(ip.address);
      } else if (words[0] === 'inet6' && words[1]) {
        const peer = words[2] === 'peer';
        const address = peer ? words[1] : words[1].split('/')[0]!;
        const prefix = peer ? (words[3] ?? '').split('/')[1] ?? '' : words[1].split('/')[1] ?? '';
        const scope = (peer ? words[5] : words[3]) ?? '';
        ((dev.ipv6 ??= []) as unknown[]).push({ address, prefix, scope });
        if (v6.address === address) Object.assign(v6, { prefix, scope, macaddress: mac, mtu: dev.mtu, type: dev.type ?? 'unknown' });
        if (address !== '::1') all6.push(address);
      }
    }
  }
  const named = Object.fromEntries(Object.entries(interfaces).map(([k, v]) => [k.replaceAll(':', '_'), v]));
  if (!Object.keys(named).length && !s.text('ip_addr')) return {};
  return {
    interfaces: Object.keys(named).sort(), ...named, default_ipv4: v4, default_ipv6: v6,
    all_ipv4_addresses: all4, all_ipv6_addresses: all6,
  };
}

/** `dns` from resolv.conf, key by key as Ansible's DnsFactCollector reads it. */
export function dnsFact(text: string): Vars {
  const dns: Record<string, unknown> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith(';') || !line.trim()) continue;
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver') ((dns.nameservers ??= []) as string[]).push(...rest);
    else if (key === 'domain' && rest.length) dns.domain = rest[0];
    else if (key === 'search' || key === 'sortlist') dns[key] = rest;
    else if (key === 'options') dns.options = Object.fromEntries(rest.map((o) => { const i = o.indexOf(':'); return i < 0 ? [o, true] : [o.slice(0, i), o.slice(i + 1) || true]; }));
  }
  return dns;
}

/**
 * fqdn as Python's socket.getfqdn(nodename) finds it through /etc/hosts: the node's address, the
 * first line with that address, its first name containing a dot; else `hostname -f`, else the node name.
 */
export function fqdnFacts(hosts: string, hostnameF: string, nodename: string): Vars {
  const entries = hosts.split('\n').map((l) => l.replace(/#.*/, '').trim().split(/\s+/)).filter((f) => f.length >= 2);
  const own = entries.find((f) => f.slice(1).includes(nodename));
  let fqdn = nodename;
  if (own) {
    const first = entries.find((f) => f[0] === own[0])!;
    fqdn = first.slice(1).find((n) => n.includes('.')) ?? first[1]!;
  } else if (hostnameF.trim()) fqdn = hostnameF.trim().split('\n')[0]!;
  const dot = fqdn.indexOf('.');
  return { fqdn, domain: dot < 0 ? '' : fqdn.slice(dot + 1) };
}
