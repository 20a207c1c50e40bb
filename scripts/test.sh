#!/usr/bin/env bash
# The project's tests: set-up first (scripts/setup.sh), then device-free tests, then the tests that
# need a WebGPU adapter (one file at a time: lavapipe is a CPU and timings share it), then the
# browser test of the HTML report when its set-up exists. Pass `unit` or `adapter` to run one group.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
group="${1:-all}"

unit=$(find test -name '*.test.ts' -not -path 'test/adapter/*' -not -path 'test/gpu/*' -not -path 'test/browser/*' | sort)
adapter=$(find test/adapter -name '*.test.ts' 2>/dev/null | sort)
browser=$(find test/browser -name '*.test.ts' 2>/dev/null | sort)

# Device-free tests run in parallel; adapter and browser tests one file at a time (lavapipe is the
# CPU, and the gate's planted-regression test compares timings).
run_unit() { [ -z "$unit" ] || node --import tsx --test $unit; }
run_serial() { [ -z "$*" ] || node --import tsx --test --test-concurrency=1 "$@"; }
case "$group" in
  unit) run_unit ;;
  adapter) run_serial $adapter ;;
  browser) [ -z "$browser" ] || bash scripts/setup-browser.sh >&2; run_serial $browser ;;
  all)
    [ -z "$browser" ] || bash scripts/setup-browser.sh >&2
    run_unit
    run_serial $adapter $browser ;;
  *) echo "usage: scripts/test.sh [unit|adapter|browser|all]" >&2; exit 2 ;;
esac
