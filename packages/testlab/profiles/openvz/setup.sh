#!/bin/bash
# Run once, chrooted, when an openvz lab host is created: the /var/lib/vz tree and a
# real OS template cache built from busybox-static.
set -eu
mkdir -p /var/lib/vz/{private,root,template/cache,lock,dump} /etc/vz/conf /etc/vz/names /var/run/vzsim /var/vzquota
[ -e /vz ] || ln -s /var/lib/vz /vz
touch /var/log/vzctl.log
/usr/lib/vzctl-sim/mktemplate.sh debian-12-minimal_12.0_amd64 /var/lib/vz/template/cache >/dev/null
