#!/bin/sh
exec /bin/sh /usr/lib/vmware/lab/setup.sh
