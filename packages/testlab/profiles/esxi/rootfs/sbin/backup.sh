#!/bin/sh
# Simulated ESXi /sbin/backup.sh (0 = by hand/cron, 1 = at shutdown): rewrite /bootbank/state.tgz
# from the persistent /etc files. See platforms.md §1.1-1.2.
. /usr/lib/vmware/lab/lib.sh
if [ ! -d /bootbank ]; then
  logger -t backup.sh 'No bootbank: not saving state' 2>/dev/null
  exit 1
fi
echo "Saving current state in /bootbank"
if ! build_state /bootbank/state.tgz; then
  logger -t backup.sh 'Saving state failed' 2>/dev/null
  exit 1
fi
echo "Clock updated."
date -u '+Time: %H:%M:%S   Date: %m/%d/%Y   UTC'
