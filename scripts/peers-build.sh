#!/usr/bin/env bash
# On the GPU host (called as `scripts/gpu-host.sh build-peers`): unpacks .carry/peers-src.tar.xz
# (scripts/peer-sources.sh) into the gitignored .peers/ and builds the peers there with that host's
# python3, torch and nvcc: DeepGEMM's newest commit (a torch C++ extension) and FlashMLA (a torch CUDA
# extension, sm_90a only) in parallel, each under a time limit, each logged to .peers/logs/. DeepGEMM's
# pinned commit is Python only and JIT-compiles its kernels at first call: it is only unpacked and
# imported. It builds and imports; it never measures. What built is written to .peers/env.sh, which
# scripts/gpu-host.sh sources for every later call; what did not is one line each, and the call still
# exits 0 so that a run which goes on after it gets those peers as `unavailable` rows with the reason.
#
# usage: scripts/gpu-host.sh build-peers [--detach | --wait]
#   --detach: build in a new process session and return at once (the build outlives the call on a warm
#             machine: tune meanwhile); --wait: wait for that build and print its summary.
# env: PEERS_BUILD_LIMIT_S (default 480: seconds per build), PEERS_JOBS (default: the cores),
#      PEERS_PYTHON (default python3), PEERS_REBUILD=1 (build again what this archive built already).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD/.peers archive=.carry/peers-src.tar.xz
limit=${PEERS_BUILD_LIMIT_S:-480} jobs=${PEERS_JOBS:-$(nproc)} python=${PEERS_PYTHON:-python3}
bad() { echo "build-peers: $*" >&2; exit 2; }
case "$limit$jobs" in *[!0-9]*) bad "PEERS_BUILD_LIMIT_S and PEERS_JOBS must be whole numbers" ;; esac
[ -f "$archive" ] || bad "$archive is missing: run scripts/peer-sources.sh (or scripts/carry.sh --peers) where the peers' git copies are, and carry .carry/"

# One build at a time in .peers/: it holds a lock on .peers/lock (fd 9) from start to end. --detach takes
# the lock before it starts the build, which inherits it, so a --wait right after cannot pass too early.
# (flock and setsid are util-linux's; where one is missing the build still runs, unguarded or attached.)
mkdir -p "$root"
[ "${1:-}" = --locked ] || exec 9>> "$root/lock"
lock() { ! command -v flock > /dev/null || flock "$@" 9; }
case "${1:-}" in
  --detach)
    lock -n || { echo "build-peers: already building (log .peers/build.log); scripts/gpu-host.sh build-peers --wait"; exit 0; }
    if command -v setsid > /dev/null; then setsid bash "$0" --locked > "$root/build.log" 2>&1 < /dev/null &
    else nohup bash "$0" --locked > "$root/build.log" 2>&1 < /dev/null & echo "build-peers: no setsid here: the build may end with this call"; fi
    echo "build-peers: building in the background (log .peers/build.log); later: scripts/gpu-host.sh build-peers --wait"
    exit 0 ;;
  --wait)
    [ -f "$root/build.log" ] || bad "no background build was started (scripts/gpu-host.sh build-peers --detach)"
    lock
    cat "$root/build.log"
    exit 0 ;;
  --locked) ;;
  "") lock ;;
  *) bad "unknown argument $1 (usage: scripts/gpu-host.sh build-peers [--detach | --wait])" ;;
esac

# Built already from this archive with this toolchain in this folder (outputs under .peers/ stay between
# calls on one machine): nothing to do, unless PEERS_REBUILD=1 asks (after a timeout, with a longer limit).
toolchain=$("$python" -c 'import sys, torch; from torch.utils.cpp_extension import CUDA_HOME; print(sys.version.split()[0], torch.__version__, torch.version.cuda, CUDA_HOME)' 2>&1) \
  || toolchain="none: $python cannot import torch ($(tail -n 1 <<< "$toolchain"))"
stamp="$(sha256sum "$archive" | cut -d' ' -f1) $root $toolchain"
if [ -z "${PEERS_REBUILD:-}" ] && [ -f "$root/stamp" ] && [ "$(cat "$root/stamp")" = "$stamp" ] && [ -f "$root/summary.txt" ]; then
  cat "$root/summary.txt"; exit 0
fi
rm -rf "$root/src" "$root/logs" "$root/env.sh" "$root/summary.txt" "$root/stamp"
mkdir -p "$root/src" "$root/logs" "$root/bin"
tar -xJf "$archive" -C "$root/src" || bad "cannot unpack $archive"
commit() { awk -F'\t' -v f="$1" '$1 == f { print $3 }' "$root/src/MANIFEST.tsv"; }

# The ninja and the compilers next to this python (torch builds in parallel only through ninja). The
# setup.py files call git (FlashMLA's runs `git submodule update` unchecked): outside any repository,
# and through a stand-in that fails where git is not installed.
PATH="$(dirname "$("$python" -c 'import sys; print(sys.executable)' 2>/dev/null || echo /usr/bin/python3)"):$PATH"
command -v git > /dev/null || { printf '#!/bin/sh\nexit 1\n' > "$root/bin/git"; chmod +x "$root/bin/git"; PATH="$root/bin:$PATH"; }
export PATH GIT_CEILING_DIRECTORIES=$root
# CUDA 13 keeps libcu++ (cuda/std/...) under include/cccl, which nvcc finds and the host compiler of a
# torch extension does not: CUTLASS's headers in FlashMLA's C++ files need it.
cuda_home="${CUDA_HOME:-$(dirname "$(dirname "$(command -v nvcc 2>/dev/null || echo /usr/local/cuda/bin/nvcc)")")}"
[ ! -d "$cuda_home/include/cccl" ] || export CPLUS_INCLUDE_PATH="$cuda_home/include/cccl${CPLUS_INCLUDE_PATH:+:$CPLUS_INCLUDE_PATH}"

# A peer is ready when its package imports as the peer imports it (peers/protocol.py import_copy).
imports() { # folder module log
  (cd "$root" && timeout 180 "$python" -c "import sys; sys.path.insert(0, '$root/src/$1'); import $2 as m; print('imported', m.__name__, getattr(m, '__version__', ''), 'from', m.__file__)") >> "$3" 2>&1
}
# One line of a log that says why, for the summary.
# A compiler's error first: FlashMLA's setup.py prints git's "fatal: not a git repository" before
# any compile starts, and that is not why a build failed.
reason() { { grep -E -m1 'error:' "$1" || grep -E -m1 'Error:|fatal|No module named|cannot |not found' "$1" || tail -n 1 "$1"; } | cut -c1-240; }
build() { # name seconds-limit command... (run in .peers/src/name, logged to .peers/logs/name.log)
  local name=$1 seconds=$2; shift 2
  local log=$root/logs/$name.log start rc=0
  start=$(date +%s)
  (cd "$root/src/$name" && timeout -k 10 "$seconds" "$@") > "$log" 2>&1 || rc=$?
  local took=$(( $(date +%s) - start ))
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then echo "$name	timeout	$took	timed out after $seconds s (PEERS_BUILD_LIMIT_S)" > "$root/logs/$name.status"
  elif [ $rc -ne 0 ]; then echo "$name	failed	$took	$(reason "$log")" > "$root/logs/$name.status"
  else echo "$name	built	$took	" > "$root/logs/$name.status"; fi
}

echo "build-peers: toolchain: $toolchain; nvcc $(nvcc --version 2>/dev/null | sed -n 's/.*release \([0-9.]*\).*/\1/p'); ninja $(ninja --version 2>/dev/null || echo none); $jobs jobs, $limit s per build" > "$root/summary.txt"
# DeepGEMM's extension is one C++ file (pybind11 and torch headers); FlashMLA's, 24 files (23 CUDA).
build deepgemm "$limit" env DG_USE_LOCAL_VERSION=0 MAX_JOBS=1 "$python" setup.py build_ext --inplace &
build flashmla "$limit" env FLASH_MLA_DISABLE_SM100=1 FLASH_MLA_DISABLE_FP16=1 NVCC_THREADS=1 MAX_JOBS=$(( jobs > 2 ? jobs - 1 : 1 )) "$python" setup.py build_ext --inplace &
wait
echo "deepgemm-pinned	built	0	" > "$root/logs/deepgemm-pinned.status"

# What imports, into env.sh (a variable the caller set wins; PEERS_DEEPGEMM=pinned|newest picks one of
# the two DeepGEMM copies for a call, the pinned one by default where it imports), and one line per peer.
declare -A ready=() missing=()
lines=()
for peer in deepgemm-pinned:deep_gemm:DEEPGEMM deepgemm:deep_gemm:DEEPGEMM flashmla:flash_mla:FLASHMLA; do
  IFS=: read -r name module variable <<< "$peer"
  IFS=$'\t' read -r _ status took why < "$root/logs/$name.status"
  if [ "$status" = built ] && ! imports "$name" "$module" "$root/logs/$name.log"; then
    status=import-failed why="$(reason "$root/logs/$name.log")"
  fi
  sha=$(commit "$name")
  if [ "$status" = built ]; then
    ready[$name]="export ${variable}_PATH=$(printf %q "$root/src/$name") ${variable}_COMMIT=$sha"
    lines+=("$name ${sha:0:12} ready ($took s), ${variable}_PATH=.peers/src/$name")
  else
    lines+=("$name ${sha:0:12} NOT built: $status after $took s: $why (log .peers/logs/$name.log)")
    # The peer's `unavailable` row says why (peers/protocol.py import_copy reads ${variable}_NOT_BUILT).
    missing[$name]="export ${variable}_NOT_BUILT=$(printf %q "build-peers: ${lines[-1]}")"
  fi
done
default=pinned; [ -n "${ready[deepgemm-pinned]:-}" ] || [ -z "${ready[deepgemm]:-}" ] || default=newest
{
  echo "# Written by scripts/peers-build.sh: the peers that built on this machine; scripts/gpu-host.sh sources it."
  echo "case \"\${DEEPGEMM_PATH:+set}:\${PEERS_DEEPGEMM:-$default}\" in"
  echo "  :pinned) ${ready[deepgemm-pinned]:-${missing[deepgemm-pinned]}} ;;"
  echo "  :newest) ${ready[deepgemm]:-${missing[deepgemm]}} ;;"
  echo "esac"
  echo "[ -n \"\${FLASHMLA_PATH:-}\" ] || ${ready[flashmla]:-${missing[flashmla]}}"
  # The newest DeepGEMM under names of its own too, whichever copy DEEPGEMM_PATH names, so that the
  # deepgemm-newest peer runs beside the pinned one in the same call.
  newest="${ready[deepgemm]:-${missing[deepgemm]}}"
  echo "[ -n \"\${DEEPGEMM_NEWEST_PATH:-}\" ] || ${newest//DEEPGEMM_/DEEPGEMM_NEWEST_}"
} > "$root/env.sh"
{
  printf 'build-peers: %s\n' "${lines[@]}"
  echo "build-peers: scripts/gpu-host.sh sources .peers/env.sh (DeepGEMM: PEERS_DEEPGEMM=pinned|newest, $default by default); in a shell of your own:"
  [ -z "${ready[deepgemm-pinned]:-}" ] || echo "  ${ready[deepgemm-pinned]}"
  [ -z "${ready[deepgemm]:-}" ] || echo "  ${ready[deepgemm]}   # the newest DeepGEMM instead"
  [ -z "${ready[flashmla]:-}" ] || echo "  ${ready[flashmla]}"
} >> "$root/summary.txt"
echo "$stamp" > "$root/stamp"
cat "$root/summary.txt"
