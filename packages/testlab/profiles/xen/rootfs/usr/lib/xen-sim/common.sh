# Shared helpers of the simulated `xl` and LVM commands (bash). Sourced, never executed.
# Everything else on the dom0 is Debian's real xen-tools. State layout: see the profile README.

XENSIM_STATE=${XENSIM_STATE:-/var/lib/xen-sim}   # persistent state (survives dom0 reboot): LVM volumes
XENSIM_RUN=${XENSIM_RUN:-/var/lib/xen-sim/run}      # "hypervisor" state, cleared at every dom0 boot

# LVM volumes /dev/<vg>/<lv> are sparse files $XENSIM_STATE/lvm/<vg>/<lv>, linked from /dev/<vg>/<lv>.
xensim_lv_file() { printf '%s/lvm/%s\n' "$XENSIM_STATE" "${1#/dev/}"; }

# Value of `key = 'value'` or `key = value` (single-line keys) from a Xen cfg file.
xensim_cfg_value() {
  sed -n "s/^$2[[:space:]]*=[[:space:]]*'\\{0,1\\}\\([^']*\\)'\\{0,1\\}[[:space:]]*\$/\\1/p" "$1" | head -n 1
}

# The quoted entries of a `key = [ ... ]` list (disk, vif), one per line.
xensim_cfg_list() {
  awk -v k="$2" '$0 ~ "^"k"[[:space:]]*=" {on=1} on{print} on&&/\]/{exit}' "$1" | grep -o "'[^']*'" | tr -d "'"
}

# Domain records: $XENSIM_RUN/domains/<name> with key=value lines.
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

xensim_is_running() { [ -f "$XENSIM_RUN/domains/$1" ]; }

# Processes whose root directory is $1 or below (the guest's own processes).
xensim_procs_in() {
  local root p r
  root=$(readlink -f "$1")
  for p in /proc/[0-9]*; do
    r=$(readlink "$p/root" 2>/dev/null) || continue
    case $r in "$root"|"$root"/*) echo "${p#/proc/}" ;; esac
  done
}

# Stop a domain: kill its processes, unmount its root (and what is mounted below), drop the record.
xensim_dom_stop() {
  local n=$1 root pid
  root=$(xensim_dom_get "$n" root)
  if [ -n "$root" ] && [ -d "$root" ]; then
    for pid in $(xensim_procs_in "$root"); do kill -KILL "$pid" 2>/dev/null; done
    # gone, or a zombie (no root link any more)
    for pid in $(xensim_procs_in "$root"); do while readlink "/proc/$pid/root" >/dev/null 2>&1; do sleep 0.05; done; done
    umount -R "$root" 2>/dev/null || umount -R -l "$root"
    rmdir "$root"
  fi
  rm -f "$(xensim_dom_file "$n")"
}
