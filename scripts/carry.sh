#!/usr/bin/env bash
# Packs what a GPU host without Node.js or a package registry needs to run the real CLI into the
# gitignored .carry/: this machine's node binary and a trimmed node_modules, both xz-compressed
# (about 24 + 12 MB). Copy the working tree with .carry/ to the host and run scripts/gpu-host.sh there.
# With `--peers DEEPGEMM_GIT FLASHMLA_GIT CUTLASS_GIT FMT_GIT [options]` it also packs the peers'
# sources for `scripts/gpu-host.sh build-peers` (scripts/peer-sources.sh says how; about 1.5 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
peers=() cuda_cache=''
# `--cuda-cache DIR` (first): also packs binaries compiled ahead for the host (`tilesweep compile
# --for h200 ... --into DIR`), which scripts/gpu-host.sh puts in the host's compile cache.
if [ "${1:-}" = --cuda-cache ]; then
  cuda_cache="${2:?carry: --cuda-cache needs the folder tilesweep compile --into wrote}"; shift 2
  [ -d "$cuda_cache/cubin" ] || { echo "carry: $cuda_cache/cubin is not there: run tilesweep compile --for DEVICE ... --into $cuda_cache first" >&2; exit 2; }
fi
if [ "${1:-}" = --peers ]; then
  shift; peers=("$@")
  [ ${#peers[@]} -ge 4 ] || { echo "carry: --peers needs DEEPGEMM_GIT FLASHMLA_GIT CUTLASS_GIT FMT_GIT (scripts/peer-sources.sh --help)" >&2; exit 2; }
elif [ $# -gt 0 ]; then
  echo "carry: unknown argument $1 (usage: scripts/carry.sh [--cuda-cache DIR] [--peers DEEPGEMM_GIT FLASHMLA_GIT CUTLASS_GIT FMT_GIT [options]])" >&2; exit 2
fi
bash scripts/setup.sh
mkdir -p .carry
if [ ! -f .carry/node.xz ] || [ "$(command -v node)" -nt .carry/node.xz ]; then
  xz -T2 -6 -c "$(command -v node)" > .carry/node.xz.tmp && mv .carry/node.xz.tmp .carry/node.xz
fi
if [ ! -f .carry/nm.tar.xz ] || [ package-lock.json -nt .carry/nm.tar.xz ]; then
  # What the CLI does not load on a CUDA host: the browser driver, the type checker and the types,
  # gpu.js's own headless-gl build, and Dawn's binaries for other platforms.
  tar -C node_modules -cf - \
    --exclude=./gpu.js/node_modules --exclude=./playwright-core --exclude=./typescript --exclude=./@typescript \
    --exclude=./@types --exclude='./webgpu/dist/darwin*' --exclude='./webgpu/dist/win32*' --exclude='./webgpu/dist/linux-arm64*' \
    . | xz -T2 -6 > .carry/nm.tar.xz.tmp
  mv .carry/nm.tar.xz.tmp .carry/nm.tar.xz
fi
[ ${#peers[@]} -eq 0 ] || bash scripts/peer-sources.sh "${peers[@]}"
if [ -n "$cuda_cache" ]; then
  tar -C "$cuda_cache" -cf - cubin | xz -T2 -6 > .carry/cuda-cache.tar.xz.tmp && mv .carry/cuda-cache.tar.xz.tmp .carry/cuda-cache.tar.xz
fi
ls -l .carry
