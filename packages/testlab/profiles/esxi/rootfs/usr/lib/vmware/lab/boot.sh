#!/bin/sh
# Boot of a simulated ESXi host (run by the profile's boot.sh at every start, before sshd).
# First boot = installation: mark the persistent /etc files, write esx.conf, keep /etc as the
# install image and save the first /bootbank/state.tgz. Every later boot is what ESXi does:
# /etc comes back from the install image, then the persistent files from state.tgz
# (state.tgz -> local.tgz -> /etc); unsaved /etc edits, /tmp and /scratch/downloads are gone.
. /usr/lib/vmware/lab/lib.sh
PERSISTENT='passwd shadow group hosts resolv.conf hostname ssh/sshd_config ssh/keys-root/authorized_keys vmware/esx.conf'
set +f  # the loops below glob
mkdir -p "$LAB_VAR"

if [ ! -f "$LAB_VAR/install-etc.tgz" ]; then
  mkdir -p /etc/vmware /etc/ssh/keys-root
  if [ -z "$(host_uuid)" ]; then
    printf '/system/uuid = "%s"\n/adv/Misc/HostName = "%s"\n' "$(new_uuid)" "$(hostname)" >> /etc/vmware/esx.conf
  fi
  keys=$(find /etc/ssh -maxdepth 1 -type f -name 'ssh_host_*' | sed 's|^/etc/||')
  for f in $PERSISTENT $keys; do
    [ -f "/etc/$f" ] && : > "/etc/$(dirname "$f")/.#$(basename "$f")"
  done
  (cd / && tar czf "$LAB_VAR/install-etc.tgz.tmp" etc) && mv "$LAB_VAR/install-etc.tgz.tmp" "$LAB_VAR/install-etc.tgz"
  [ -d /bootbank ] && build_state /bootbank/state.tgz
else
  for e in /etc/* /etc/.[!.]*; do [ -e "$e" ] || [ -L "$e" ] && rm -rf "$e" 2>/dev/null; done
  tar xzf "$LAB_VAR/install-etc.tgz" -C /
  if [ -f /bootbank/state.tgz ]; then
    t=$(mktemp -d /tmp/boot.XXXXXX)
    # A configuration sealed to another key cannot be decrypted: a real host stops at boot until
    # it gets the recovery key (encryptionRecoveryKey=); the lab boots the install image instead.
    if unpack_state /bootbank/state.tgz "$t"; then cp -a "$t/etc/." /etc/; else echo "cannot decrypt /bootbank/state.tgz" > "$LAB_VAR/boot-error"; fi
    rm -rf "$t"
  fi
fi

# The host was off: so are its VMs (autostart is not simulated); it holds no lock any more.
release_locks
for e in /tmp/* /tmp/.[!.]* /scratch/downloads/*; do rm -rf "$e" 2>/dev/null; done
rm -rf "$LAB_RUN"
mkdir -p "$LAB_RUN"
frac=$(sed -n 's/^[0-9]*\.\([0-9]*\) .*/\1/p' /proc/uptime 2>/dev/null)
echo "$(date +%s).${frac:-00}0000" > "$LAB_RUN/boottime"
