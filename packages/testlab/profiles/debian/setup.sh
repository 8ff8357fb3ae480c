#!/bin/sh
# debian profile, once at creation: /root starts empty (the lab hides the machine's), give it the
# usual skeleton like a fresh install.
cp -a /etc/skel/. /root/ 2>/dev/null || true
chmod 700 /root
# the host name set by the lab, also in /etc/hostname as on a real machine
hostname > /etc/hostname
