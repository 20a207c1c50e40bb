#!/usr/bin/env bash
# The project gates itself (.ci/run calls this): a small lavapipe sweep of fp8-gemm, compared by
# same-run ratios with the committed baseline reports/gate/baselines/lavapipe-fp8-gemm-small.json.
#
# Why these settings (reports/gate/README.md has the rules):
# - --reference-config: TM=2 with bit decode is measured in the same process as the others and every
#   time is divided by its median, so a CI machine slower or faster than the one that recorded the
#   baseline does not count.
# - --pairing best: the gate holds the tuned choice (the best config of the sweep) to its baseline.
# - --threshold 100: lavapipe is a CPU rasterizer sharing cores with whatever else runs; measured on
#   the development machine under load, A/A ratios of the best config moved by up to 27% (single
#   configs up to 77%). The self-gate is there to catch a template change that makes the kernel
#   twice as slow, not 5%; on a real GPU the default 5% applies.
# - --allow-other-device: the lavapipe fingerprint names Mesa and Dawn, not the CPU; a newer Mesa on
#   a fresh CI machine should not fail the build by itself, the ratios still compare.
# - --rerun 2: an ambiguous verdict is re-measured here before the gate decides.
# Re-record the baseline with RECORD=1 (on a quiet machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
baseline=reports/gate/baselines/lavapipe-fp8-gemm-small.json
out=${TILESWEEP_GATE_OUT:-out/self-gate}
mkdir -p "$out"
space=(--param BM=32 --param BN=32 --param TM=1,2,4 --param TN=4 --param BK=128 --param vec=4
       --param stage=none --param decode=bits,table --param arith=f32)
current="$out/current.json"
[[ "${RECORD:-0}" == 1 ]] && current=$baseline
node bin/tilesweep.js tune fp8-gemm --backend webgpu --preset small --no-cache "${space[@]}" --out "$current" > "$out/tune.txt"
[[ "${RECORD:-0}" == 1 ]] && { echo "recorded $baseline"; exit 0; }
node bin/tilesweep.js gate --baseline "$baseline" --current "$current" \
  --reference-config TM=2,decode=bits --pairing best --threshold 100 --allow-other-device --rerun 2 \
  --out-markdown "$out/gate.md" --out-json "$out/gate.json" --out-benchmark "$out/benchmark.json"
