# create, destroy, set and status of the simulated vzctl (bash, sourced).

# Dist detection (openvz.md): dist conf from OSTEMPLATE, cutting at the last '-' until a file
# exists; sets DIST_CONF (a variable, so the warning reaches the caller's stdout).
vz_dist_conf() {
  local name=${1##*/} dir=/etc/vz/dists
  while :; do
    [ -f "$dir/$name.conf" ] && { DIST_CONF=$dir/$name.conf; return 0; }
    case $name in *-*) name=${name%-*} ;; *) break ;; esac
  done
  vz_msg "Warning: configuration file for distribution ${1##*/} not found, using defaults from $dir/default"
  DIST_CONF=$dir/default
}

vz_cmd_create() {
  local conf="$VZ_CONF_DIR/$CTID.conf" sample= cfg_exists=0 k
  vz_parse_opts "$@"
  [ -f "$conf" ] && cfg_exists=1
  if [ -n "$OPT_CONFIG" ]; then
    sample="$VZ_CONF_DIR/ve-$OPT_CONFIG.conf-sample"
    [ -f "$sample" ] || vz_die 82 "Sample config $sample not found"
    [ $cfg_exists = 1 ] && vz_die 82 "Error: container config file $conf already exists, can not use --config option"
  elif [ $cfg_exists = 1 ]; then
    vz_msg "Warning: CT config file already exists, not applying a default config sample."
  elif [ -n "${VZG[CONFIGFILE]:-}" ]; then
    sample="$VZ_CONF_DIR/ve-${VZG[CONFIGFILE]}.conf-sample"
    [ -f "$sample" ] || sample=
  fi
  local -A S=()
  [ -n "$sample" ] && vz_parse_conf "$sample" S
  for k in "${!S[@]}"; do VZM[$k]=${S[$k]}; done
  for k in "${!SETV[@]}"; do VZM[$k]=${SETV[$k]}; done
  local tmpl=${VZM[TEMPLATE]:-} priv root
  priv=$(vz_expand "${VZM[VE_PRIVATE]:-}" "$CTID"); root=$(vz_expand "${VZM[VE_ROOT]:-}" "$CTID")
  [ -n "$tmpl" ] || vz_die 24 "TEMPLATE is not set"
  [ -n "$priv" ] || vz_die 23 "VE_PRIVATE is not set"
  [ -n "$root" ] || vz_die 22 "VE_ROOT is not set"
  if [ -d "$priv" ] && [ -n "$(ls -A "$priv" 2>/dev/null)" ]; then vz_die 44 "Private area already exists in $priv"; fi
  local ost=${OPT_OSTEMPLATE:-${VZM[OSTEMPLATE]:-${VZG[DEF_OSTEMPLATE]:-}}}
  [ -n "$ost" ] || vz_die 29 "OS template is not specified"
  local layout=${OPT_LAYOUT:-${VZG[VE_LAYOUT]:-ploop}}  # create.c: no VE_LAYOUT → ploop (vzctl 4.x built with ploop)
  [ "$layout" = ploop ] && [ -z "${VZM[DISKSPACE]:-}" ] && vz_die 63 "Error: diskspace not set (required for ploop)"
  local tarball= ext name=${ost##*/}; name=${name%.tar*}
  if [[ $ost == /* ]]; then
    [ -f "$ost" ] && tarball=$ost
  else
    for ext in tar tar.gz tar.bz2 tar.xz; do
      [ -f "$tmpl/cache/$ost.$ext" ] && { tarball="$tmpl/cache/$ost.$ext"; break; }
    done
  fi
  vz_msg "Creating container private area ($name)"
  if [ -z "$tarball" ]; then
    vz_err "Cached OS template $tmpl/cache/$name.tar[.gz|.bz2|.xz] not found"
    vz_die 91 "Creation of container private area failed"
  fi
  mkdir -p "$(dirname "$priv")" && rm -rf "$priv.tmp" && mkdir -p "$priv.tmp" || vz_die 48 "Creation of container private area failed"
  # create.c fs_create: simfs with DISK_QUOTA=yes initialises the quota only when both limits are set.
  local quota=0
  [ "${VZM[DISK_QUOTA]:-yes}" = yes ] && [ "$layout" = simfs ] && quota=1
  rm -f "$VZ_QUOTA_DIR/quota.$CTID"
  [ $quota = 1 ] && [ -n "${VZM[DISKSPACE]:-}" ] && [ -n "${VZM[DISKINODES]:-}" ] && vz_quota_init "$CTID"
  local untar_to=$priv.tmp
  if [ "$layout" = ploop ]; then
    # create.c fs_create: a ploop image sized by the DISKSPACE limit in <private>.tmp/root.hdd,
    # mounted on VE_ROOT, the template unpacked into it, unmounted (openvz.md, "ploop layout").
    vz_ploop_create "$priv.tmp" "$root" || { rm -rf "$priv.tmp"; vz_die 48 "Creation of container private area failed"; }
    untar_to=$root
  fi
  if ! tar -x --numeric-owner -p -f "$tarball" -C "$untar_to" 2>/dev/null; then
    [ "$layout" = ploop ] && umount "$root" 2>/dev/null
    rm -rf "$priv.tmp"; vz_err "Error in tar: failed to unpack $tarball"
    vz_die 47 "Creation of container private area failed"
  fi
  [ "$layout" = ploop ] && { umount "$root" || vz_die 51 "Creation of container private area failed"; }
  rmdir "$priv" 2>/dev/null; mv "$priv.tmp" "$priv" || vz_die 48 "Creation of container private area failed"
  local DIST_CONF dist; vz_dist_conf "$name"; dist=$DIST_CONF
  if grep -q '^POST_CREATE=' "$dist" 2>/dev/null; then
    # create.c vps_postcreate → fs.c fsmount → quota.c vps_quotaon: the new CT is mounted, so a
    # quota not initialised above is initialised now and fails without DISKSPACE/DISKINODES;
    # vzctl then removes the private area (vps_destroy_dir) and fails create (openvz.md, "Quota at create").
    if [ "$quota" = 1 ] && [ ! -f "$VZ_QUOTA_DIR/quota.$CTID" ]; then
      vz_msg "Initializing quota ..."
      local qrc=0
      if [ -z "${VZM[DISKSPACE]:-}" ]; then vz_err "Error: Not enough parameters, diskspace quota not set"; qrc=63
      elif [ -z "${VZM[DISKINODES]:-}" ]; then vz_err "Error: Not enough parameters, diskinodes quota not set"; qrc=64; fi
      if [ $qrc != 0 ]; then
        rmdir "$root" 2>/dev/null; rm -rf "$priv"
        vz_die $qrc "Creation of container private area failed"
      fi
      vz_quota_init "$CTID"
    fi
    vz_msg "Performing postcreate actions"
  fi
  for k in "" .mount .umount .premount .postumount .start .stop; do rm -f "$VZ_CONF_DIR/$CTID$k.destroyed" "$VZ_CONF_DIR/$CTID.conf$k.destroyed"; done
  local -A W=()
  [ $cfg_exists = 0 ] && [ -n "$sample" ] && W[ORIGIN_SAMPLE]=${OPT_CONFIG:-${VZG[CONFIGFILE]}}
  for k in "${!SETV[@]}"; do W[$k]=${SETV[$k]}; done
  [ ${#IPADD[@]} -gt 0 ] && W[IP_ADDRESS]=$(vz_new_ip_list "${VZC[IP_ADDRESS]:-}")
  W[OSTEMPLATE]=$name
  W[VE_ROOT]=${SETV[VE_ROOT]:-${VZG[VE_ROOT]}}
  W[VE_PRIVATE]=${SETV[VE_PRIVATE]:-${VZG[VE_PRIVATE]}}
  W[VE_LAYOUT]=$layout
  if [ $cfg_exists = 0 ]; then if [ -n "$sample" ]; then cp "$sample" "$conf"; else : >"$conf"; fi; fi
  vz_write_conf "$conf" W || vz_die 139 "Creation of container private area failed"
  vz_msg "CT configuration saved to $conf"
  vz_msg "Container private area was created"
}

vz_cmd_destroy() {
  local priv=${VZM[VE_PRIVATE]} k
  vz_is_running "$CTID" && { vz_msg "Container is currently running. Stop it first."; exit 32; }
  vz_is_mounted && { vz_msg "Container is currently mounted (umount first)"; exit 41; }
  if [ -d "$priv" ]; then
    vz_msg "Destroying container private area: $priv"
    local tmp; tmp="$(dirname "$(dirname "$priv")")/vztmp"
    mkdir -p "$tmp" && tmp=$(mktemp -d "$tmp/vzctl-rm-me.XXXXXX") && rmdir "$tmp" && mv "$priv" "$tmp" && rm -rf "$tmp" ||
      vz_die 52 "Unable to remove private area $priv"
  fi
  rmdir "${VZM[VE_ROOT]}" 2>/dev/null
  rm -f "${VZG[DUMPDIR]:-/var/lib/vz/dump}/Dump.$CTID" "$VZ_QUOTA_DIR/quota.$CTID"
  for k in conf mount umount premount postumount start stop; do
    [ -f "$VZ_CONF_DIR/$CTID.$k" ] && mv -f "$VZ_CONF_DIR/$CTID.$k" "$VZ_CONF_DIR/$CTID.$k.destroyed"
  done
  vz_msg "Container private area was destroyed"
}

vz_cmd_status() {
  local e=deleted m=unmounted r=down s=
  vz_exists "$CTID" && e=exist
  vz_is_mounted && m=mounted
  vz_is_running "$CTID" && r=running
  [ $r = down ] && [ -f "${VZG[DUMPDIR]:-/var/lib/vz/dump}/Dump.$CTID" ] && s=" suspended"
  echo "CTID $CTID $e $m $r$s"
}

vz_cmd_set() {
  local conf="$VZ_CONF_DIR/$CTID.conf" running=0 k ip
  vz_parse_opts "$@"
  [ $# -gt 0 ] || vz_die 20 "No parameters given"
  if [ $OPT_SAVE = 0 ]; then
    [ -n "${SETV[NAME]+x}" ] && vz_die 20 "Error: --name requires --save"
    [ -n "${SETV[STOP_TIMEOUT]+x}" ] && vz_die 20 "Error: --stop-timeout requires --save"
    [ $OPT_FORCE = 1 ] && vz_die 20 "Error: --force requires --save"
    [ "$OPT_SETMODE" = restart ] && vz_die 20 "Error: --setmode restart requires --save"
    [ -n "${SETV[OSTEMPLATE]+x}" ] && vz_die 20 "Error: --ostemplate requires --save"
  fi
  if [ ${#IPADD[@]} -gt 0 ] || [ ${#IPDEL[@]} -gt 0 ]; then SETV[IP_ADDRESS]=$(vz_new_ip_list "${VZC[IP_ADDRESS]:-}"); fi
  if vz_is_running "$CTID"; then
    running=1
    local live; live=$(cat "$VZ_RUN_DIR/$CTID.ips" 2>/dev/null)
    for ip in "${IPDEL[@]}"; do
      if [ "$ip" = all ]; then vz_msg "Deleting all IP address(es): $live"; live=
      else vz_msg "Deleting IP address(es): $ip"; live=$(printf '%s\n' $live | grep -vxF -- "$ip" | tr '\n' ' '); fi
    done
    [ ${#IPADD[@]} -gt 0 ] && vz_msg "Adding IP address(es): ${IPADD[*]}" && live="$live ${IPADD[*]}"
    printf '%s\n' $live | tr '\n' ' ' | sed 's/ $//' >"$VZ_RUN_DIR/$CTID.ips"; echo >>"$VZ_RUN_DIR/$CTID.ips"
    [ -n "${SETV[HOSTNAME]+x}" ] && vz_apply_hostname "${SETV[HOSTNAME]}"
    if [ -n "${SETV[NAMESERVER]+x}${SETV[SEARCHDOMAIN]+x}" ]; then
      vz_apply_dns "${SETV[NAMESERVER]-${VZM[NAMESERVER]:-}}" "${SETV[SEARCHDOMAIN]-${VZM[SEARCHDOMAIN]:-}}"
    fi
    [ -n "${SETV[CPUUNITS]+x}" ] && vz_msg "Setting CPU units: ${SETV[CPUUNITS]}"
    for k in $VZ_UBC_PARAMS; do [ -n "${SETV[$k]+x}" ] && { vz_msg "UB limits were set successfully"; break; }; done
  fi
  if [ $OPT_SAVE = 0 ]; then
    if [ $running = 1 ]; then vz_msg "WARNING: Settings were not saved to config and will be lost after CT restart (use --save flag)"
    else vz_msg "WARNING: Settings were not saved to config (use --save flag)"; fi
    return 0
  fi
  local -A W=()
  for k in "${!SETV[@]}"; do
    if [ -n "${VZC[$k]+x}" ] && vz_same_value "$k" "${VZC[$k]}" "${SETV[$k]}"; then continue; fi
    W[$k]=${SETV[$k]}
  done
  if [ ${#W[@]} -eq 0 ]; then vz_msg "No changes in CT configuration, not saving"; return 0; fi
  if [ -n "${W[NAME]+x}" ]; then mkdir -p /etc/vz/names && ln -sfn "$conf" "/etc/vz/names/${W[NAME]}"; fi
  vz_write_conf "$conf" W || vz_die 139 "Error: failed to apply some parameters, not saving configuration file!"
  vz_msg "CT configuration saved to $conf"
}
