#!/bin/bash
# Run at every (simulated) boot: containers do not survive a reboot. Forget their init
# pids and unmount what is still mounted below /var/lib/vz/root, like a fresh kernel.
rm -f /var/run/vzsim/*.pid /var/run/vzsim/*.ips /var/lib/vz/lock/*.lck 2>/dev/null
mkdir -p /var/run/vzsim
for m in $(awk '$2 ~ "^/var/lib/vz/root/" { print $2 }' /proc/self/mounts | sort -r); do umount -l "$m" 2>/dev/null; done
exit 0
