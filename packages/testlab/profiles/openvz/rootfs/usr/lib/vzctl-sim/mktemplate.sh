#!/bin/bash
# Build a small real OS template cache from busybox-static and the skeleton in
# /usr/share/vzctl-sim/ct-skel. Usage: mktemplate.sh [NAME] [CACHE_DIR] [debian|rhel]
# Default: debian-12-minimal_12.0_amd64 into /var/lib/vz/template/cache. `rhel` builds a
# CentOS 6 look-alike instead: no os-release (CentOS 6 has none), /etc/redhat-release,
# /etc/sysconfig/{i18n,clock}, simulated yum/rpm (ct-skel-rhel overlay).
set -eu
NAME=${1:-debian-12-minimal_12.0_amd64}
CACHE=${2:-/var/lib/vz/template/cache}
FLAVOUR=${3:-debian}
SKEL=/usr/share/vzctl-sim/ct-skel
BB=$(command -v busybox)
STAGE=$(mktemp -d /var/tmp/vzsim-tmpl.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT

cp -a "$SKEL/." "$STAGE/"
if [ "$FLAVOUR" = rhel ]; then
  rm -rf "$STAGE"/etc/debian_version "$STAGE"/etc/os-release "$STAGE"/etc/default "$STAGE"/etc/timezone "$STAGE"/etc/network \
    "$STAGE"/usr/bin/apt-get "$STAGE"/usr/bin/dpkg-query "$STAGE"/usr/share/apt-sim "$STAGE"/var/lib/dpkg-sim
  cp -a "$SKEL-rhel/." "$STAGE/"
fi
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,var/tmp,var/log,usr/share/zoneinfo/Etc,usr/share/zoneinfo/Europe,usr/share/zoneinfo/America}
cp "$BB" "$STAGE/bin/busybox"
for a in $("$BB" --list-full); do
  case ${a##*/} in busybox|init|halt|reboot|poweroff|dpkg|dpkg-deb|linuxrc) continue ;; esac
  [ -e "$STAGE/$a" ] || ln -s /bin/busybox "$STAGE/$a"
done
for z in Etc/UTC Europe/Berlin Europe/Amsterdam America/New_York; do
  if [ -f "/usr/share/zoneinfo/$z" ]; then cp "/usr/share/zoneinfo/$z" "$STAGE/usr/share/zoneinfo/$z"
  else printf 'TZif2 simulated %s\n' "$z" >"$STAGE/usr/share/zoneinfo/$z"; fi
done
ln -sf Etc/UTC "$STAGE/usr/share/zoneinfo/UTC"
ln -sf /usr/share/zoneinfo/Etc/UTC "$STAGE/etc/localtime"
[ "$FLAVOUR" = rhel ] || ln -sf apt-get "$STAGE/usr/bin/apt"
mknod -m 666 "$STAGE/dev/null" c 1 3 2>/dev/null || true
mknod -m 666 "$STAGE/dev/zero" c 1 5 2>/dev/null || true
mknod -m 666 "$STAGE/dev/urandom" c 1 9 2>/dev/null || true
mknod -m 666 "$STAGE/dev/tty" c 5 0 2>/dev/null || true
if [ "$FLAVOUR" = rhel ]; then mkdir -p "$STAGE/var/cache/yum"; HIST=$STAGE/var/lib/rpm-sim/history.log
else mkdir -p "$STAGE/var/cache/apt/archives" "$STAGE/var/lib/apt/lists"; HIST=$STAGE/var/lib/dpkg-sim/history.log; fi
printf 'created %s from %s\n' "$NAME" "$("$BB" | head -n1)" >"$HIST"
chmod 1777 "$STAGE/tmp" "$STAGE/var/tmp"; chmod 700 "$STAGE/root"; chmod 640 "$STAGE/etc/shadow"
chown -R 0:0 "$STAGE"
chown 0:42 "$STAGE/etc/shadow"
chown -R 33:33 "$STAGE/var/www"
chown -R 1000:1000 "$STAGE/home/debian"
mkdir -p "$CACHE"
tar --numeric-owner -czf "$CACHE/$NAME.tar.gz.tmp" -C "$STAGE" .
mv -f "$CACHE/$NAME.tar.gz.tmp" "$CACHE/$NAME.tar.gz"
echo "$CACHE/$NAME.tar.gz"
