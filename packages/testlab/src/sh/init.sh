#!/bin/sh
# Supervisor, PID 1 of a lab host (chrooted by stage0.sh). POSIX sh: runs under dash or busybox ash.
# First start: copy each profile's rootfs/ over / and run its setup.sh. Every start: run each
# profile's boot.sh, then sshd in the foreground. SIGUSR1 (/sbin/lab-reboot) is a simulated
# reboot: kill every other process, clear /run, boot again. SIGUSR2 (the BMC's power off) kills
# every other process, runs each profile's poweroff.sh, reports `powered-off` in the state
# directory and waits for SIGUSR1 (power on). SIGTERM shuts the host down.
L=/run/lab
sshd= idle= reboot=0 off=0
log() { echo "lab-init[$LAB_HOSTNAME]: $*" >&2; }

# Copy a profile's rootfs/ over / from inside the chroot, so absolute symlinks resolve in the host.
install_rootfs() {
  [ -d "$1/rootfs" ] || return 0
  (cd "$1/rootfs" && find . -mindepth 1) | while IFS= read -r f; do
    s=$1/rootfs/$f t=${f#.}
    if [ -d "$s" ] && [ ! -L "$s" ]; then
      [ -d "$t" ] || { mkdir -p "$t" && chmod "$(stat -c %a "$s")" "$t"; } || exit 1
    else
      rm -f "$t" && cp -pP "$s" "$t" || exit 1
    fi
  done
}

# Run $1 (setup.sh or boot.sh) of every profile, base first, with the interpreter its #! line
# names (else /bin/sh); stop at the first failure.
run_scripts() {
  for p in "$L"/profiles/*; do
    [ -f "$p/$1" ] || continue
    first= && read -r first < "$p/$1"
    case $first in '#!'*) interp=${first#??} ;; *) interp=/bin/sh ;; esac
    (cd / && LAB_PROFILE_DIR=$p exec $interp "$p/$1") || { log "$p/$1 failed (exit $?)"; return 1; }
  done
}

provision() {
  for p in "$L"/profiles/*; do
    install_rootfs "$p" || { log "copying $p/rootfs failed"; return 1; }
  done
  run_scripts setup.sh && : > "$L/state/provisioned"
}

start_sshd() {
  mkdir -p /run/sshd && chmod 755 /run/sshd
  cp "$L/bin/lab-reboot" /sbin/lab-reboot
  set -- -D -e -f "$L/etc/sshd_config"
  [ -x /usr/lib/openssh/sftp-server ] && set -- "$@" -o "Subsystem sftp /usr/lib/openssh/sftp-server"
  /usr/sbin/sshd "$@" &
  sshd=$!
}

power_off() {
  log "power off"
  kill -KILL -1 2>/dev/null
  run_scripts poweroff.sh
  : > "$L/state/powered-off"
}

trap 'reboot=1; kill -KILL $sshd $idle 2>/dev/null' USR1
trap 'off=1; kill -KILL $sshd $idle 2>/dev/null' USR2
trap 'log "shutting down"; kill -KILL -1 2>/dev/null; exit 0' TERM INT
cd /
[ -e "$L/state/provisioned" ] || provision || exit 1
while :; do
  run_scripts boot.sh || exit 1
  start_sshd
  [ "$reboot" = 0 ] || kill -KILL "$sshd"  # lab-reboot arrived while booting
  wait "$sshd"
  [ "$reboot" = 1 ] || [ "$off" = 1 ] || log "sshd exited; waiting for lab-reboot"
  while [ "$reboot" = 0 ]; do
    if [ "$off" = 1 ]; then power_off; off=2; continue; fi
    # Bounded: a signal that lands between the check and the wait costs at most 5 s.
    sleep 5 & idle=$!; wait "$idle"
  done
  log "reboot"
  reboot=0 off=0
  rm -f "$L/state/powered-off"
  kill -KILL -1 2>/dev/null
  wait "$sshd" 2>/dev/null  # the old listener must be gone before the new sshd binds
  for f in /run/* /run/.[!.]*; do [ "$f" = "$L" ] || rm -rf "$f"; done
done
