# Shared helpers of the simulated ESXi tools (busybox ash). Not a file of real ESXi.
# Layout: release data in $LAB/release (edit `build=` to give a host another build);
# state that survives simulated reboots (install image, maintenance mode) in $LAB_VAR;
# per-boot data in $LAB_RUN.
LAB=/usr/lib/vmware/lab
LAB_VAR=/var/lib/vmware-lab
LAB_RUN=/var/run/vmware-lab
set -f

release_field() { sed -n "s/^$1=//p" "$LAB/release" | head -n 1; }
host_uuid() { sed -n 's|^/system/uuid = "\(.*\)"$|\1|p' /etc/vmware/esx.conf 2>/dev/null | head -n 1; }

new_uuid() {
  if [ -r /proc/sys/kernel/random/uuid ]; then cat /proc/sys/kernel/random/uuid
  else printf '%s' "$$-$(date +%s)-$(hostname)" | md5sum | sed 's/^\(........\)\(....\)\(....\)\(....\)\(............\).*/\1-\2-\3-\4-\5/'
  fi
}

# Persistent /etc files: marked by a hidden `.#<name>` file beside them (ESXi 4.x) or by the
# sticky bit (later releases). Prints each file, and its marker, one path per line.
persistent_files() {
  {
    find /etc -follow -type f -name '.#*' | while read -r m; do
      f="${m%/*}/${m##*/.#}"
      if [ -f "$f" ]; then printf '%s\n%s\n' "$f" "$m"; fi
    done
    find /etc -follow -type f -perm -1000
  } | sort -u
}

# Encrypted configuration (ESXi 7.0 U2+ with a TPM): $LAB_VAR/encryption holds `mode=TPM`,
# `recovery_id=` and `recovery_key=` (`setup.sh encryption`). The lab does not really encrypt:
# local.tgz.ve is a `VE1 <recovery id>` line followed by local.tgz, unreadable as a tar.gz and
# refused at boot by a host sealed to another key.
ENC="$LAB_VAR/encryption"
enc_field() { sed -n "s/^$1=//p" "$ENC" 2>/dev/null | head -n 1; }
encrypted() { [ "$(enc_field mode)" = TPM ]; }

# Write a state.tgz (tar.gz holding local.tgz, a tar.gz of the persistent /etc files; encrypted:
# encryption.info and local.tgz.ve instead) to $1.
build_state() {
  _tmp=$(mktemp -d /tmp/state.XXXXXX) || return 1
  _files=$(persistent_files | sed 's|^/||')
  _members=local.tgz
  (cd / && tar czf "$_tmp/local.tgz" $_files)
  _rc=$?
  if [ $_rc = 0 ] && encrypted; then
    { printf 'VE1 %s\n' "$(enc_field recovery_id)"; cat "$_tmp/local.tgz"; } > "$_tmp/local.tgz.ve" &&
      printf 'mode=TPM\nrecoveryId=%s\n' "$(enc_field recovery_id)" > "$_tmp/encryption.info" && rm -f "$_tmp/local.tgz"
    _rc=$?
    _members='encryption.info local.tgz.ve'
  fi
  [ $_rc = 0 ] && (cd "$_tmp" && tar czf "$1.tmp" $_members) && mv "$1.tmp" "$1"
  _rc=$?
  rm -rf "$_tmp"
  return $_rc
}

# Unpack state.tgz $1 into directory $2 (yields $2/etc/...); an encrypted one only with this
# host's key.
unpack_state() {
  if tar tzf "$1" local.tgz.ve >/dev/null 2>&1; then
    tar xzf "$1" -C "$2" local.tgz.ve || return 1
    [ "$(head -n 1 "$2/local.tgz.ve")" = "VE1 $(enc_field recovery_id)" ] || { rm -f "$2/local.tgz.ve"; return 1; }
    tail -n +2 "$2/local.tgz.ve" > "$2/local.tgz" && rm -f "$2/local.tgz.ve"
  else
    tar xzf "$1" -C "$2" local.tgz
  fi && tar xzf "$2/local.tgz" -C "$2" && rm -f "$2/local.tgz"
}

in_maintenance() { [ "$(cat "$LAB_VAR/maintenance" 2>/dev/null)" = 1 ]; }
set_maintenance() { mkdir -p "$LAB_VAR" && echo "$1" > "$LAB_VAR/maintenance.tmp" && mv "$LAB_VAR/maintenance.tmp" "$LAB_VAR/maintenance"; }

# Print a vSphere fault the way vim-cmd does, exit 1.
vim_fault() {
  printf '(%s) {\n   faultCause = (vmodl.MethodFault) null, \n   faultMessage = <unset>\n   msg = "%s"\n}\n' "$1" "$2" >&2
  exit 1
}

# Registered VMs: $LAB_VAR/vms, one `<vmid> <path of the .vmx>` line each (hostd's
# vmInventory.xml in real ESXi). A VM's files live on its datastore, /vmfs/volumes/<ds>/<vm>/;
# /vmfs/volumes/shared is one directory for every ESXi host of the lab (a shared datastore). A
# running VM holds a lock on its datastore, as VMFS does: the file `.lab-lock` beside the .vmx,
# holding the name of the host that runs it. A VM is powered on on this host when this host holds
# its lock; another host cannot power it on while the lock is held (until the holder powers off).
VMS="$LAB_VAR/vms"
vm_path() { sed -n "s|^$1 ||p" "$VMS" 2>/dev/null | head -n 1; }
vm_lock_file() { echo "${1%/*}/.lab-lock"; }
vm_lock_holder() { cat "$(vm_lock_file "$1")" 2>/dev/null; }
vm_is_on() { [ "$(vm_lock_holder "$1")" = "$(hostname)" ]; }
# Take the lock (O_EXCL through noclobber: one host wins); fails when any host holds it.
vm_lock() { (set -C; hostname > "$(vm_lock_file "$1")") 2>/dev/null; }
vm_unlock() { vm_is_on "$1" && rm -f "$(vm_lock_file "$1")"; }
vmx_value() { sed -n "s|^$2 = \"\(.*\)\"\$|\1|p" "$1" | head -n 1; }
running_vms() {
  [ -f "$VMS" ] || return 0
  while read -r _id _path; do vm_is_on "$_path" && echo "$_id"; done < "$VMS"
}
# Drop every lock this host holds (its VMs stopped with it: boot, power off).
release_locks() {
  # Globbing on for the loop, then back as the caller had it (boot.sh globs, the tools do not).
  case $- in *f*) _noglob=1 ;; *) _noglob= ;; esac
  set +f
  for _l in /vmfs/volumes/*/*/.lab-lock; do
    [ -f "$_l" ] && [ "$(cat "$_l" 2>/dev/null)" = "$(hostname)" ] && rm -f "$_l"
  done
  [ -z "$_noglob" ] || set -f
}

# hostd's log of VM power transitions (real ESXi: /var/log/hostd.log), one line each:
#   <ISO time, ms>Z info hostd[<pid>] [Originator@6876 sub=Vmsvc.vm:<vmx>] State Transition (VM_STATE_<A> -> VM_STATE_<B>)
# The time comes from a file's mtime (busybox date has no sub-second format).
hostd_log() {
  _c=$(mktemp /tmp/.hostd-clock.XXXXXX) || return 0
  _ts=$(stat -c %y "$_c" | sed 's/^\([0-9-]*\) \([0-9:]*\)\.\([0-9][0-9][0-9]\).*/\1T\2.\3Z/')
  rm -f "$_c"
  mkdir -p /var/log
  echo "$_ts info hostd[$$] [Originator@6876 sub=Vmsvc.vm:$1] State Transition (VM_STATE_$2 -> VM_STATE_$3)" >> /var/log/hostd.log
}

# A guest shutdown that completes after $2 seconds (unless the VM was powered off meanwhile).
guest_shutdown_after() {
  sleep "$2"
  if vm_is_on "$1"; then rm -f "$(vm_lock_file "$1")"; hostd_log "$1" SHUTTING_DOWN OFF; fi
}
