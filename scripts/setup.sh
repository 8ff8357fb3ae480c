#!/usr/bin/env bash
# Prepare a fresh Debian machine (as root): the Debian packages the lab and tests need, then npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t pkgs < <(grep -v '^\s*#' .ci/apt-packages | grep -v '^\s*$' | sort -u)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "setup: need root to apt-get install ${missing[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# `npm install` honours package-lock.json's versions; `npm ci` is not used because the npm here records no
# lock entries for other platforms' optional binaries (@swc/core-darwin-*, ...) and ci then refuses the lock.
npm install --no-audit --no-fund
# Build once: `npx shipshape` runs the bundled CLI (packages/cli/bin/shipshape.js loads dist/bundle/).
npm run build
