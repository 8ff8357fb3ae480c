#!/bin/sh
# Creation of a simulated ESXi host (chrooted, once). `setup.sh pxe` makes a PXE-booted host:
# no /bootbank, so nothing can be persisted (docs/platforms/esxi.md, persistence).
# `setup.sh release <version> <build> <update>` makes the host another release (e.g.
# `release 7.0.3 21930508 3`: no `esxcli system ssh`); run inside the host, then reboot it.
set -e
# `setup.sh encryption` seals the host's configuration to a TPM key (ESXi 7.0 U2+): a new
# recovery id and key, and state.tgz rewritten encrypted.
if [ "$1" = encryption ]; then
  . /usr/lib/vmware/lab/lib.sh
  id=$(new_uuid | tr 'a-f' 'A-F')
  key=$(od -An -tu2 -N32 /dev/urandom | tr -s ' \n' ' ' | sed 's/^ //; s/ $//; s/ /-/g')
  printf 'mode=TPM\nrecovery_id={%s}\nrecovery_key=%s\n' "$id" "$key" > "$ENC"
  [ -d /bootbank ] && build_state /bootbank/state.tgz
  exit 0
fi
if [ "$1" = release ]; then
  printf 'version=%s\nbuild=%s\nupdate=%s\npatch=0\n' "$2" "$3" "$4" > /usr/lib/vmware/lab/release
  exit 0
fi
mkdir -p /vmfs/volumes/datastore1/.locker/downloads /var/lib/vmware-lab /tmp
# Sample VMs on the shared datastore (not registered anywhere): the management VM, the rescue
# watcher's VM and a managed machine of playbooks/rescue/policy.ts.
for vm in vcenter rescue web1; do
  d=/vmfs/volumes/shared/$vm
  [ -f "$d/$vm.vmx" ] && continue
  mkdir -p "$d"
  printf 'displayName = "%s"\nguestOS = "other-64"\nvirtualHW.version = "14"\nlab.guestShutdownSeconds = "1"\n' "$vm" > "$d/.$vm.vmx.$(hostname)" &&
    mv "$d/.$vm.vmx.$(hostname)" "$d/$vm.vmx"
done
ln -sfn /vmfs/volumes/datastore1/.locker /scratch
if [ "$1" = pxe ]; then
  rm -f /bootbank /altbootbank
else
  mkdir -p /vmfs/volumes/BOOTBANK1 /vmfs/volumes/BOOTBANK2
  ln -sfn /vmfs/volumes/BOOTBANK1 /bootbank
  ln -sfn /vmfs/volumes/BOOTBANK2 /altbootbank
fi
