/** Platform, distribution, package and service manager facts, as Ansible names and computes them. */
import { parseOsRelease } from '../../facts.js';
import type { Vars } from '../../types.js';
import { PKG_MGRS } from './script.js';
import type { Sections } from './sections.js';

/** Ansible's OS_FAMILY map (module_utils/facts/system/distribution.py), the common distributions. */
const OS_FAMILY: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries({
    RedHat: ['RedHat', 'Fedora', 'CentOS', 'Scientific', 'SLC', 'Ascendos', 'CloudLinux', 'PSBM', 'OracleLinux', 'OVS', 'OEL', 'Amazon', 'Virtuozzo', 'XenServer', 'Alibaba', 'EulerOS', 'openEuler', 'AlmaLinux', 'Rocky', 'TencentOS', 'EuroLinux', 'Kylin Linux Advanced Server'],
    Debian: ['Ubuntu', 'Debian', 'Raspbian', 'Neon', 'KDE neon', 'Linux Mint', 'SteamOS', 'Devuan', 'Kali', 'Cumulus Linux', 'Pop!_OS', 'Parrot', 'Pardus GNU/Linux', 'Uos', 'Deepin', 'OSMC'],
    Suse: ['SuSE', 'SLES', 'SLED', 'openSUSE', 'openSUSE Tumbleweed', 'SLES_SAP', 'SUSE_LINUX', 'openSUSE Leap', 'ALP-Dolomite'],
    Archlinux: ['Archlinux', 'Antergos', 'Manjaro'],
    Mandrake: ['Mandriva', 'Mandrake', 'Altlinux'],
    Solaris: ['Solaris', 'Nexenta', 'OmniOS', 'OpenIndiana', 'SmartOS'],
    Slackware: ['Slackware'], Altlinux: ['Altlinux'], SGML: ['SGML'], Gentoo: ['Gentoo', 'Funtoo'], Alpine: ['Alpine'],
    AIX: ['AIX'], HPUX: ['HPUX'], Darwin: ['MacOSX'], FreeBSD: ['FreeBSD', 'TrueOS'], ClearLinux: ['Clear Linux OS', 'Clear Linux Mix'],
    DragonFly: ['DragonflyBSD', 'DragonFlyBSD', 'Gentoo/DragonflyBSD', 'Gentoo/DragonFlyBSD'], NetBSD: ['NetBSD'],
  }).flatMap(([family, names]) => names.map((n) => [n, family])),
);

/** os-release IDs whose Ansible spelling is not just the capitalised ID (distro.id() plus Ansible's fix-ups). */
const DISTRIBUTION_NAMES: Readonly<Record<string, string>> = {
  rhel: 'RedHat', centos: 'CentOS', amzn: 'Amazon', ol: 'OracleLinux', almalinux: 'AlmaLinux', opensuse: 'openSUSE',
  'opensuse-leap': 'openSUSE Leap', 'opensuse-tumbleweed': 'openSUSE Tumbleweed', sles: 'SLES', sles_sap: 'SLES_SAP',
  arch: 'Archlinux', linuxmint: 'Linux Mint', raspbian: 'Debian', pop: 'Pop!_OS', clear_linux: 'Clear Linux OS',
};

export function platformFacts(s: Sections): Vars {
  const [system = '', kernel = '', kernelVersion = '', machine = '', nodename = ''] = s.text('uname').split('\n');
  const architecture = /^i[3456]86$/.test(machine) ? 'i386' : machine;
  return { system, kernel, kernel_version: kernelVersion, machine, architecture, nodename, hostname: nodename.split('.')[0] };
}

/** distribution* and os_family: os-release and debian_version as Ansible (and the distro library it uses) read them. */
export function distributionFacts(s: Sections, system: string): Vars {
  const vmware = /^VMware ESXi (\S+)(?: build-(\d+))?/.exec(s.text('vmware'));
  if (vmware) {
    // An ESXi host: what Ansible reports for a VMkernel system (platform.system/release).
    const version = vmware[1]!;
    return {
      distribution: 'VMkernel', distribution_version: version, distribution_major_version: version.split('.')[0],
      distribution_release: vmware[2] ?? 'NA', os_family: 'VMkernel',
    };
  }
  if (system !== 'Linux') return { distribution: system, distribution_version: 'NA', distribution_major_version: 'NA', distribution_release: 'NA', os_family: system };
  const os = parseOsRelease(s.text('os_release'));
  const id = (os.ID ?? '').toLowerCase();
  const distribution = !id ? 'OtherLinux' : DISTRIBUTION_NAMES[id] ?? id.charAt(0).toUpperCase() + id.slice(1);
  let version = os.VERSION_ID ?? '';
  const facts: Record<string, unknown> = {};
  if (distribution === 'Debian') {
    const m = /(\d+)\.(\d+)/.exec(s.text('debian_version').trim());
    if (m) {
      version = `${m[1]}.${m[2]}`;
      facts.distribution_minor_version = m[2];
    }
  } else if (/^\d+\.\d+/.test(version)) facts.distribution_minor_version = version.split('.')[1];
  const release = os.VERSION_CODENAME || os.UBUNTU_CODENAME || /\(([^)]+)\)/.exec(os.VERSION ?? '')?.[1] || '';
  return {
    ...facts, distribution, distribution_version: version || 'NA', distribution_major_version: version.split('.')[0] || 'NA',
    distribution_release: release || 'NA', os_family: OS_FAMILY[distribution] ?? distribution,
    ...(s.text('os_release') ? { distribution_file_path: '/etc/os-release', distribution_file_parsed: true } : {}),
  };
}

/** `lsb`: from `lsb_release -a`, else /etc/lsb-release; absent when neither exists. */
export function lsbFacts(s: Sections): Vars {
  const lsb: Record<string, string> = {};
  const fromTool: Record<string, string> = { 'Distributor ID': 'id', Description: 'description', Release: 'release', Codename: 'codename' };
  const fromFile: Record<string, string> = { DISTRIB_ID: 'id', DISTRIB_RELEASE: 'release', DISTRIB_DESCRIPTION: 'description', DISTRIB_CODENAME: 'codename' };
  for (const line of s.lines('lsb_release')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m && fromTool[m[1]!]) lsb[fromTool[m[1]!]!] = m[2]!.trim();
  }
  if (!Object.keys(lsb).length) {
    for (const [k, v] of Object.entries(parseOsRelease(s.text('lsb_file')))) if (fromFile[k]) lsb[fromFile[k]!] = v;
  }
  if (lsb.release) lsb.major_release = lsb.release.split('.')[0]!;
  return Object.keys(lsb).length ? { lsb } : {};
}

export function pkgMgrFact(present: ReadonlySet<string>, aptRpm: boolean, d: Vars): string {
  let name = 'unknown';
  for (const [path, n] of PKG_MGRS) if (present.has(path)) name = n;
  const major = Number.parseInt(String(d.distribution_major_version), 10);
  const has = (n: string) => PKG_MGRS.some(([p, m]) => m === n && present.has(p));
  if (d.os_family === 'RedHat') {
    if (present.has('/run/ostree-booted')) return 'atomic_container';
    if (d.distribution === 'Fedora') name = Number.isNaN(major) || major >= 23 ? (has('dnf') || Number.isNaN(major) ? 'dnf' : name) : has('yum') ? 'yum' : name;
    else if (d.distribution === 'Amazon') name = Number.isNaN(major) || major >= 2022 ? (has('dnf') || Number.isNaN(major) ? 'dnf' : name) : has('yum') ? 'yum' : name;
    else name = major < 8 ? 'yum' : 'dnf';
  } else if (d.os_family === 'Debian' && name !== 'apt') name = 'apt';
  else if (d.os_family === 'Altlinux' && name === 'apt') name = 'apt_rpm';
  if (name === 'apt' && present.has('/usr/bin/rpm') && aptRpm) name = 'apt_rpm';
  return name;
}

/** Ansible's ServiceMgrFactCollector: PID 1's name unless it is init or a shell, then the canaries. */
export function serviceMgrFact(s: Sections, present: ReadonlySet<string>, system: string): string {
  const kv = s.keyValues('init');
  const tools = new Set(kv.get('have') ?? []);
  const map: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };
  let proc1: string | undefined = kv.get('comm')?.[0]?.trim() || undefined;
  const link = kv.get('init_link')?.[0] ?? '';
  if (proc1 === undefined && link) proc1 = link.split('/').pop()!.trim();
  if (proc1 === 'init' || proc1?.endsWith('sh')) proc1 = undefined;
  if (proc1) return map[proc1] ?? proc1;
  if (system !== 'Linux') return 'service';
  const systemctl = tools.has('systemctl');
  if (systemctl && ['/run/systemd/system/', '/dev/.run/systemd/', '/dev/.systemd/'].some((p) => present.has(p))) return 'systemd';
  if (tools.has('initctl') && present.has('/etc/init/')) return 'upstart';
  if (present.has('/sbin/openrc')) return 'openrc';
  if (systemctl && link.split('/').pop() === 'systemd') return 'systemd';
  if (present.has('/etc/init.d/')) return 'sysvinit';
  return 'service';
}

/** The environment of the login shell (NUL-separated /proc/PID/environ, else `env` lines). */
export function envFact(s: Sections): Record<string, string> {
  const env: Record<string, string> = {};
  const nul = s.all.some((x) => x.name === 'env_lines') ? undefined : s.text('environ');
  if (nul !== undefined) {
    for (const entry of nul.split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return env;
  }
  let last: string | undefined;
  for (const line of s.text('env_lines').replace(/\n$/, '').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(line);
    if (m) env[(last = m[1]!)] = m[2]!;
    else if (last !== undefined) env[last] += `\n${line}`;
  }
  return env;
}

/** user_* facts: the login name as getpass.getuser() finds it, its passwd entry, the ids. */
export function userFacts(s: Sections, env: Record<string, string>): Vars {
  const [uid, gid, name, ruid, rgid] = s.text('id').split('\n');
  const user = env.LOGNAME || env.USER || env.LNAME || env.USERNAME || name || '';
  const entry = s.lines('passwd').map((l) => l.split(':')).find((f) => f[0] === user && f.length >= 7);
  const n = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  return {
    user_id: user,
    ...(entry ? { user_uid: Number(entry[2]), user_gid: Number(entry[3]), user_gecos: entry[4], user_dir: entry[5], user_shell: entry[6] } : {}),
    real_user_id: n(ruid) ?? n(uid), effective_user_id: n(uid), real_group_id: n(rgid) ?? n(gid), effective_group_id: n(gid),
  };
}

/** ssh_host_key_<type>_public(_keytype): the first directory holding any host key wins, as in Ansible. */
export function sshKeyFacts(s: Sections): Vars {
  const out: Record<string, string> = {};
  let dir: string | undefined;
  for (const line of s.lines('sshkeys')) {
    const [d, type, keytype, key] = line.split(/\s+/);
    if (!d || !type || !keytype || !key || (dir !== undefined && d !== dir)) continue;
    dir = d;
    out[`ssh_host_key_${type}_public`] = key;
    out[`ssh_host_key_${type}_public_keytype`] = keytype;
  }
  return out;
}

/** date_time from one `date` call; the UTC variants are computed from the epoch. */
export function dateTimeFact(s: Sections): Vars | undefined {
  const f = s.text('date').trim().split(' ');
  if (f.length < 13) return undefined;
  const [year, month, day, hour, minute, second, epoch, tz, tzOffset, weekday, weekdayNumber, weeknumber, nanos] = f as string[];
  const micro = /^\d{9}$/.test(nanos!) ? nanos!.slice(0, 6) : '000000';
  const utc = new Date(Number(epoch) * 1000).toISOString().slice(0, 19);
  return {
    year, month, day, hour, minute, second, epoch, epoch_int: epoch, date: `${year}-${month}-${day}`, time: `${hour}:${minute}:${second}`,
    iso8601: `${utc}Z`, iso8601_micro: `${utc}.${micro}Z`, iso8601_basic: `${year}${month}${day}T${hour}${minute}${second}${micro}`,
    iso8601_basic_short: `${year}${month}${day}T${hour}${minute}${second}`, tz, tz_dst: tz, tz_offset: tzOffset,
    weekday, weekday_number: weekdayNumber, weeknumber,
  };
}

/** Python's shlex.split(posix=False): whitespace-separated words, quoted runs kept with their quotes; undefined if unbalanced. */
function splitNonPosix(text: string): string[] | undefined {
  const out: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (const c of text) {
    if (quote) {
      word += c;
      if (c === quote) quote = undefined;
    } else if (/\s/.test(c)) {
      if (word) out.push(word);
      word = '';
    } else {
      if (c === '"' || c === "'") quote = c;
      word += c;
    }
  }
  if (quote) return undefined;
  if (word) out.push(word);
  return out;
}

/** cmdline (last value wins) and proc_cmdline (repeated keys become lists), as Ansible parses /proc/cmdline. */
export function cmdlineFacts(text: string): Vars {
  if (!text.trim()) return {};
  const cmdline: Record<string, unknown> = {};
  const proc: Record<string, unknown> = {};
  for (const piece of splitNonPosix(text) ?? []) {
    const eq = piece.indexOf('=');
    if (eq < 0) {
      cmdline[piece] = true;
      proc[piece] = true;
      continue;
    }
    const [k, v] = [piece.slice(0, eq), piece.slice(eq + 1)];
    cmdline[k] = v;
    proc[k] = k in proc ? [...(Array.isArray(proc[k]) ? (proc[k] as unknown[]) : [proc[k]]), v] : v;
  }
  return { cmdline, proc_cmdline: proc };
}

/** machine_id, fips and apparmor: one file or path each. */
export function miscFacts(s: Sections, present: ReadonlySet<string>): Vars {
  const machineId = s.text('machine_id').trim().split('\n')[0];
  return {
    ...(machineId ? { machine_id: machineId } : {}),
    fips: s.text('fips').trim() === '1',
    apparmor: { status: present.has('/sys/kernel/security/apparmor') ? 'enabled' : 'disabled' },
  };
}
