#!/usr/bin/env bash
# Runs on the GPU machine: Nsight Compute on one launch of each given config of ours and of
# cuBLASLt's block-scaled FP8 kernel (through torch) for one shape, side by side in one call.
# usage: profile.sh M,N,K CONFIGS_JSON_FILE   (writes $OUT/ncu-<shape>.txt)
# NCU_METRICS: more metrics, comma-separated (e.g. the warp stall reasons, which the sections leave out).
set -uo pipefail
SHAPE=$1
CONFIGS=$2
# shellcheck source=device-env.sh
. "$(dirname "$0")/device-env.sh"
REPORT="$OUT/ncu-${SHAPE//,/x}.txt"
# Clocks as the device sets them (no locking), caches flushed before each replay pass.
NCU=(ncu --target-processes all --clock-control none --section SpeedOfLight --section ComputeWorkloadAnalysis
  --section SchedulerStats --section LaunchStats --section MemoryWorkloadAnalysis --section WarpStateStats --section InstructionStats
  --metrics smsp__inst_executed.sum,sm__cycles_elapsed.avg.per_second${NCU_METRICS:+,$NCU_METRICS}
  --launch-skip 1 --launch-count 1)
n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$CONFIGS")
for i in $(seq 0 $((n - 1))); do
  cfg=$(python3 -c "import json,sys; print(json.dumps([json.load(open(sys.argv[1]))[int(sys.argv[2])]]))" "$CONFIGS" "$i")
  echo "=== tilesweep $SHAPE $cfg" >> "$REPORT"
  "${NCU[@]}" -k regex:fp8_gemm /tmp/node .carry/sweep.mjs --diagnose --shapes "$SHAPE" --configs "$cfg" --time-ms 1 >> "$REPORT" 2>&1
done
echo "=== cuBLASLt $SHAPE (torch._scaled_mm)" >> "$REPORT"
"${NCU[@]}" -k 'regex:gemm|nvjet|xmma|cutlass|sm90' python3 scripts/h200/peers.py --launch "$SHAPE" 3 >> "$REPORT" 2>&1
grep -E "^===|Duration|SM Frequency|Compute \(SM\) Throughput|L2 Cache Throughput|DRAM Throughput|Issue Slots Busy|inst_executed|Grid Size|Block Size|Cluster Size|Dynamic Shared|Registers Per|fp8_gemm|nvjet|gemm" "$REPORT" | grep -v "^==PROF==" | cut -c1-160
