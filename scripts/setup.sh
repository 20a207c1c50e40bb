#!/usr/bin/env bash
# Idempotent set-up of a fresh Debian 12 or Ubuntu 24.04 machine (as root, or a user with sudo):
#   1. npm dependencies (npm ci) when node_modules is missing or older than the lock file;
#   2. a software Vulkan driver (Mesa lavapipe) only when Dawn finds no WebGPU adapter. Debian 12's
#      own Mesa 22.3 is refused by Dawn ("shaderUniform*ArrayDynamicIndexing required"), so on
#      bookworm it comes from bookworm-backports (Mesa 25), which is added as an apt source.
# Prints what it does on stderr; silent when there is nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  export XDG_RUNTIME_DIR="/tmp/xdg-runtime-$(id -u)"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi

# ./tilesweep skips set-up while this stamp is newer than the lock file; set-up itself always checks.
ready() { touch node_modules/.tilesweep-ready; }

if node scripts/probe-adapter.mjs 2>/dev/null; then ready; exit 0; fi

say "no WebGPU adapter found: installing Mesa's lavapipe (software Vulkan)"
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
  as_root apt-get update -qq
  as_root apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >&2
else
  as_root apt-get update -qq
  as_root apt-get install -y -qq mesa-vulkan-drivers libvulkan1 >&2
fi

if ! node scripts/probe-adapter.mjs; then
  say "still no WebGPU adapter after installing lavapipe; see README (Troubleshooting)"
  exit 1
fi
ready
