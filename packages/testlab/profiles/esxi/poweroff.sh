#!/bin/sh
exec /bin/sh /usr/lib/vmware/lab/poweroff.sh
