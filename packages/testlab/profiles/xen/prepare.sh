#!/bin/bash
# Runs on the machine (not in a host, not chrooted) before a lab with xen hosts is made. Builds once per
# machine, under $LAB_CACHE_DIR/xen/<suite>-<recipe>/ (the recipe hash covers this file):
#   rootfs.tar   a debootstrap --variant=minbase root of Debian $SUITE (+ the lab repository's signing key),
#                the --install-source of xen-create-image --install-method=tar;
#   apt/         a signed apt repository of every package $PACKAGES needs beyond minbase (.debs fetched once
#                with apt-get --download-only inside that root, indexed with dpkg-scanpackages), which the
#                dom0s serve over HTTP so hooks install packages without the Debian archive;
#   SHA256SUMS   checksums of both, verified at every use (a mismatch rebuilds).
# Concurrent labs wait on a lock; a build that fails leaves nothing behind and exits non-zero with its log.
set -euo pipefail
: "${LAB_CACHE_DIR:?LAB_CACHE_DIR is not set}"
SUITE=bookworm
MIRROR=${SHIPSHAPE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# xen-tools' own hooks (70-install-ssh, 95-configure-locales), the hosting roles, the backup pair.
PACKAGES="openssh-server openssh-client locales util-linux-locales cron restic bsd-mailx logwatch apticron
  fail2ban systemd-timesyncd mlocate bzip2 etckeeper git munin-node exim4-daemon-light nagios-nrpe-server rkhunter"
recipe=$( (cat "$0"; uname -m) | sha256sum | cut -c1-12)
base=$LAB_CACHE_DIR/xen
C=$base/$SUITE-$recipe
mkdir -p "$base"
exec 9>"$base/.lock"
flock 9
if [ -f "$C/SHA256SUMS" ] && (cd "$C" && sha256sum --quiet --strict -c SHA256SUMS); then echo "$C"; exit 0; fi
rm -rf "$C"
t=$(mktemp -d "$base/.build.XXXXXX")
log=$t/build.log
cleanup() {
  for m in proc sys dev/pts; do umount "$t/root/$m" 2>/dev/null || true; done
  rm -rf "$t"
}
trap cleanup EXIT
fail() {
  echo "xen lab profile: $1 (building $C; last lines of the log follow)" >&2
  tail -n 25 "$log" >&2
  exit 1
}
for tool in debootstrap dpkg-scanpackages gpg; do
  command -v "$tool" >/dev/null || { echo "xen lab profile: $tool is missing (apt-get install debootstrap dpkg-dev gnupg)" >&2; exit 1; }
done
echo "xen lab profile: building the Debian $SUITE guest root and the lab apt repository (once per machine)" >&2
debootstrap --variant=minbase "$SUITE" "$t/root" "$MIRROR" >"$log" 2>&1 || fail "debootstrap --variant=minbase $SUITE $MIRROR failed"
R=$t/root
cp /etc/resolv.conf "$R/etc/resolv.conf"
chroot "$R" apt-get update >>"$log" 2>&1 || fail "apt-get update in the new root failed"
# shellcheck disable=SC2086
chroot "$R" apt-get install --yes --no-install-recommends --download-only $PACKAGES >>"$log" 2>&1 \
  || fail "downloading the packages ($PACKAGES) failed"
A=$t/apt
mkdir -p "$A/pool" "$A/dists/$SUITE"
mv "$R"/var/cache/apt/archives/*.deb "$A/pool/"
chroot "$R" apt-get clean >>"$log" 2>&1
rm -rf "$R"/var/lib/apt/lists/* "$R/etc/resolv.conf"
# Index: main has the packages; contrib, non-free and the source indexes exist empty, so the sources.list
# xen-tools' 20-setup-apt writes (deb and deb-src, main contrib non-free) updates without errors.
arch=$(dpkg --print-architecture)
for comp in main contrib non-free; do
  mkdir -p "$A/dists/$SUITE/$comp/binary-$arch" "$A/dists/$SUITE/$comp/source"
  : >"$A/dists/$SUITE/$comp/binary-$arch/Packages"
  : >"$A/dists/$SUITE/$comp/source/Sources"
done
(cd "$A" && dpkg-scanpackages --multiversion pool /dev/null >"dists/$SUITE/main/binary-$arch/Packages" 2>>"$log") \
  || fail "dpkg-scanpackages failed"
for f in "$A"/dists/"$SUITE"/*/*/Packages "$A"/dists/"$SUITE"/*/*/Sources; do gzip -9kn "$f"; done
{
  echo "Origin: shipshape-lab"
  echo "Label: shipshape-lab"
  echo "Suite: $SUITE"
  echo "Codename: $SUITE"
  echo "Architectures: $arch"
  echo "Components: main contrib non-free"
  echo "Date: $(LC_ALL=C date -u -R)"
  echo "SHA256:"
  (cd "$A/dists/$SUITE" && find . -type f \( -name Packages\* -o -name Sources\* \) | sed 's|^\./||' | sort | while read -r f; do
    printf ' %s %s %s\n' "$(sha256sum <"$f" | cut -d' ' -f1)" "$(stat -c %s "$f")" "$f"
  done)
} >"$A/dists/$SUITE/Release"
# A throw-away signing key: the guests trust it (trusted.gpg.d), apt verifies InRelease with it.
G=$t/gnupg
mkdir -m 0700 "$G"
gpg --homedir "$G" --batch --passphrase '' --quick-gen-key 'shipshape lab repository' ed25519 sign never >>"$log" 2>&1 \
  || fail "gpg key generation failed"
gpg --homedir "$G" --batch --export >"$A/shipshape-lab.gpg"
gpg --homedir "$G" --batch --yes --clearsign -o "$A/dists/$SUITE/InRelease" "$A/dists/$SUITE/Release" >>"$log" 2>&1 \
  || fail "signing the Release file failed"
install -m 0644 "$A/shipshape-lab.gpg" "$R/etc/apt/trusted.gpg.d/shipshape-lab.gpg"
tar -C "$R" --numeric-owner -cf "$t/rootfs.tar" . || fail "tar of the root failed"
mkdir -p "$C"
mv "$t/rootfs.tar" "$C/rootfs.tar"
mv "$A" "$C/apt"
(cd "$C" && { sha256sum rootfs.tar; find apt -type f | sort | xargs sha256sum; } >SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS)
echo "xen lab profile: built $C ($(du -sh "$C" | cut -f1))" >&2
echo "$C"
