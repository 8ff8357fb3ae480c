# Shared helpers of the simulated vzctl/vzlist (bash). See the profile README for the layout.
# Sourced, never executed. Facts: docs/platforms/openvz.md.

VZ_GLOBAL_CONF=${VZ_GLOBAL_CONF:-/etc/vz/vz.conf}
VZ_CONF_DIR=${VZ_CONF_DIR:-/etc/vz/conf}
VZ_RUN_DIR=${VZ_RUN_DIR:-/var/run/vzsim}
VZ_QUOTA_DIR=${VZ_QUOTA_DIR:-/var/vzquota}

# UBC parameters, in vzctl's order; the non-vswap set required at start (ub.c check_ub).
VZ_UBC_PARAMS="KMEMSIZE LOCKEDPAGES PRIVVMPAGES SHMPAGES NUMPROC PHYSPAGES VMGUARPAGES OOMGUARPAGES NUMTCPSOCK NUMFLOCK NUMPTY NUMSIGINFO TCPSNDBUF TCPRCVBUF OTHERSOCKBUF DGRAMRCVBUF NUMOTHERSOCK NUMFILE DCACHESIZE NUMIPTENT AVNUMPROC SWAPPAGES"
VZ_UBC_REQUIRED="KMEMSIZE LOCKEDPAGES PRIVVMPAGES SHMPAGES NUMPROC PHYSPAGES VMGUARPAGES OOMGUARPAGES NUMTCPSOCK NUMFLOCK NUMPTY NUMSIGINFO TCPSNDBUF TCPRCVBUF OTHERSOCKBUF DGRAMRCVBUF NUMOTHERSOCK NUMFILE DCACHESIZE NUMIPTENT"

# Parse a `KEY="value"` file into the associative array named $2 (later keys win).
# Lines that are comments or not KEY=value are ignored, like vzctl's parser.
vz_parse_conf() {
  local file=$1 line key val
  local -n _dst=$2
  [ -r "$file" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line#"${line%%[![:space:]]*}"}
    case $line in ''|'#'*) continue ;; esac
    [[ $line =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[1]}
    val=${BASH_REMATCH[2]}
    val=${val%"${val##*[![:space:]]}"}
    if [[ $val =~ ^\"(.*)\"$ ]] || [[ $val =~ ^\'(.*)\'$ ]]; then val=${BASH_REMATCH[1]}; fi
    _dst[$key]=$val
  done <"$file"
  return 0
}

# Expand $VEID / ${VEID} in a path value.
vz_expand() {
  local v=$1 id=$2
  v=${v//\$\{VEID\}/$id}
  v=${v//\$VEID/$id}
  v=${v//\$\{CTID\}/$id}
  v=${v//\$CTID/$id}
  printf '%s' "$v"
}

declare -gA VZG=()
# Load /etc/vz/vz.conf into VZG. Returns 1 if it is unreadable.
vz_load_global() {
  VZG=()
  vz_parse_conf "$VZ_GLOBAL_CONF" VZG
}

declare -gA VZC=()   # CT config only
declare -gA VZM=()   # merged view: vz.conf overridden by the CT config
# Load the config of CT $1 into VZC and the merged view into VZM.
vz_load_ct() {
  local id=$1 k
  VZC=(); VZM=()
  for k in "${!VZG[@]}"; do VZM[$k]=${VZG[$k]}; done
  if [ -f "$VZ_CONF_DIR/$id.conf" ]; then
    vz_parse_conf "$VZ_CONF_DIR/$id.conf" VZC
    for k in "${!VZC[@]}"; do VZM[$k]=${VZC[$k]}; done
  fi
  VZM[VE_PRIVATE]=$(vz_expand "${VZM[VE_PRIVATE]:-}" "$id")
  VZM[VE_ROOT]=$(vz_expand "${VZM[VE_ROOT]:-}" "$id")
}

vz_private() { vz_load_ct "$1"; printf '%s\n' "${VZM[VE_PRIVATE]}"; }

vz_pidfile() { printf '%s/%s.pid\n' "$VZ_RUN_DIR" "$1"; }

# Canonical path (symlinks resolved) or the path itself when it does not exist.
vz_real() { realpath -m -- "$1" 2>/dev/null || printf '%s\n' "$1"; }

# PIDs of every process chrooted into the mount point $1.
vz_ct_pids() {
  local root p r
  root=$(vz_real "$1")
  for p in /proc/[0-9]*; do
    r=$(readlink "$p/root" 2>/dev/null) || continue
    [ "$r" = "$root" ] && printf '%s\n' "${p#/proc/}"
  done
}

# Running = the init recorded at start is alive and chrooted into VE_ROOT. Needs vz_load_ct first.
vz_is_running() {
  local id=$1 pf pid r
  pf=$(vz_pidfile "$id")
  [ -f "$pf" ] || return 1
  read -r pid <"$pf" || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  r=$(readlink "/proc/$pid/root" 2>/dev/null) || return 1
  [ "$r" = "$(vz_real "${VZM[VE_ROOT]}")" ]
}

vz_is_mounted() {
  [ -n "${VZM[VE_ROOT]}" ] && mountpoint -q -- "${VZM[VE_ROOT]}" 2>/dev/null
}

# exist = private area and config both present (vzctl status semantics).
vz_exists() {
  [ -f "$VZ_CONF_DIR/$1.conf" ] && [ -n "${VZM[VE_PRIVATE]}" ] && [ -d "${VZM[VE_PRIVATE]}" ]
}

# All CT ids that have a config file, numerically sorted.
vz_all_ctids() {
  local f b
  for f in "$VZ_CONF_DIR"/*.conf; do
    [ -f "$f" ] || continue
    b=${f##*/}; b=${b%.conf}
    [[ $b =~ ^[0-9]+$ ]] && printf '%s\n' "$b"
  done | sort -n
}
