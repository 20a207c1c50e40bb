#!/usr/bin/env bash
# Idempotent set-up of a fresh Debian 12 or Ubuntu 24.04 machine (as root, or a user with sudo):
#   1. npm dependencies (npm ci) when node_modules is missing or older than the lock file;
#   2. a software Vulkan driver (Mesa lavapipe) only when Dawn finds no WebGPU adapter. Debian 12's
#      own Mesa 22.3 is refused by Dawn ("shaderUniform*ArrayDynamicIndexing required"), so on
#      bookworm it comes from bookworm-backports (Mesa 25), which is added as an apt source.
# Prints a few lines of progress on stderr (silent when there is nothing to do); what npm and apt
# print goes to a log file, whose last lines are shown when a step fails. A failed set-up exits 2
# (never 1, which the CLI keeps for "regression").
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/setup-lib.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci; log: $log)"
  quietly npm ci --no-audit --no-fund --loglevel=error
fi

if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  export XDG_RUNTIME_DIR="/tmp/xdg-runtime-$(id -u)"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi

# ./tilesweep skips set-up while this stamp is newer than the lock file; set-up itself always checks.
ready() { touch node_modules/.tilesweep-ready; }

if node scripts/probe-adapter.mjs >/dev/null 2>&1; then ready; exit 0; fi

say "no WebGPU adapter found: installing Mesa's lavapipe (software Vulkan; log: $log)"
. /etc/os-release
export DEBIAN_FRONTEND=noninteractive
if [ "${ID:-}" = debian ] && [ "${VERSION_CODENAME:-}" = bookworm ]; then
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    say "adding the bookworm-backports apt source"
    as_root tee /etc/apt/sources.list.d/tilesweep-backports.sources >/dev/null <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  fi
  quietly as_root apt-get update -qq
  quietly as_root apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1
else
  quietly as_root apt-get update -qq
  quietly as_root apt-get install -y -qq mesa-vulkan-drivers libvulkan1
fi

if ! node scripts/probe-adapter.mjs >/dev/null 2>>"$log"; then
  say "still no WebGPU adapter after installing lavapipe; see README (Troubleshooting) and $log"
  exit 2
fi
say "$(node scripts/probe-adapter.mjs 2>&1 | grep '^WebGPU adapter' || echo 'WebGPU adapter ready')"
ready
