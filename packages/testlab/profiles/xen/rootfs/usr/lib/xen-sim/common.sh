# Shared helpers of the simulated xen-create-image / xl (bash). Sourced, never executed.
# Facts followed: docs/platforms/xen.md. State layout: see the profile README.

XENSIM_STATE=${XENSIM_STATE:-/var/lib/xen-sim}   # persistent "disk" state (survives dom0 reboot)
XENSIM_RUN=${XENSIM_RUN:-/var/lib/xen-sim/run}      # "hypervisor" state (cleared at every dom0 boot)
XENSIM_MAGIC='XENSIMFS1'

# The directory tree holding the filesystem stored in a simulated image (file or LV).
# Images carry a first line "XENSIMFS1 <tree>"; prints the tree, fails for other files.
xensim_image_tree() {
  local img=$1 head
  [ -f "$img" ] || return 1
  IFS= read -r head <"$img" 2>/dev/null || return 1
  case $head in "$XENSIM_MAGIC "*) printf '%s\n' "${head#"$XENSIM_MAGIC "}" ;; *) return 1 ;; esac
}

# Map a device/image path as written in a cfg or on a mount command line to the backing file.
# LVM volumes /dev/<vg>/<lv> live as files under $XENSIM_STATE/lvm/<vg>/<lv>.
xensim_backing_file() {
  local p=$1
  case $p in
    /dev/*/*) local rest=${p#/dev/}; [ -f "$XENSIM_STATE/lvm/$rest" ] && { printf '%s\n' "$XENSIM_STATE/lvm/$rest"; return 0; } ;;
  esac
  printf '%s\n' "$p"
}

# Create an image file of a given size whose contents are the tree $3.
xensim_make_image() {
  local img=$1 size=$2 tree=$3
  mkdir -p "$(dirname "$img")" "$tree" || return 1
  printf '%s %s\n' "$XENSIM_MAGIC" "$tree" >"$img" && truncate -s "$size" "$img"
}

# Value of `key = 'value'` (single-line keys) from a Xen cfg file.
xensim_cfg_value() {
  sed -n "s/^$2[[:space:]]*=[[:space:]]*'\\([^']*\\)'.*/\\1/p" "$1" | head -n 1
}

# The quoted entries of the `disk = [ ... ]` list, one per line.
xensim_cfg_disks() {
  awk '/^disk[[:space:]]*=/{on=1} on{print} on&&/\]/{exit}' "$1" | grep -o "'[^']*'" | tr -d "'"
}

# Domain records: $XENSIM_RUN/domains/<name> with key=value lines (domid, memory, vcpus, cfg, started).
xensim_dom_file() { printf '%s/domains/%s\n' "$XENSIM_RUN" "$1"; }
xensim_dom_get() { sed -n "s/^$2=//p" "$(xensim_dom_file "$1")" | head -n 1; }

# Resolve a name or numeric domid to a domain name (Domain-0 for 0); fails if unknown.
xensim_resolve() {
  local d=$1 f
  if [ "$d" = 0 ] || [ "$d" = Domain-0 ]; then echo Domain-0; return 0; fi
  [ -n "$d" ] && [ -f "$XENSIM_RUN/domains/$d" ] && { echo "$d"; return 0; }
  case $d in *[!0-9]*|'') return 1 ;; esac
  for f in "$XENSIM_RUN"/domains/*; do
    [ -f "$f" ] || continue
    [ "$(sed -n 's/^domid=//p' "$f")" = "$d" ] && { basename "$f"; return 0; }
  done
  return 1
}

# Is a guest running (a domain of that name exists)?
xensim_is_running() { [ -f "$XENSIM_RUN/domains/$1" ]; }

# Memory value with M/MB/G/GB suffix (default MB) -> MB integer.
xensim_mb() {
  local v=${1%[bB]}
  case $v in
    *[gG]) echo $(( ${v%[gG]} * 1024 )) ;;
    *[mM]) echo "${v%[mM]}" ;;
    *[kK]) echo $(( ${v%[kK]} / 1024 )) ;;
    *) echo "$v" ;;
  esac
}
