# Shared helpers of the simulated Proxmox VE 8 tools (pct, qm, pveam, pvesm, pveversion): bash,
# sourced. Facts: docs/platforms/proxmox.md. State layout: the profile README.
set -u
PVE_ETC=${PVE_ETC:-/etc/pve}
PVE_RUN=/var/run/pve-sim
NODE=$(hostname)
NODE_DIR=$PVE_ETC/nodes/$NODE
LXC_DIR=$NODE_DIR/lxc
QM_DIR=$NODE_DIR/qemu-server
CT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# A die of PVE's CLI: the message on stderr, exit 255 (exit(-1)).
die() { printf '%s\n' "$*" >&2; exit 255; }
# raise_param_exc: "400 Parameter verification failed." and "<param>: <msg>", then the usage line.
param_die() {
  local usage=$1; shift
  { echo "400 Parameter verification failed."; printf '%s\n' "$@"; echo; echo "$usage"; } >&2
  exit 255
}

# Options after the positional arguments, as PVE::JSONSchema::get_options reads them: `--key value`,
# a boolean may stand alone (`--force` = 1). Fills OPT (key → value; repeated keys joined by NUL),
# POS (positionals) and EXTRA (everything after `--`). $1: space-separated boolean option names.
declare -gA OPT=()
POS=() EXTRA=()
parse_opts() {
  local bools=" $1 " k; shift
  OPT=(); POS=(); EXTRA=()
  while [ $# -gt 0 ]; do
    case $1 in
      --) shift; EXTRA=("$@"); return 0 ;;
      --*)
        k=${1#--}; shift
        if [[ $bools == *" $k "* ]]; then
          if [[ ${1:-} =~ ^(0|1|yes|no|true|false|on|off)$ ]]; then OPT[$k]=$(bool "$1"); shift; else OPT[$k]=1; fi
        else
          [ $# -gt 0 ] || { MISSING=$k; return 2; }
          if [ -n "${OPT[$k]+x}" ]; then OPT[$k]+=$'\n'"$1"; else OPT[$k]=$1; fi
          shift
        fi ;;
      *) POS+=("$1"); shift ;;
    esac
  done
}
bool() { case $1 in 1|yes|true|on) echo 1 ;; *) echo 0 ;; esac; }

check_vmid() {  # pve-vmid: 100 .. 999999999
  [[ $1 =~ ^[1-9][0-9]{2,8}$ ]] || param_die "$2" "vmid: value '$1' does not look like a valid VM ID"
}

# Read a guest config (`key: value` lines, description as leading `#` lines, snapshots after
# `[name]` sections ignored) into the array named $2.
read_conf() {
  local file=$1 line
  local -n _c=$2
  _c=()
  [ -f "$file" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ ^\[ ]] && break
    [[ $line =~ ^([a-z][a-z0-9_-]*):[[:space:]]*(.*)$ ]] && _c[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
  done <"$file"
  return 0
}
# Write the array named $2 to $1 sorted by key, atomically (temp file, then rename).
write_conf() {
  local file=$1 k
  local -n _w=$2
  for k in "${!_w[@]}"; do printf '%s: %s\n' "$k" "${_w[$k]}"; done | LC_ALL=C sort >"$file.tmp.$$" && mv -f "$file.tmp.$$" "$file"
}
# `pct config` / `qm config`: the keys sorted, digest left out.
print_conf() {
  local k
  local -n _p=$1
  for k in "${!_p[@]}"; do printf '%s: %s\n' "$k" "${_p[$k]}"; done | LC_ALL=C sort
}

# A property string (`name=eth0,bridge=vmbr0`) → the array named $2; a bare first word goes to key $3.
parse_prop() {
  local -n _pp=$2
  local item IFS=,
  _pp=()
  for item in $1; do
    if [[ $item == *=* ]]; then _pp[${item%%=*}]=${item#*=}; elif [ -n "${3:-}" ]; then _pp[$3]=$item; fi
  done
}

# ---------------------------------------------------------------- storage (/etc/pve/storage.cfg)
# storage_get <id> <property>: a property of a storage section (`type` for its type).
storage_get() {
  awk -v id="$1" -v p="$2" '
    /^[a-z]+: / { cur = $2; type = substr($1, 1, length($1) - 1); if (cur == id && p == "type") print type; next }
    cur == id && $1 == p { sub(/^[ \t]*[^ \t]+[ \t]+/, ""); print }' "$PVE_ETC/storage.cfg"
}
storage_ids() { awk '/^[a-z]+: / { print $2 }' "$PVE_ETC/storage.cfg"; }
storage_exists() { [ -n "$(storage_get "$1" type)" ]; }
storage_has_content() { [[ ",$(storage_get "$1" content)," == *",$2,"* ]]; }
# The file behind a volume id `<storage>:<content dir>/<name>` of a dir storage (pvesm path).
volid_path() {
  local volid=$1 sid name base
  [[ $volid =~ ^([a-z][a-z0-9._-]*):(.+)$ ]] || { echo "unable to parse volume ID '$volid'"; return 1; }
  sid=${BASH_REMATCH[1]} name=${BASH_REMATCH[2]}
  storage_exists "$sid" || { echo "storage '$sid' does not exist"; return 1; }
  base=$(storage_get "$sid" path)
  case $name in
    vztmpl/*) echo "$base/template/cache/${name#vztmpl/}" ;;
    iso/*) echo "$base/template/iso/${name#iso/}" ;;
    backup/*) echo "$base/dump/${name#backup/}" ;;
    [0-9]*/*) echo "$base/images/$name" ;;
    *) echo "unable to parse directory volume name '$name'"; return 1 ;;
  esac
}
# Sizes as PVE's disk-size format reads them: N[KMGT] (bytes without a unit).
size_bytes() {
  [[ $1 =~ ^([0-9]+(\.[0-9]+)?)([KMGT]?)$ ]] || return 1
  awk -v n="${BASH_REMATCH[1]}" -v u="${BASH_REMATCH[3]}" 'BEGIN { m = 1; if (u == "K") m = 1024; if (u == "M") m = 1048576; if (u == "G") m = 1073741824; if (u == "T") m = 1099511627776; printf "%.0f\n", n * m }'
}
# PVE::JSONSchema::format_size: the largest unit that divides the size exactly.
size_text() {
  local b=$1
  if (( b % 1099511627776 == 0 && b > 0 )); then echo "$((b / 1099511627776))T"
  elif (( b % 1073741824 == 0 && b > 0 )); then echo "$((b / 1073741824))G"
  elif (( b % 1048576 == 0 && b > 0 )); then echo "$((b / 1048576))M"
  elif (( b % 1024 == 0 && b > 0 )); then echo "$((b / 1024))K"
  else echo "$b"; fi
}

# Guest ids of either kind, for "already exists" checks across pct and qm.
guest_exists() { [ -f "$LXC_DIR/$1.conf" ] || [ -f "$QM_DIR/$1.conf" ]; }
check_vmid_unused() {
  if [ -f "$LXC_DIR/$1.conf" ]; then die "CT $1 already exists on node '$NODE'"; fi
  if [ -f "$QM_DIR/$1.conf" ]; then die "VM $1 already exists on node '$NODE'"; fi
}

# Is pid file $1 held by a live process whose root is $2 (or any root when $2 is empty)?
pid_alive() {
  local pid r
  [ -f "$1" ] && read -r pid <"$1" && [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ -z "${2:-}" ] && return 0
  r=$(readlink "/proc/$pid/root" 2>/dev/null) && [ "$r" = "$(realpath -m -- "$2")" ]
}
# Every pid chrooted into $1.
root_pids() {
  local want p r
  want=$(realpath -m -- "$1")
  for p in /proc/[0-9]*; do
    r=$(readlink "$p/root" 2>/dev/null) || continue
    [ "$r" = "$want" ] && printf '%s\n' "${p#/proc/}"
  done
}
