#!/bin/bash
# Xen dom0 lab profile, run once chrooted in the new host root. Debian's real xen-tools (from the machine's
# root, the host's lower layer) creates the guests; only `xl` and LVM are simulated (rootfs/).
# The guest root tarball and the apt repository were built by prepare.sh (cached, once per machine).
set -eu
. /usr/lib/xen-sim/common.sh
C=$(cat /run/lab/state/xen.prepared)
[ -f "$C/rootfs.tar" ] && [ -d "$C/apt/dists" ] || { echo "xen profile: prepare.sh output missing ($C)" >&2; exit 1; }
ln -sfn "$C" /var/cache/xen-lab
addr=$(sed -n 's/^ListenAddress \([0-9.]*\):.*/\1/p' /run/lab/etc/sshd_config | head -n 1)
mkdir -p /etc/xen /etc/xen/auto /srv/xen "$XENSIM_STATE/lvm/vg0" "$XENSIM_RUN"
# Debian's xen-tools.conf with the lab's choices: guests are unpacked from the cached minbase tarball
# (--install-method=tar), and the hooks' apt-get talks to this dom0's local repository (served by boot.sh).
sed -i -e 's/^install-method = debootstrap$/# &  (lab: tar below)/' -e 's/^dist   = `xt-guess-suite-and-mirror --suite`$/# &/' \
  /etc/xen-tools/xen-tools.conf
cat >>/etc/xen-tools/xen-tools.conf <<CONF

##
#  shipshape test lab (profile xen)
##
install-method = tar
install-source = /var/cache/xen-lab/rootfs.tar
dist   = bookworm
dir    = /srv/xen
mirror = http://$addr/
CONF
