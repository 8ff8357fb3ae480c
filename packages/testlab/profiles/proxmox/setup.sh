#!/bin/bash
# Once, chrooted, when a proxmox lab host is created: the pmxcfs tree of a one-node cluster
# (/etc/pve, a plain directory here), two dir storages, and the local appliance mirror that
# stands in for download.proxmox.com (one real template built from busybox-static).
set -eu
node=$(hostname)
mkdir -p "/etc/pve/nodes/$node/lxc" "/etc/pve/nodes/$node/qemu-server" /etc/pve/firewall /etc/pve-sim/ignore-acpi
ln -sfn "nodes/$node" /etc/pve/local
ln -sfn "nodes/$node/lxc" /etc/pve/lxc
ln -sfn "nodes/$node/qemu-server" /etc/pve/qemu-server
cat > /etc/pve/storage.cfg <<'CFG'
dir: local
	path /var/lib/vz
	content iso,vztmpl,backup

dir: vmdata
	path /var/lib/vmdata
	content rootdir,images
CFG
mkdir -p /var/lib/vz/{template/cache,template/iso,dump} /var/lib/vmdata/images /var/lib/pve-manager/apl-info /var/log/pve/tasks
m=/usr/share/pve-sim/mirror
t=debian-12-standard_12.7-1_amd64.tar.zst
/usr/lib/pve-sim/mkappliance.sh "$m/system/$t"
cat > "$m/aplinfo.dat" <<APL
Package: debian-12-standard
Version: 12.7-1
Type: lxc
OS: debian-12
Section: system
Maintainer: Proxmox Support Team <support@proxmox.com>
Architecture: amd64
Location: system/$t
sha512sum: $(sha512sum "$m/system/$t" | cut -d' ' -f1)
Infopage: https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions
Description: Debian 12 Bookworm (standard)
 A small Debian Bookworm system including all standard packages.

APL
