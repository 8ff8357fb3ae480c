#!/bin/sh
# Simulated ESXi /sbin/backup.sh (0 = by hand/cron, 1 = at shutdown): rewrite /bootbank/state.tgz
# from the persistent /etc files. See docs/platforms/esxi.md (persistence).
. /usr/lib/vmware/lab/lib.sh
if [ ! -d /bootbank ]; then
  logger -t backup.sh 'No bootbank: not saving state' 2>/dev/null
  exit 1
fi
echo "Saving current state in /bootbank"
# A full or failing boot device (lab: the marker file $LAB_VAR/bootbank-full) leaves the old state.tgz.
if [ -f "$LAB_VAR/bootbank-full" ]; then
  echo "tar: write error: No space left on device" >&2
  logger -t backup.sh 'Saving state failed' 2>/dev/null
  exit 1
fi
if ! build_state /bootbank/state.tgz; then
  logger -t backup.sh 'Saving state failed' 2>/dev/null
  exit 1
fi
echo "Clock updated."
date -u '+Time: %H:%M:%S   Date: %m/%d/%Y   UTC'
