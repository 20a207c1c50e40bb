#!/usr/bin/env bash
# Packs the DeepGEMM peer for the GPU machine into the gitignored .carry/deepgemm.tar.xz: DeepGEMM's
# Python package at COMMIT (default 03d0be3, the last whose JIT lives in Python) with the cute/ and
# cutlass/ headers of the CUTLASS commit it pins, under deep_gemm/include as its setup.py would put
# them. DeepGEMM is not a dependency of tilesweep: this is a peer measured beside ours.
# usage: scripts/h200/carry-deepgemm.sh DEEPGEMM_GIT_DIR CUTLASS_GIT_DIR [COMMIT]
#        (git directories, e.g. the mirrors of deepseek-ai/DeepGEMM and NVIDIA/cutlass)
# There: mkdir -p /tmp/dgpkg && tar -xJf .carry/deepgemm.tar.xz -C /tmp/dgpkg && PYTHONPATH=/tmp/dgpkg \
#        python3 scripts/h200/deepgemm_peer.py OUT.json --device-from OUR_RESULTS.json
set -euo pipefail
if [ $# -lt 2 ]; then echo "usage: $0 DEEPGEMM_GIT_DIR CUTLASS_GIT_DIR [COMMIT]" >&2; exit 2; fi
dg=$1 cutlass=$2 commit=${3:-03d0be3}
cd "$(dirname "$0")/../.."
git --git-dir="$dg" cat-file -e "$commit^{commit}" 2>/dev/null || { echo "carry-deepgemm: no commit $commit in $dg" >&2; exit 2; }
pin=$(git --git-dir="$dg" ls-tree "$commit" third-party/cutlass | awk '{print $3}')
[ -n "$pin" ] || { echo "carry-deepgemm: $commit pins no third-party/cutlass" >&2; exit 2; }
git --git-dir="$cutlass" cat-file -e "$pin^{commit}" 2>/dev/null || { echo "carry-deepgemm: no CUTLASS commit $pin in $cutlass" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git --git-dir="$dg" archive "$commit" deep_gemm | tar -x -C "$work"
git --git-dir="$cutlass" archive "$pin" include/cute include/cutlass | tar -x -C "$work"
mv "$work/include/cute" "$work/include/cutlass" "$work/deep_gemm/include/"
mkdir -p .carry
tar -C "$work" -cJf .carry/deepgemm.tar.xz.tmp deep_gemm && mv .carry/deepgemm.tar.xz.tmp .carry/deepgemm.tar.xz
echo "wrote .carry/deepgemm.tar.xz: DeepGEMM $commit, CUTLASS $pin ($(du -h .carry/deepgemm.tar.xz | cut -f1))"
