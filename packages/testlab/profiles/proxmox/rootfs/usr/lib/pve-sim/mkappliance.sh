#!/bin/bash
# Build a small real appliance template (a Debian-looking root from busybox-static and
# /usr/share/pve-sim/appliance-skel) as a tar.zst. Usage: mkappliance.sh <output file>
set -eu
OUT=$1
SKEL=/usr/share/pve-sim/appliance-skel
BB=$(command -v busybox)
STAGE=$(mktemp -d /var/tmp/pvesim-apl.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT
cp -a "$SKEL/." "$STAGE/"
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,var/tmp,var/log,home,root}
cp "$BB" "$STAGE/bin/busybox"
for a in $("$BB" --list-full); do
  case ${a##*/} in busybox|init|halt|reboot|poweroff|linuxrc) continue ;; esac
  [ -e "$STAGE/$a" ] || ln -s /bin/busybox "$STAGE/$a"
done
chmod 1777 "$STAGE/tmp" "$STAGE/var/tmp"; chmod 700 "$STAGE/root"; chmod 755 "$STAGE/sbin/init"
chown -R 0:0 "$STAGE"
mkdir -p "$(dirname "$OUT")"
tar --numeric-owner -cf - -C "$STAGE" . | zstd -q -o "$OUT.tmp"
mv -f "$OUT.tmp" "$OUT"
