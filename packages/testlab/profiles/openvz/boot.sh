#!/bin/bash
# Run at every (simulated) boot: containers do not survive a reboot. Forget their init
# pids and unmount what is still mounted below /var/lib/vz/root, like a fresh kernel.
rm -f /var/run/vzsim/*.pid /var/run/vzsim/*.ips /var/lib/vz/lock/*.lck 2>/dev/null
mkdir -p /var/run/vzsim
for m in $(awk '$2 ~ "^/var/lib/vz/root/" { print $2 }' /proc/self/mounts | sort -r); do umount -l "$m" 2>/dev/null; done
# ploop containers are ext4 images behind loop devices: the host's private /dev gets the loop
# nodes (the kernel's loop driver hands out free devices through /dev/loop-control).
if [ ! -e /dev/loop-control ]; then
  mknod -m 660 /dev/loop-control c 10 237 2>/dev/null
  for n in $(seq 0 255); do mknod -m 660 "/dev/loop$n" b 7 "$n" 2>/dev/null; done
fi
exit 0
