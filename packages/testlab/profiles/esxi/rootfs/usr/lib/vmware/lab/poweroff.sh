#!/bin/sh
# Power off of a simulated ESXi host (its BMC's chassis power off; run by the lab supervisor
# after every process of the host is gone): the host no longer holds the locks of the VMs it ran,
# so another host that sees the datastore can power them on.
. /usr/lib/vmware/lab/lib.sh
release_locks
