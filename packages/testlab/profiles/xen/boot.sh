#!/bin/bash
# Every dom0 (re)boot: no domains survive; guests linked in /etc/xen/auto start again (xendomains).
. /usr/lib/xen-sim/common.sh
rm -rf "$XENSIM_RUN"
mkdir -p "$XENSIM_RUN/domains"
for cfg in /etc/xen/auto/*; do
  [ -e "$cfg" ] && xl create "$cfg" >/dev/null 2>&1
done
exit 0
