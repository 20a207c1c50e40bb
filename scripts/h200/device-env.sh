# Sourced by the scripts that run on the GPU machine: the repository root as working directory, $OUT
# made, the carried node unpacked to /tmp/node, and the CUDA backend's runner sources and cache set.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
[ -x /tmp/node ] || { xz -dc .carry/node.xz > /tmp/node && chmod +x /tmp/node; }
export TILESWEEP_CUDA_RUNNER_SRC=$PWD/harness/cuda/runner TILESWEEP_CUDA_CACHE=${TILESWEEP_CUDA_CACHE:-/tmp/tilesweep-cuda}
