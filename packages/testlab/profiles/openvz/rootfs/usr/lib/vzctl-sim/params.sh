# Parameter parsing and config saving of the simulated vzctl (bash, sourced).
# Units: DISKSPACE in 1 KiB blocks, *PAGES in 4 KiB pages, other UBC in bytes or counts.

# Number with optional K/M/G/T/P suffix -> value in base units of $2 bytes per unit (1 = bytes).
vz_scale() {
  local v=$1 unit=$2
  [[ $v =~ ^([0-9]+(\.[0-9]+)?)([KkMmGgTtPp]?)$ ]] || return 1
  local n=${BASH_REMATCH[1]} s=${BASH_REMATCH[3]} mul=1
  case $s in K|k) mul=1024 ;; M|m) mul=$((1024**2)) ;; G|g) mul=$((1024**3)) ;; T|t) mul=$((1024**4)) ;; P|p) mul=$((1024**5)) ;; esac
  [ -z "$s" ] && mul=$unit
  awk -v n="$n" -v m="$mul" -v u="$unit" 'BEGIN { printf "%d", (n * m) / u }'
}

# `soft[:hard]` -> "soft:hard" in units of $2 bytes (1024 for DISKSPACE, 1 for counts).
vz_barrier_limit() {
  local v=$1 unit=$2 b l
  case $v in *:*) b=${v%%:*}; l=${v#*:} ;; *) b=$v; l=$v ;; esac
  vz_one() { [ "$1" = unlimited ] && { printf unlimited; return 0; }; vz_scale "$1" "$2"; }
  b=$(vz_one "$b" "$unit") || return 1
  l=$(vz_one "$l" "$unit") || return 1
  printf '%s:%s' "$b" "$l"
}

# Unit of a UBC parameter given in plain numbers: pages count 1 (a suffixed value is bytes / 4096).
vz_ubc_unit() { case $1 in *PAGES) echo 4096 ;; *) echo 1 ;; esac; }

vz_valid_ip() {
  local ip=${1%/*}
  [[ $ip =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] && {
    local o; for o in "${BASH_REMATCH[@]:1}"; do [ "$o" -le 255 ] || return 1; done; return 0; }
  [[ $ip =~ ^[0-9A-Fa-f:]+$ && $ip == *:* ]]
}
vz_valid_hostname() { [[ $1 =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]]; }

# Rewrite the CT config $1 with the keys of the associative array named $2 changed in place
# (new keys appended), atomically. Prints nothing.
vz_write_conf() {
  local file=$1 tmp line key
  local -n _new=$2
  local -A done=()
  tmp="$file.tmp.$$"
  {
    if [ -f "$file" ]; then
      while IFS= read -r line || [ -n "$line" ]; do
        if [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)= ]] && [ -n "${_new[${BASH_REMATCH[1]}]+x}" ]; then
          key=${BASH_REMATCH[1]}
          [ -n "${done[$key]+x}" ] && continue
          done[$key]=1
          [ "${_new[$key]}" = $'\x01' ] || printf '%s="%s"\n' "$key" "${_new[$key]}"
        else
          printf '%s\n' "$line"
        fi
      done <"$file"
    fi
    for key in $(printf "%s\n" "${!_new[@]}" | sort); do
      [ -n "${done[$key]+x}" ] || [ "${_new[$key]}" = $'\x01' ] || printf '%s="%s"\n' "$key" "${_new[$key]}"
    done
  } >"$tmp" && mv -f "$tmp" "$file"
}

# Parse set/create options into: SETV (config key -> new value), IPADD, IPDEL, NS, SD,
# OPT_SAVE, OPT_FORCE, OPT_CONFIG, OPT_LAYOUT, OPT_SETMODE, OPT_OSTEMPLATE. Exits 21 on bad values.
vz_parse_opts() {
  declare -gA SETV=()
  IPADD=(); IPDEL=(); NS=(); SD=()
  OPT_SAVE=0; OPT_FORCE=0; OPT_CONFIG=; OPT_LAYOUT=; OPT_SETMODE=; OPT_OSTEMPLATE=; OPT_HAS_NS=0; OPT_HAS_SD=0
  local opt val key v
  while [ $# -gt 0 ]; do
    opt=$1; shift
    case $opt in
      --save) OPT_SAVE=1; continue ;;
      --force) OPT_FORCE=1; continue ;;
      --*=*) val=${opt#*=}; opt=${opt%%=*} ;;
      --*) if [ $# -eq 0 ]; then vz_err "vzctl: option '$opt' requires an argument"; exit 21; fi; val=$1; shift ;;
      *) vz_err "Invalid non-option argument: $opt"; exit 21 ;;
    esac
    case $opt in
      --ipadd) vz_valid_ip "$val" || vz_bad "$opt" "$val"; IPADD+=("$val") ;;
      --ipdel) [ "$val" = all ] || vz_valid_ip "$val" || vz_bad "$opt" "$val"; IPDEL+=("$val") ;;
      --hostname) vz_valid_hostname "$val" || vz_bad "$opt" "$val"; SETV[HOSTNAME]=$val ;;
      --nameserver) [ "$val" = inherit ] || vz_valid_ip "$val" || vz_bad "$opt" "$val"; NS+=("$val"); OPT_HAS_NS=1 ;;
      --searchdomain) SD+=("$val"); OPT_HAS_SD=1 ;;
      --onboot) case $val in yes|no) SETV[ONBOOT]=$val ;; *) vz_bad "$opt" "$val" ;; esac ;;
      --disabled) case $val in yes|no) SETV[DISABLED]=$val ;; *) vz_bad "$opt" "$val" ;; esac ;;
      --diskspace) v=$(vz_barrier_limit "$val" 1024) || vz_bad "$opt" "$val"; SETV[DISKSPACE]=$v ;;
      --diskinodes) v=$(vz_barrier_limit "$val" 1) || vz_bad "$opt" "$val"; SETV[DISKINODES]=$v ;;
      --quotatime) [[ $val =~ ^[0-9]+$ ]] || vz_bad "$opt" "$val"; SETV[QUOTATIME]=$val ;;
      --ram) v=$(vz_scale "$val" 4096) || vz_bad "$opt" "$val"; SETV[PHYSPAGES]="0:$v" ;;
      --swap) v=$(vz_scale "$val" 4096) || vz_bad "$opt" "$val"; SETV[SWAPPAGES]="0:$v" ;;
      --cpuunits|--cpulimit|--cpus|--stop-timeout)
        [[ $val =~ ^[0-9]+%?$ || $val == unlimited ]] || vz_bad "$opt" "$val"
        key=${opt#--}; key=${key^^}; key=${key//-/_}; SETV[$key]=$val ;;
      --name) [[ $val =~ ^[A-Za-z0-9._-]+$ ]] || vz_bad "$opt" "$val"; SETV[NAME]=$val ;;
      --description) SETV[DESCRIPTION]=$val ;;
      --root) SETV[VE_ROOT]=$val ;;
      --private) SETV[VE_PRIVATE]=$val ;;
      --ostemplate) OPT_OSTEMPLATE=$val; SETV[OSTEMPLATE]=${val##*/}; SETV[OSTEMPLATE]=${SETV[OSTEMPLATE]%.tar*} ;;
      --config) OPT_CONFIG=$val ;;
      --layout) case $val in simfs|ploop) OPT_LAYOUT=$val ;; *) vz_bad "$opt" "$val" ;; esac ;;
      --setmode) case $val in restart|ignore) OPT_SETMODE=$val ;; *) vz_bad "$opt" "$val" ;; esac ;;
      *)
        key=${opt#--}; key=${key^^}
        if [[ " $VZ_UBC_PARAMS " == *" $key "* ]]; then
          v=$(vz_barrier_limit "$val" "$(vz_ubc_unit "$key")") || vz_bad "$opt" "$val"
          SETV[$key]=$v
        else
          vz_err "vzctl: unrecognized option '$opt'"; exit 21
        fi ;;
    esac
  done
  [ $OPT_HAS_NS = 1 ] && SETV[NAMESERVER]="${NS[*]}"
  [ $OPT_HAS_SD = 1 ] && SETV[SEARCHDOMAIN]="${SD[*]}"
  return 0
}

# vzctl compares parsed values, not text: "2G:2.2G" equals "2097152:2306867" for DISKSPACE,
# and LONG_MAX equals "unlimited" for UBC. Returns 0 when the saved $2 equals the new $3 for key $1.
vz_same_value() {
  local key=$1 old=$2 new=$3 unit
  [ "$old" = "$new" ] && return 0
  case $key in
    DISKSPACE) unit=1024 ;; DISKINODES) unit=1 ;;
    *) [[ " $VZ_UBC_PARAMS " == *" $key "* ]] || return 1; unit=$(vz_ubc_unit "$key") ;;
  esac
  old=${old//9223372036854775807/unlimited}
  old=$(vz_barrier_limit "$old" "$unit" 2>/dev/null) || return 1
  [ "$old" = "$new" ]
}

# New IP_ADDRESS value from the current list $1 and IPDEL/IPADD (deletions first, like vzctl).
vz_new_ip_list() {
  local cur=$1 ip out=() d keep
  for ip in $cur; do
    keep=1
    for d in "${IPDEL[@]}"; do [ "$d" = all ] || [ "$d" = "$ip" ] && keep=0; done
    [ $keep = 1 ] && out+=("$ip")
  done
  for ip in "${IPADD[@]}"; do [[ " ${out[*]} " == *" $ip "* ]] || out+=("$ip"); done
  printf '%s' "${out[*]}"
}
