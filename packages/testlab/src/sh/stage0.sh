#!/bin/sh
# Stage 0 of a lab host. Run by `unshare -m -u -p -f` as PID 1 of a new PID namespace, still in
# the machine's root. Mounts the host's own /proc, /sys, /dev and /run (private to this mount
# namespace), exposes lab files read-only under /run/lab, then chroots into the host root and
# becomes the supervisor (init.sh). Usage: stage0.sh <hostdir> <hostname> <bindir> <profiledir>...
set -eu
H=$1 NAME=$2 BIN=$3
shift 3
R=$H/root
# `read` is a builtin, so /proc/self is this shell, seen through the machine's /proc: our outer pid.
read -r pid _ < /proc/self/stat
echo "$pid" > "$H/pid"
hostname "$NAME"
mount -t proc proc "$R/proc"
mount -t sysfs -o ro sysfs "$R/sys" 2>/dev/null || echo "lab-stage0: no /sys in $NAME" >&2
mount -t tmpfs -o mode=755,size=16m tmpfs "$R/dev"
for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
  dev=${n%%:*} mm=${n#*:}
  mknod -m 666 "$R/dev/$dev" c "${mm%:*}" "${mm#*:}"
done
mkdir -p "$R/dev/pts" "$R/dev/shm"
chmod 1777 "$R/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$R/dev/pts"
ln -s pts/ptmx "$R/dev/ptmx"
ln -s /proc/self/fd "$R/dev/fd"
ln -s /proc/self/fd/0 "$R/dev/stdin"
ln -s /proc/self/fd/1 "$R/dev/stdout"
ln -s /proc/self/fd/2 "$R/dev/stderr"
mount -t tmpfs -o mode=755 tmpfs "$R/run"
mkdir -p "$R/run/lab/etc" "$R/run/lab/bin" "$R/run/lab/state"
mount --bind -o ro "$H/etc" "$R/run/lab/etc"
mount --bind -o ro "$BIN" "$R/run/lab/bin"
mount --bind "$H/state" "$R/run/lab/state"
i=0
for p; do
  d=$R/run/lab/profiles/$i-${p##*/}
  mkdir -p "$d"
  mount --bind -o ro "$p" "$d"
  i=$((i + 1))
done
exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  LAB_HOSTNAME="$NAME" chroot "$R" /bin/sh /run/lab/bin/init.sh
