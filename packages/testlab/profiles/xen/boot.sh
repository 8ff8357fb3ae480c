#!/bin/bash
# Every dom0 (re)boot: no domains survive (their disks are unmounted), loop device nodes exist for
# xen-create-image's `mount -o loop`, LVM volume links are back in /dev, the local apt repository is
# served on this host's address, and guests linked in /etc/xen/auto start again (xendomains).
. /usr/lib/xen-sim/common.sh
for m in $(awk -v p="$XENSIM_RUN/mnt/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$m"; done
rm -rf "$XENSIM_RUN"
mkdir -p "$XENSIM_RUN/domains" "$XENSIM_RUN/mnt"
[ -e /dev/loop-control ] || mknod -m 660 /dev/loop-control c 10 237
for i in $(seq 0 63); do [ -e "/dev/loop$i" ] || mknod -m 660 "/dev/loop$i" b 7 "$i"; done
for f in "$XENSIM_STATE"/lvm/*/*; do
  [ -f "$f" ] || continue
  lv=${f#"$XENSIM_STATE/lvm/"}; mkdir -p "/dev/${lv%/*}"; ln -sfn "$f" "/dev/$lv"
done
addr=$(sed -n 's/^ListenAddress \([0-9.]*\):.*/\1/p' /run/lab/etc/sshd_config | head -n 1)
busybox httpd -p "$addr:80" -h /var/cache/xen-lab/apt || { echo "xen profile: cannot serve the apt repository on $addr:80" >&2; exit 1; }
for cfg in /etc/xen/auto/*; do
  [ -e "$cfg" ] && xl create "$cfg" >/dev/null 2>&1
done
exit 0
