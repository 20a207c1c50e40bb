#!/usr/bin/env bash
# Runs on the GPU machine: where the warps of each given config of ours, and of DeepGEMM's kernel,
# stall, per SASS instruction (Nsight Compute's warp-state sampling), for one shape in one call.
# usage: stalls.sh M,N,K CONFIGS_JSON_FILE   (writes $OUT/stalls-<shape>-<i>.csv, -deepgemm.csv and a summary)
# DeepGEMM needs its carried copy unpacked at /tmp/dgpkg (see deepgemm_peer.py); NO_DEEPGEMM=1 leaves it out.
set -uo pipefail
SHAPE=$1
CONFIGS=$2
TAG=${SHAPE//,/x}
# shellcheck source=device-env.sh
. "$(dirname "$0")/device-env.sh"
SUMMARY="$OUT/stalls-$TAG.txt"
NCU=(ncu --target-processes all --clock-control none --section SpeedOfLight --section WarpStateStats --section SourceCounters
  --metrics smsp__inst_executed.sum,sm__cycles_elapsed.avg.per_second --launch-skip 2 --launch-count 1)
# One profile: the report, its per-instruction page as CSV, the headline figures into the summary.
profile() {
  local name=$1; shift
  echo "=== $name" >> "$SUMMARY"
  "${NCU[@]}" -o "/tmp/$name" -f "$@" > "/tmp/$name.log" 2>&1 || { tail -20 "/tmp/$name.log" >> "$SUMMARY"; return; }
  ncu -i "/tmp/$name.ncu-rep" --page source --csv --print-source sass > "$OUT/$name.csv" 2>> "$SUMMARY"
  ncu -i "/tmp/$name.ncu-rep" --page details >> "$SUMMARY" 2>&1
}
n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$CONFIGS")
for i in $(seq 0 $((n - 1))); do
  cfg=$(python3 -c "import json,sys; print(json.dumps([json.load(open(sys.argv[1]))[int(sys.argv[2])]]))" "$CONFIGS" "$i")
  echo "config $i: $cfg" >> "$SUMMARY"
  profile "stalls-$TAG-$i" -k regex:fp8_gemm /tmp/node .carry/sweep.mjs --diagnose --shapes "$SHAPE" --configs "$cfg" --time-ms 1
done
if [ "${NO_DEEPGEMM:-0}" != 1 ]; then
  export PYTHONPATH=/tmp/dgpkg DEEPGEMM_COMMIT=${DEEPGEMM_COMMIT:-03d0be3} DG_JIT_CACHE_DIR=${DG_JIT_CACHE_DIR:-/tmp/dgcache}
  profile "stalls-$TAG-deepgemm" -k regex:fp8_gemm_kernel python3 scripts/h200/deepgemm_peer.py --launch "$SHAPE" 4
fi
grep -E "^===|^config|Duration|SM Frequency|Elapsed Cycles|Compute \(SM\) Throughput|Warp Cycles Per Issued|inst_executed" "$SUMMARY" | cut -c1-200
