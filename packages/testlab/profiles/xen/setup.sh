#!/bin/bash
# Xen dom0 lab profile, run once chrooted in the new host root.
# Builds the guest rootfs tarball (busybox-static + shadow's user tools) and the xen-tools layout.
set -eu
. /usr/lib/xen-sim/common.sh

# (git keeps no empty directories: the rootfs/ copies of hooks.d and role.d may be missing)
mkdir -p /etc/xen-tools/hooks.d /etc/xen-tools/role.d /etc/xen /etc/xen/auto /srv/xen "$XENSIM_STATE/fs" "$XENSIM_STATE/lvm/vg0" /var/cache/xen-sim
mkdir -p /var/log/xen-tools && chmod 0750 /var/log/xen-tools

# Hook directories per distribution: symlinks into common/, as the Debian package ships them.
for dist in bookworm bullseye trixie; do
  d=/usr/share/xen-tools/$dist.d
  mkdir -p "$d"
  for h in /usr/share/xen-tools/common/*; do ln -sfn "../common/$(basename "$h")" "$d/$(basename "$h")"; done
done

# Guest root filesystem: busybox applets, a Debian-looking /etc, and useradd & co. with their libraries.
t=$(mktemp -d); chmod 0755 "$t"
mkdir -p "$t"/{bin,sbin,usr/bin,usr/sbin,etc/ssh,etc/default,etc/network,root,home,tmp,var/log,var/run,proc,dev,lib,lib64,run}
chmod 1777 "$t/tmp"; chmod 0700 "$t/root"
cp /usr/bin/busybox "$t/bin/busybox"
for app in $(/usr/bin/busybox --list); do
  [ "$app" = busybox ] || [ -e "$t/bin/$app" ] || ln -s busybox "$t/bin/$app"
done
copy_with_libs() {
  local f=$1 lib
  cp -L "$f" "$t$f"
  for lib in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*'); do
    mkdir -p "$t$(dirname "$lib")"; [ -e "$t$lib" ] || cp -L "$lib" "$t$lib"
  done
}
for tool in /usr/sbin/useradd /usr/sbin/usermod /usr/sbin/userdel /usr/sbin/groupadd /usr/sbin/groupmod \
            /usr/sbin/groupdel /usr/sbin/chpasswd /usr/bin/getent /usr/bin/passwd /usr/bin/chage; do
  [ -x "$tool" ] && copy_with_libs "$tool"
done
cp /etc/login.defs "$t/etc/login.defs"
[ -f /etc/default/useradd ] && cp /etc/default/useradd "$t/etc/default/useradd"
[ -d /etc/pam.d ] && cp -r /etc/pam.d "$t/etc/pam.d" && cp -r /etc/security "$t/etc/security" 2>/dev/null || true
for pam in /lib/x86_64-linux-gnu/security /usr/lib/x86_64-linux-gnu/security; do
  [ -d "$pam" ] && mkdir -p "$t$pam" && cp -r "$pam/." "$t$pam/"
done
cat >"$t/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
sshd:x:100:65534::/run/sshd:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
P
cat >"$t/etc/group" <<'G'
root:x:0:
daemon:x:1:
shadow:x:42:
www-data:x:33:
users:x:100:
nogroup:x:65534:
G
cat >"$t/etc/shadow" <<'S'
root:*:19700:0:99999:7:::
daemon:*:19700:0:99999:7:::
www-data:*:19700:0:99999:7:::
sshd:*:19700:0:99999:7:::
nobody:*:19700:0:99999:7:::
S
printf 'root:*::\nshadow:*::\n' >"$t/etc/gshadow"
chmod 0640 "$t/etc/shadow" "$t/etc/gshadow"; chgrp 42 "$t/etc/shadow" "$t/etc/gshadow"
echo /bin/sh >"$t/etc/shells"; echo /bin/bash >>"$t/etc/shells"; echo /usr/sbin/nologin >>"$t/etc/shells"
echo 12.5 >"$t/etc/debian_version"
cat >"$t/etc/os-release" <<'O'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
O
cat >"$t/etc/ssh/sshd_config" <<'C'
# sshd_config of the xen-sim guest image (Debian defaults, abridged)
Include /etc/ssh/sshd_config.d/*.conf
KbdInteractiveAuthentication no
UsePAM yes
X11Forwarding yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
C
mkdir -p "$t/etc/ssh/sshd_config.d" "$t/var/www"; chown 33:33 "$t/var/www"
printf '#!/bin/sh\n# guest init stand-in\nexec /bin/sh\n' >"$t/sbin/init"; chmod 755 "$t/sbin/init"
tar -C "$t" --numeric-owner -czf /var/cache/xen-sim/rootfs.tar.gz .
rm -rf "$t"
