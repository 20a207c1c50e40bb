#!/usr/bin/env bash
# On a GPU host without Node.js or a package registry: unpacks what scripts/carry.sh packed into
# .carry/ (node, node_modules) and runs the CLI with the given arguments, or the GPU tests with
# `scripts/gpu-host.sh test`. It only unpacks and calls tilesweep: every figure comes from the CLI.
# `scripts/gpu-host.sh build-peers` builds the peers carried as sources (scripts/peers-build.sh); every
# later call here gets what built (DEEPGEMM_PATH, FLASHMLA_PATH and their commits, from .peers/env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = build-peers ]; then shift; exec bash scripts/peers-build.sh "$@"; fi
case "${PEERS_DEEPGEMM:-pinned}" in pinned|newest) ;; *) echo "gpu-host: PEERS_DEEPGEMM is pinned or newest, not '$PEERS_DEEPGEMM'" >&2; exit 2 ;; esac
bin="${TMPDIR:-/tmp}/tilesweep-node-$(id -u)"
if [ ! -x "$bin/node" ]; then
  [ -f .carry/node.xz ] || { echo "gpu-host: .carry/node.xz is missing: run scripts/carry.sh on a machine with Node.js first" >&2; exit 2; }
  mkdir -p "$bin" && xz -dc .carry/node.xz > "$bin/node.tmp" && chmod +x "$bin/node.tmp" && mv "$bin/node.tmp" "$bin/node"
fi
if [ ! -d node_modules/tsx ]; then
  [ -f .carry/nm.tar.xz ] || { echo "gpu-host: .carry/nm.tar.xz is missing: run scripts/carry.sh on a machine with Node.js first" >&2; exit 2; }
  mkdir -p node_modules && tar -xJf .carry/nm.tar.xz -C node_modules
fi
export PATH="$bin:$PATH"
[ ! -f .peers/env.sh ] || . .peers/env.sh
# Binaries compiled ahead here (scripts/carry.sh --cuda-cache) into the compile cache, once per archive:
# the cache is keyed by nvcc version, flags and source, so a host whose nvcc differs compiles as usual.
cuda_cache="${TILESWEEP_CUDA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tilesweep/cuda}"
if [ -f .carry/cuda-cache.tar.xz ] && { [ ! -f "$cuda_cache/.carried" ] || [ .carry/cuda-cache.tar.xz -nt "$cuda_cache/.carried" ]; }; then
  mkdir -p "$cuda_cache" && tar -xJf .carry/cuda-cache.tar.xz -C "$cuda_cache" && touch "$cuda_cache/.carried"
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# `test [PART...]`: the GPU tests, or those whose path holds one of the PARTs (e.g. `test fp8-gemm
# backend`), so that a short device call can verify one family first (and, in the MLA decode test,
# TILESWEEP_GPU_ONLY=TEXT keeps the configs whose JSON holds TEXT, e.g. '"scores":"transposed"').
if [ "${1:-}" = test ]; then
  shift
  files=$(find test/gpu -name '*.test.ts' | sort)
  if [ $# -gt 0 ]; then
    files=$(for f in $files; do for part in "$@"; do case "$f" in *"$part"*) echo "$f"; break ;; esac; done; done)
    [ -n "$files" ] || { echo "gpu-host: no GPU test path holds $*" >&2; exit 2; }
  fi
  exec node --import tsx --test --test-concurrency=1 $files
fi
# `plan FILE [LOGDIR [FIRST [LAST]]]`: one tilesweep call per line of FILE (shell words, $OUT
# expanded: the device's output folder, else out/; `#` lines and blank lines skipped), calls FIRST to
# LAST (from 1; default all) in order, each logged to LOGDIR/NN.log; a failed call does not stop the
# ones after it (each writes its own --out file), and the exit status is the worst of them.
if [ "${1:-}" = plan ]; then
  file="${2:?usage: gpu-host.sh plan FILE [LOGDIR [FIRST [LAST]]]}" worst=0 n=0
  export OUT="${OUT:-out}"
  logs="${3:-$OUT/logs}" first="${4:-1}" last="${5:-1000000}"
  [ -f "$file" ] || { echo "gpu-host: no plan file $file" >&2; exit 2; }
  mkdir -p "$logs"
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    n=$((n + 1)); [ "$n" -lt "$first" ] || [ "$n" -gt "$last" ] && continue
    log="$logs/$(printf %02d "$n").log"
    echo "== $n: tilesweep $line"; echo "tilesweep $line" > "$log"
    rc=0; eval "set -- $line"; node bin/tilesweep.js "$@" >> "$log" 2>&1 || rc=$?
    tail -n +2 "$log" | tail -n 5; echo "== $n: exit $rc"
    [ "$rc" -gt "$worst" ] && worst=$rc
  done < "$file"
  exit "$worst"
fi
exec node bin/tilesweep.js "$@"
