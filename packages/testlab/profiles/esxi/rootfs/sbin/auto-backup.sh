#!/bin/sh
# Simulated ESXi /sbin/auto-backup.sh (cron runs it at minute 1 of every hour): compare the
# persistent /etc files with the copy in /bootbank/state.tgz and, when something differs (or
# there is no state.tgz yet), save with backup.sh 0. Prints diff's lines for the files that
# differ, then backup.sh's lines; prints nothing when nothing differs. PXE-booted hosts have
# no /bootbank: exit 1. When backup.sh fails it logs "Auto-Backup failed" and still exits 0, as
# the real script does. See docs/platforms/esxi.md (auto-backup.sh).
. /usr/lib/vmware/lab/lib.sh
[ -d /bootbank ] || exit 1
tmp=/tmp/auto-backup.$$
rm -rf "$tmp"
mkdir -p "$tmp"
changed=0
if [ -f /bootbank/state.tgz ] && unpack_state /bootbank/state.tgz "$tmp" 2>/dev/null; then
  for f in $(persistent_files); do
    diff "$f" "$tmp/$f" || changed=1
  done
  # A persistent file that was deleted (or unmarked) since the last save also counts.
  saved=$(cd "$tmp" && find etc -type f | sed 's|^|/|' | sort)
  [ "$saved" = "$(persistent_files)" ] || changed=1
else
  changed=1
fi
rm -rf "$tmp"
if [ "$changed" = 1 ]; then
  /sbin/backup.sh 0 || logger -t auto-backup 'Auto-Backup failed' 2>/dev/null
fi
exit 0
