#!/bin/sh
# Creation of a simulated ESXi host (chrooted, once). `setup.sh pxe` makes a PXE-booted host:
# no /bootbank, so nothing can be persisted (docs/platforms/esxi.md, persistence).
set -e
mkdir -p /vmfs/volumes/datastore1/.locker/downloads /var/lib/vmware-lab /tmp
ln -sfn /vmfs/volumes/datastore1/.locker /scratch
if [ "$1" = pxe ]; then
  rm -f /bootbank /altbootbank
else
  mkdir -p /vmfs/volumes/BOOTBANK1 /vmfs/volumes/BOOTBANK2
  ln -sfn /vmfs/volumes/BOOTBANK1 /bootbank
  ln -sfn /vmfs/volumes/BOOTBANK2 /altbootbank
fi
