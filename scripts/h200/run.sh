#!/usr/bin/env bash
# Runs on the GPU machine (through the device tool), from the repository root: unpacks the carried
# node, measures the peers with torch, then sweeps tilesweep's CUDA fp8-gemm, then measures the peers
# again and rejudges the bar against their faster measurement; everything it writes goes to $OUT.
# Arguments after `--` go to the sweep; PEER_SHAPES limits the peers' shapes.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
xz -dc .carry/node.xz > /tmp/node && chmod +x /tmp/node
export TILESWEEP_CUDA_RUNNER_SRC=$PWD/harness/cuda/runner TILESWEEP_CUDA_CACHE=${TILESWEEP_CUDA_CACHE:-/tmp/tilesweep-cuda}
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,temperature.gpu,power.draw --format=csv | tee "$OUT/nvidia-smi.txt"
if [ "${GPU_TESTS:-0}" = 1 ]; then
  # A failing GPU test ends the call here: a sweep of a broken kernel would only spend device time.
  /tmp/node --test .carry/gpu-test.mjs > "$OUT/gpu-test.log" 2>&1 || { grep -E "^# (pass|fail)|^not ok|error" "$OUT/gpu-test.log"; exit 1; }
  grep -E "^# (pass|fail)" "$OUT/gpu-test.log"
fi
if [ "${SKIP_PEERS:-0}" != 1 ]; then
  # shellcheck disable=SC2086
  PYTHONUNBUFFERED=1 python3 scripts/h200/peers.py "$OUT/peers.json" ${PEER_SHAPES:-} 2>&1 | tee "$OUT/peers.log"
fi
PEERS=()
[ -f "$OUT/peers.json" ] && PEERS=(--peers "$OUT/peers.json")
/tmp/node .carry/sweep.mjs --out "$OUT/fp8-gemm-h200.json" "${PEERS[@]}" "$@" 2>&1 | tee "$OUT/sweep.log"
if [ -f "$OUT/peers.json" ] && [ -f "$OUT/fp8-gemm-h200.json" ]; then
  # The peers again, after our sweep: the bar is judged against each peer's faster measurement and
  # the spread between the two is recorded (cuBLASLt moved up to 22% between calls on one shape).
  # shellcheck disable=SC2086
  PYTHONUNBUFFERED=1 python3 scripts/h200/peers.py "$OUT/peers-after.json" ${PEER_SHAPES:-} > "$OUT/peers-after.log" 2>&1
  /tmp/node .carry/rejudge.mjs "$OUT/fp8-gemm-h200.json" "$OUT/peers-after.json" | tee -a "$OUT/sweep.log"
fi
