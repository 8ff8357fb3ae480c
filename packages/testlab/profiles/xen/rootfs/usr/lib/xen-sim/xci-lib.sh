# Functions of the simulated xen-create-image (bash, sourced). docs/platforms/xen.md.
# Uses the globals of xen-create-image: C (config map), IPS (ip list), LOG, PREFIX.

logprint() { printf '%s\n' "$*"; [ -n "$LOG" ] && printf '%s\n' "$*" >>"$LOG"; }
logonly() { [ -n "$LOG" ] && printf '%s\n' "$*" >>"$LOG"; }

# Abort like xen-create-image does: message lines, exit 127.
die() { local l; for l in "$@"; do logprint "$l"; done; cleanup_mounts; exit 127; }

# Run a sub-command through the command wrapper: output to the log only, abort on failure.
run_cmd() {
  local text=$1; shift
  logonly "Running command '$text 2>&1'"
  local out rc
  out=$("$@" 2>&1); rc=$?
  [ -n "$out" ] && logonly "$out"
  [ -n "${C[verbose]}" ] && [ -n "$out" ] && printf '%s\n' "$out"
  if [ $rc -ne 0 ]; then
    cleanup_mounts
    [ "${C[keep]}" = 1 ] || [ -z "$CREATED" ] || delete_images
    die "Running command '$text 2>&1' failed with exit code $rc." "Aborting" "See $LOG for details"
  fi
}

# Rotate /var/log/xen-tools/<host>.log -> <host>.0.log, shifting older numbered logs up.
rotate_log() {
  local dir=/var/log/xen-tools host=$1 n
  mkdir -p "$dir" && chmod 0750 "$dir"
  if [ -e "$dir/$host.log" ]; then
    n=0; while [ -e "$dir/$host.$n.log" ]; do n=$((n + 1)); done
    while [ $n -gt 0 ]; do mv "$dir/$host.$((n - 1)).log" "$dir/$host.$n.log"; n=$((n - 1)); done
    mv "$dir/$host.log" "$dir/$host.0.log"
  fi
  LOG=$dir/$host.log
  : >"$LOG" && chmod 0640 "$LOG"
}

# Image paths of the chosen backend: sets DISK_IMG SWAP_IMG TREE DISK_REF SWAP_REF.
image_paths() {
  local h=${C[hostname]}
  if [ -n "${C[lvm]}" ]; then
    DISK_IMG=$XENSIM_STATE/lvm/${C[lvm]}/$h-disk; SWAP_IMG=$XENSIM_STATE/lvm/${C[lvm]}/$h-swap
    DISK_REF=phy:/dev/${C[lvm]}/$h-disk; SWAP_REF=phy:/dev/${C[lvm]}/$h-swap
    TREE=$XENSIM_STATE/fs/lvm-${C[lvm]}-$h-disk
  else
    DISK_IMG=${C[dir]}/domains/$h/disk.img; SWAP_IMG=${C[dir]}/domains/$h/swap.img
    DISK_REF=file:$DISK_IMG; SWAP_REF=file:$SWAP_IMG
    TREE=$XENSIM_STATE/fs/dir-$h
  fi
}

delete_images() {
  rm -rf -- "$TREE"
  rm -f -- "$DISK_IMG" "$SWAP_IMG"
  [ -n "${C[dir]}" ] && [ -z "${C[lvm]}" ] && rmdir -- "${C[dir]}/domains/${C[hostname]}" 2>/dev/null
  return 0
}

cleanup_mounts() {
  [ -n "$PREFIX" ] || return 0
  mountpoint -q "$PREFIX/proc" 2>/dev/null && umount "$PREFIX/proc"
  mountpoint -q "$PREFIX" 2>/dev/null && umount "$PREFIX"
  rmdir -- "$PREFIX" 2>/dev/null
  PREFIX=
}

# 00:16:3E + first 3 bytes of md5(hostname + ips + dhcp + dist), upper-case.
default_mac() {
  local sum
  sum=$(printf '%s%s%s%s' "${C[hostname]}" "${IPS[*]}" "${C[dhcp]}" "${C[dist]}" | md5sum | cut -c1-6 | tr a-f A-F)
  printf '00:16:3E:%s:%s:%s\n' "${sum:0:2}" "${sum:2:2}" "${sum:4:2}"
}

random_mac() {
  printf '00:16:3E:%s\n' "$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n' | tr a-f A-F | sed 's/../&:/g; s/:$//')"
}

print_general() {
  logprint ""
  logprint "General Information"
  logprint "--------------------"
  logprint "Hostname       :  ${C[hostname]}"
  logprint "Distribution   :  ${C[dist]}"
  logprint "Mirror         :  ${C[mirror]}"
  if [ "${C[noswap]}" = 1 ]; then
    logprint "Partitions     :  /               ${C[size]}    (${C[fs]})"
  else
    logprint "Partitions     :  swap            ${C[swap]}  (swap)"
    logprint "                  /               ${C[size]}    (${C[fs]})"
  fi
  logprint "Image type     :  ${C[image]}"
  logprint "Memory size    :  ${C[memory]}"
  if [ "${C[pygrub]}" = 1 ]; then logprint "Bootloader     :  pygrub"; else
    logprint "Kernel path    :  ${C[kernel]}"
    logprint "Initrd path    :  ${C[initrd]}"
  fi
  logprint ""
  logprint "Networking Information"
  logprint "----------------------"
  if [ "${C[dhcp]}" = 1 ]; then logprint "IP Address     : DHCP [MAC: $MAC]"; else
    local i=1 ip
    for ip in "${IPS[@]}"; do
      if [ $i = 1 ]; then logprint "IP Address $i   : $ip [MAC: $MAC]"; else logprint "IP Address $i   : $ip"; fi
      i=$((i + 1))
    done
  fi
  [ -n "${C[netmask]}" ] && logprint "Netmask        : ${C[netmask]}"
  [ -n "${C[broadcast]}" ] && logprint "Broadcast      : ${C[broadcast]}"
  [ -n "${C[gateway]}" ] && logprint "Gateway        : ${C[gateway]}"
  [ -n "${C[nameserver]}" ] && logprint "Nameserver     : ${C[nameserver]}"
  logprint ""
}

# /etc/xen/<host>.cfg in the xm.tmpl layout (docs/platforms/xen.md).
write_cfg() {
  local out=$1 h=${C[hostname]} vif
  {
    echo "#"
    echo "# Configuration file for the Xen instance $h, created"
    echo "# by xen-tools 4.9 on $(date)."
    echo "#"
    if [ "${C[pygrub]}" = 1 ]; then echo "bootloader = 'pygrub'"; else
      echo "kernel      = '${C[kernel]}'"
      echo "extra       = 'elevator=noop'"
      echo "ramdisk     = '${C[initrd]}'"
    fi
    echo "vcpus       = '${C[vcpus]:-1}'"
    echo "memory      = '$(xensim_mb "${C[memory]}")'"
    [ -n "${C[maxmem]}" ] && echo "maxmem      = '$(xensim_mb "${C[maxmem]}")'"
    echo "type      = '${C[type]:-pv}'"
    echo "root        = '/dev/xvda2 ro'"
    echo "disk        = ["
    echo "                  '$DISK_REF,xvda2,w',"
    [ "${C[noswap]}" = 1 ] || echo "                  '$SWAP_REF,xvda1,w',"
    echo "              ]"
    echo "name        = '$h'"
    if [ "${C[dhcp]}" = 1 ]; then echo "dhcp        = 'dhcp'"; vif="mac=$MAC"; else
      vif="ip=$(printf '%s ' "${IPS[@]}"),mac=$MAC"
    fi
    [ -n "${C[vifname]}" ] && vif+=",vifname=${C[vifname]}"
    [ -n "${C[bridge]}" ] && vif+=",bridge=${C[bridge]}"
    echo "vif         = [ '$vif' ]"
    echo "on_poweroff = 'destroy'"
    echo "on_reboot   = 'restart'"
    echo "on_crash    = 'restart'"
  } >"$out.tmp" && mv "$out.tmp" "$out"
}

# Hooks: /usr/share/xen-tools/<dist>.d, overridden per name by /etc/xen-tools/hooks.d (§5.3).
run_hooks() {
  local dir=/usr/share/xen-tools/${C[dist]}.d name hook rc
  for hook in "$dir"/*; do
    name=$(basename "$hook")
    case $name in *~|*.dpkg-*) continue ;; esac
    [ -f "/etc/xen-tools/hooks.d/$name" ] && hook=/etc/xen-tools/hooks.d/$name
    [ -f "$hook" ] && [ -x "$hook" ] || continue
    if [ -n "${C[verbose]}" ]; then logprint "Running hook $name ['$hook $PREFIX']"; logprint "--"; else logonly "Running hook $name"; fi
    "$hook" "$PREFIX" >>"$LOG" 2>&1; rc=$?
    if [ $rc -ne 0 ]; then
      logonly "hook $name failed: $rc"
      return 1
    fi
    if [ -n "${C[verbose]}" ]; then logprint "--"; logprint "Done"; else logonly "hook $name: done."; fi
  done
  return 0
}

run_roles() {
  local list=$1 r file
  if [ -z "$list" ]; then logprint "No role scripts were specified.  Skipping"; return 0; fi
  IFS=, read -ra roles <<<"$list"
  for r in "${roles[@]}"; do
    case $r in /*) file=$r ;; *) file=${C[roledir]:-/etc/xen-tools/role.d}/$r ;; esac
    logprint "Role: $r"; logprint "	File: $file"; logprint "	Args: ${C[role-args]}"
    if [ ! -x "$file" ]; then logprint "Role script not executable : $file for role '$r'"; logprint "Ignoring"; continue; fi
    # shellcheck disable=SC2086
    run_cmd "$file $PREFIX ${C[role-args]}" "$file" "$PREFIX" ${C[role-args]}
    logprint "Role script completed."
  done
}
