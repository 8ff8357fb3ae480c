/**
 * The one command that gathers every fact of a host: POSIX sh and busybox applets only (ESXi's
 * busybox ash is enough). It prints the boundary it was given on the first line, then sections
 * `\n<boundary> <name>\n<content>`; the boundary is fresh per call, so no file content on the host
 * can forge a section. Everything is parsed on the controller (see the parsers beside this file).
 */
import { randomBytes } from 'node:crypto';
import type { Command } from '../../command.js';

/** Package manager paths in Ansible's order (module_utils/facts/system/pkg_mgr.py): the last present wins. */
export const PKG_MGRS: readonly (readonly [path: string, name: string])[] = [
  ['/usr/bin/rpm-ostree', 'atomic_container'], ['/usr/bin/yum', 'yum'], ['/usr/bin/dnf', 'dnf'], ['/usr/bin/apt-get', 'apt'],
  ['/usr/bin/zypper', 'zypper'], ['/usr/sbin/urpmi', 'urpmi'], ['/usr/bin/pacman', 'pacman'], ['/bin/opkg', 'opkg'],
  ['/usr/pkg/bin/pkgin', 'pkgin'], ['/opt/local/bin/pkgin', 'pkgin'], ['/opt/tools/bin/pkgin', 'pkgin'], ['/opt/local/bin/port', 'macports'],
  ['/usr/local/bin/brew', 'homebrew'], ['/opt/homebrew/bin/brew', 'homebrew'], ['/sbin/apk', 'apk'], ['/usr/sbin/pkg', 'pkgng'],
  ['/usr/sbin/swlist', 'swdepot'], ['/usr/bin/emerge', 'portage'], ['/usr/sbin/pkgadd', 'svr4pkg'], ['/usr/bin/pkg', 'pkg5'],
  ['/usr/bin/xbps-install', 'xbps'], ['/usr/local/sbin/pkg', 'pkgng'], ['/usr/bin/swupd', 'swupd'], ['/usr/sbin/sorcery', 'sorcery'],
  ['/usr/bin/installp', 'installp'],
];

/** The files of /sys/devices/virtual/dmi/id the dmi facts come from. */
export const DMI_FILES: readonly string[] = [
  'bios_date', 'bios_vendor', 'bios_version', 'board_asset_tag', 'board_name', 'board_serial', 'board_vendor', 'board_version',
  'chassis_asset_tag', 'chassis_serial', 'chassis_vendor', 'chassis_version', 'chassis_type', 'product_name', 'product_serial',
  'product_uuid', 'product_version', 'product_family', 'sys_vendor',
];

/** Paths whose mere existence some fact depends on (service manager, virtualization, package manager). */
export const PROBED_PATHS: readonly string[] = [
  '/run/systemd/system/', '/dev/.run/systemd/', '/dev/.systemd/', '/etc/init/', '/sbin/openrc', '/etc/init.d/',
  '/proc/vz', '/proc/lve', '/proc/bc', '/.dockerenv', '/.dockerinit', '/proc/xen', '/run/ostree-booted', '/usr/bin/rpm', '/sys/kernel/security/apparmor',
  ...PKG_MGRS.map(([p]) => p),
];

const BODY = String.raw`s() { printf '\n%s %s\n' "$B" "$1"; }
have() { command -v "$1" >/dev/null 2>&1; }
s uname; uname -s; uname -r; uname -v; uname -m; uname -n
s os_release; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null
s debian_version; cat /etc/debian_version 2>/dev/null
s lsb_release; have lsb_release && lsb_release -a 2>/dev/null
s lsb_file; cat /etc/lsb-release 2>/dev/null
s vmware; have vmware && vmware -v 2>/dev/null
s hosts; cat /etc/hosts 2>/dev/null
s hostname_f; awk -v n="$(uname -n)" '/^[^#]/ { for (i = 2; i <= NF; i++) if ($i == n) f = 1 } END { exit !f }' /etc/hosts 2>/dev/null ||
  if have timeout; then timeout 3 hostname -f 2>/dev/null; else hostname -f 2>/dev/null; fi
s resolv; cat /etc/resolv.conf 2>/dev/null
s meminfo; cat /proc/meminfo 2>/dev/null
s cpuinfo; cat /proc/cpuinfo 2>/dev/null
s nproc; nproc 2>/dev/null
s hypervisor; cat /sys/hypervisor/type 2>/dev/null
s mtab; cat /etc/mtab 2>/dev/null || cat /proc/mounts 2>/dev/null
s mountinfo; cat /proc/self/mountinfo 2>/dev/null
s statfs; { cat /etc/mtab 2>/dev/null || cat /proc/mounts 2>/dev/null; } | while read -r dev mnt fs rest; do
  case $dev in /*|\\*|*:/*) [ "$fs" = none ] || { printf '%s ' "$mnt"; stat -f -c '%S %s %b %f %a %c %d' "$(printf '%b' "$mnt")" 2>/dev/null || echo; } ;; esac
done
s uuids; for l in /dev/disk/by-uuid/*; do [ -L "$l" ] && printf '%s %s\n' "$(readlink -f "$l")" "%{l##*/}"; done
s date; date '+%Y %m %d %H %M %S %s %Z %z %A %w %W %N'
s environ; cat /proc/$$/environ 2>/dev/null || { s env_lines; env; }
s id; id -u; id -g; id -un; id -ru; id -rg
s passwd; getent passwd "$(id -un)" 2>/dev/null; cat /etc/passwd 2>/dev/null
s sshkeys; for d in /etc/ssh /etc/openssh /etc; do for t in dsa rsa ecdsa ed25519; do
  f=$d/ssh_host_%{t}_key.pub; [ -f "$f" ] && { printf '%s %s ' "$d" "$t"; head -n 1 "$f"; }
done; done
s paths; for p in $PATHS; do [ -e "$p" ] && printf '%s\n' "$p"; done
[ -x /usr/bin/rpm ] && /usr/bin/rpm -q --whatprovides /usr/bin/apt-get >/dev/null 2>&1 && printf 'apt-rpm\n'
s init; printf 'comm=%s\n' "$(cat /proc/1/comm 2>/dev/null)"; printf 'init_link=%s\n' "$(readlink /sbin/init 2>/dev/null)"
for c in systemctl initctl; do have $c && printf 'have=%s\n' $c; done
s cgroup1; cat /proc/1/cgroup 2>/dev/null
s environ1; cat /proc/1/environ 2>/dev/null
s systemd_container; cat /run/systemd/container 2>/dev/null
s xen_caps; cat /proc/xen/capabilities 2>/dev/null
s dmi; [ -e /sys/devices/virtual/dmi/id/product_name ] && printf 'present=1\n'
for k in $DMI; do printf '%s=%s\n' $k "$(cat /sys/devices/virtual/dmi/id/$k 2>/dev/null)"; done
s uptime; cat /proc/uptime 2>/dev/null
s loadavg; cat /proc/loadavg 2>/dev/null
s machine_id; cat /var/lib/dbus/machine-id 2>/dev/null || cat /etc/machine-id 2>/dev/null
s cmdline; cat /proc/cmdline 2>/dev/null
s fips; cat /proc/sys/crypto/fips_enabled 2>/dev/null
s vxid; grep '^VxID' /proc/self/status 2>/dev/null
s modules; while read -r m rest; do printf '%s\n' "$m"; done 2>/dev/null </proc/modules
s route4; ip -4 route get 8.8.8.8 2>/dev/null
s route6; ip -6 route get 2404:6800:400a:800::1012 2>/dev/null
s ip_addr; ip addr show 2>/dev/null
for d in /sys/class/net/*; do [ -d "$d" ] || continue; s "net %{d##*/}"
  for a in address mtu operstate type flags speed; do [ -r "$d/$a" ] && v=$(cat "$d/$a" 2>/dev/null) && printf '%s=%s\n' $a "$v"; done
  [ -d "$d/bridge" ] && { printf 'bridge_id=%s\n' "$(cat "$d/bridge/bridge_id" 2>/dev/null)"; printf 'stp_state=%s\n' "$(cat "$d/bridge/stp_state" 2>/dev/null)"
    for b in "$d"/brif/*; do [ -e "$b" ] && printf 'brif=%s\n' "%{b##*/}"; done; }
  [ -d "$d/bonding" ] && for k in slaves mode miimon lacp_rate primary all_slaves_active; do printf 'bond_%s=%s\n' $k "$(cat "$d/bonding/$k" 2>/dev/null)"; done
  [ -d "$d/bonding_slave" ] && printf 'perm_hwaddr=%s\n' "$(cat "$d/bonding_slave/perm_hwaddr" 2>/dev/null)"
  [ -e "$d/device" ] && printf 'device=%s\n' "$(readlink "$d/device")"
  [ -e "$d/device/driver/module" ] && printf 'module=%s\n' "$(readlink -f "$d/device/driver/module")"
done
for f in /etc/ansible/facts.d/*.fact; do [ -f "$f" ] || continue
  if [ -x "$f" ]; then s local_exec; printf '%s\0' "$f"; { e=$("$f" 2>&1 >&3 3>&-; r=$?; printf .; exit $r); r=$?; } 3>&1; s local_rc; printf '%s\n%s' "$r" "%{e%.}"
  else s local_file; printf '%s\0' "$f"; cat "$f"; fi
done
true`;

/** The gathering command; `boundary` (hex) is fresh per call unless a test fixes it. */
export function setupCommand(boundary: string = randomBytes(12).toString('hex')): Command {
  // BODY spells sh's own `${` as `%{` (a template literal would take it).
  const text = `B=${boundary}\nPATHS='${PROBED_PATHS.join(' ')}'\nDMI='${DMI_FILES.join(' ')}'\nprintf '%s\\n' "$B"\n${BODY.replaceAll('%{', '${')}`;
  return { text, display: 'gather facts (setup)' };
}
