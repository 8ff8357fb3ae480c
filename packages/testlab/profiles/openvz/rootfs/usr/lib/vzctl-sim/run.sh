# Mount, start, stop, exec and in-CT configuration of the simulated vzctl (bash, sourced).
# A running CT is a real init process chrooted into VE_ROOT (a bind mount of VE_PRIVATE).

VZ_CT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# A ploop private area: root.hdd/DiskDescriptor.xml beside the image root.hdd/root.hdd.
vz_is_ploop() { [ -f "$1/root.hdd/DiskDescriptor.xml" ]; }

# Make the ploop image of a new CT in $1 (an ext4 file system in root.hdd/root.hdd, sized by the
# DISKSPACE limit) and mount it on $2. The simulator's image is a plain ext4 file (no journal, to
# keep lab disks small) behind a loop device instead of ploop's delta format.
vz_ploop_create() {
  local dir=$1/root.hdd root=$2 kb
  kb=$(vz_barrier_limit "${VZM[DISKSPACE]}" 1024) || return 1
  kb=${kb#*:}
  mkdir -p "$dir" "$root" && truncate -s "${kb}K" "$dir/root.hdd" && mke2fs -q -F -t ext4 -O ^has_journal "$dir/root.hdd" || return 1
  printf '<?xml version="1.0"?>\n<Parallels_disk_image>\n  <Disk_Parameters><Disk_size>%s</Disk_size></Disk_Parameters>\n  <StorageData><Storage><Image><File>root.hdd</File></Image></Storage></StorageData>\n</Parallels_disk_image>\n' \
    "$((kb * 2))" >"$dir/DiskDescriptor.xml"
  mount -o loop "$dir/root.hdd" "$root"
}

# vzquota init: the simulator's quota file holds the limits (VZM must be loaded).
vz_quota_init() { mkdir -p "$VZ_QUOTA_DIR" && printf '%s %s\n' "${VZM[DISKSPACE]}" "${VZM[DISKINODES]}" >"$VZ_QUOTA_DIR/quota.$1"; }

# Mount the CT: quota check (simfs + DISK_QUOTA), then bind VE_PRIVATE on VE_ROOT.
vz_do_mount() {
  local id=$1 root=${VZM[VE_ROOT]} priv=${VZM[VE_PRIVATE]}
  if [ "${VZM[DISK_QUOTA]:-yes}" = yes ] && [ "${VZM[VE_LAYOUT]:-simfs}" = simfs ]; then
    if [ ! -f "$VZ_QUOTA_DIR/quota.$id" ]; then
      vz_msg "Initializing quota ..."
      [ -n "${VZM[DISKSPACE]:-}" ] || { vz_err "Error: Not enough parameters, diskspace quota not set"; return 63; }
      [ -n "${VZM[DISKINODES]:-}" ] || { vz_err "Error: Not enough parameters, diskinodes quota not set"; return 64; }
      vz_quota_init "$id"
    fi
  fi
  mkdir -p "$root" || { vz_err "Can't create mount point $root"; return 49; }
  if vz_is_ploop "$priv"; then
    mount -o loop "$priv/root.hdd/root.hdd" "$root" || { vz_err "Can't mount ploop image $priv/root.hdd/root.hdd"; return 50; }
  else
    mount --bind "$priv" "$root" || { vz_err "Can't mount: $priv $root"; return 50; }
  fi
  vz_msg "Container is mounted"
}

vz_do_umount() {
  local root=${VZM[VE_ROOT]} m
  # Everything mounted under the CT root (proc, dev), deepest first, then the root itself.
  for m in $(awk -v r="$(vz_real "$root")" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r); do
    umount -l "$m" 2>/dev/null
  done
  vz_is_mounted && { vz_err "Can't umount $root"; return 51; }
  vz_msg "Container is unmounted"
}

# set_hostname / set_dns dist actions: edit the CT's own files (CT mounted).
vz_apply_hostname() {
  local root=${VZM[VE_ROOT]} h=$1
  printf '%s\n' "${h%%.*}" >"$root/etc/hostname"
  if [ -f "$root/etc/hosts" ]; then
    sed -i '/# Auto-generated hostname/d' "$root/etc/hosts"
  fi
  printf '127.0.1.1 %s %s # Auto-generated hostname. Please do not remove this comment.\n' "$h" "${h%%.*}" >>"$root/etc/hosts"
}
vz_apply_dns() {
  local root=${VZM[VE_ROOT]} ns=$1 sd=$2 n
  [ "$ns" = inherit ] && ns=$(awk '$1 == "nameserver" { print $2 }' /etc/resolv.conf 2>/dev/null | tr '\n' ' ')
  {
    [ -n "$sd" ] && printf 'search %s\n' "$sd"
    for n in $ns; do printf 'nameserver %s\n' "$n"; done
  } >"$root/etc/resolv.conf.vzsim" && mv -f "$root/etc/resolv.conf.vzsim" "$root/etc/resolv.conf"
}

vz_do_start() {
  local id=$1 root priv pid k missing=0 rc
  priv=${VZM[VE_PRIVATE]}; root=${VZM[VE_ROOT]}
  [ -n "$root" ] || vz_die 22 "VE_ROOT is not set"
  [ -n "$priv" ] || vz_die 23 "VE_PRIVATE is not set"
  if [ "${VZM[DISABLED]:-no}" = yes ] && [ "$OPT_FORCE" != 1 ]; then vz_die 105 "Container start disabled"; fi
  [ -d "$priv" ] || vz_die 43 "Container private area $priv does not exist"
  vz_is_running "$id" && vz_die 32 "Container is already running"
  local phys=${VZM[PHYSPAGES]:-} req=$VZ_UBC_REQUIRED
  if [ -n "$phys" ] && [ "${phys#*:}" != unlimited ] && [ "${phys#*:}" != "$phys" ]; then req="PHYSPAGES SWAPPAGES"; fi
  for k in $req; do
    [ -n "${VZM[$k]:-}" ] || { vz_err "Error: required UB parameter ${k,,} not set"; missing=1; }
  done
  [ $missing = 0 ] || exit 28
  vz_msg "Starting container..."
  if ! vz_is_mounted; then vz_do_mount "$id" || exit $?; fi
  mkdir -p "$root/proc" "$root/dev" && mount -t proc proc "$root/proc" 2>/dev/null
  [ -c "$root/dev/null" ] || mount --bind /dev "$root/dev" 2>/dev/null
  [ -n "${VZM[HOSTNAME]:-}" ] && vz_apply_hostname "${VZM[HOSTNAME]}"
  [ -n "${VZM[NAMESERVER]:-}" ] && vz_apply_dns "${VZM[NAMESERVER]}" "${VZM[SEARCHDOMAIN]:-}"
  [ -n "${VZM[IP_ADDRESS]:-}" ] && vz_msg "Adding IP address(es): ${VZM[IP_ADDRESS]}"
  mkdir -p "$VZ_RUN_DIR"
  printf '%s\n' "${VZM[IP_ADDRESS]:-}" >"$VZ_RUN_DIR/$id.ips"
  vz_msg "Setting CPU units: ${VZM[CPUUNITS]:-1000}"
  setsid env -i PATH=$VZ_CT_PATH HOME=/root TERM=linux chroot "$root" /sbin/init </dev/null >/dev/null 2>&1 &
  pid=$!
  printf '%s\n' "$pid" >"$(vz_pidfile "$id")"
  # The init must be chrooted before we call the CT running (chroot execs it in place); up to 10 s.
  for k in $(seq 1 100); do vz_is_running "$id" && break; sleep 0.1; done
  vz_is_running "$id" || { vz_err 'Container start failed (try to check kernel messages, e.g. "dmesg | tail")'; exit 7; }
  vz_msg "Container start in progress..."
}

vz_do_stop() {
  local id=$1 fast=$2 pids i
  if ! vz_is_running "$id"; then vz_err "Unable to stop: container is not running"; return 0; fi
  vz_msg "Stopping container ..."
  if [ "$fast" = 1 ]; then
    kill -KILL $(vz_ct_pids "${VZM[VE_ROOT]}") 2>/dev/null
  else
    kill -TERM $(vz_ct_pids "${VZM[VE_ROOT]}") 2>/dev/null
    for i in $(seq 1 $(( ${VZM[STOP_TIMEOUT]:-120} * 10 ))); do
      pids=$(vz_ct_pids "${VZM[VE_ROOT]}"); [ -z "$pids" ] && break; sleep 0.1
    done
    pids=$(vz_ct_pids "${VZM[VE_ROOT]}")
    if [ -n "$pids" ]; then vz_msg "Killing container ..."; kill -KILL $pids 2>/dev/null; fi
  fi
  for i in $(seq 1 50); do [ -z "$(vz_ct_pids "${VZM[VE_ROOT]}")" ] && break; sleep 0.1; done
  [ -z "$(vz_ct_pids "${VZM[VE_ROOT]}")" ] || vz_die 33 "Unable to stop container: operation timed out"
  rm -f "$(vz_pidfile "$id")" "$VZ_RUN_DIR/$id.ips"
  vz_msg "Container was stopped"
  vz_do_umount || exit $?
}

# exec/exec2: run the joined args with bash -c (sh when the CT has no bash) inside the CT.
vz_do_exec() {
  local id=$1 mode=$2; shift 2
  local notrun=31 sh=/bin/sh rc
  [ "$mode" = exec ] && notrun=8
  [ $# -gt 0 ] || vz_die 20 "No command line given for exec"
  vz_is_running "$id" || { vz_err "Container is not running"; exit $notrun; }
  [ -x "${VZM[VE_ROOT]}/bin/bash" ] && sh=/bin/bash
  # The CT's own UTS name: a fresh UTS namespace per exec carrying HOSTNAME.
  local uts=(unshare --uts -- /bin/sh -c 'hostname "$0" 2>/dev/null; exec "$@"' "${VZM[HOSTNAME]:-localhost}")
  unshare --uts true 2>/dev/null || uts=()
  if [ "$*" = - ]; then
    "${uts[@]}" env -i PATH=$VZ_CT_PATH HOME=/root TERM=linux HISTFILE=/dev/null chroot "${VZM[VE_ROOT]}" "$sh" -s
  else
    "${uts[@]}" env -i PATH=$VZ_CT_PATH HOME=/root TERM=linux HISTFILE=/dev/null chroot "${VZM[VE_ROOT]}" "$sh" -c "$*"
  fi
  rc=$?
  if [ "$mode" = exec ] && [ $rc -ne 0 ]; then exit 8; fi
  exit $rc
}
