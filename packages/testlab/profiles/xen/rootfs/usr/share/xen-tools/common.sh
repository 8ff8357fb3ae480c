# Helpers sourced by xen-tools hooks (lab simulator subset of hooks/common.sh, docs/platforms/xen.md, hooks).
logMessage() { [ -n "${verbose}" ] && echo "$@"; return 0; }
assert() { if [ ! $2 ]; then echo "Assertion failed at line $1: $2" >&2; exit 1; fi; }
isDeb() { [ -e "$1/usr/bin/apt-get" ] || [ -e "$1/etc/debian_version" ]; }
isYum() { [ -e "$1/usr/bin/yum" ]; }
installDebianPackage() { local p=$1; shift; chroot "$p" /usr/bin/apt-get install -y -q "$@"; }
installDebianPackageAndRecommends() { installDebianPackage "$@"; }
removeDebianPackage() { local p=$1; shift; chroot "$p" /usr/bin/apt-get remove -y --purge "$@"; }
installPackage() { installDebianPackage "$@"; }
disableStartStopDaemon() { :; }
enableStartStopDaemon() { :; }
