#!/usr/bin/env bash
# The project's tests: set-up first (scripts/setup.sh), then device-free tests, then the tests that
# need a WebGPU adapter (one file at a time: lavapipe is a CPU and timings share it), then the
# browser test of the HTML report (its set-up, scripts/setup-browser.sh, installs Debian's chromium).
# Pass `unit`, `adapter` or `browser` to run one group. Every group's results are summed into the
# last line: "tests: N passed, N failed, N skipped" (scripts/test-summary.mjs); the exit code is 1
# when any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit $?
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
group="${1:-all}"

unit=$(find test -name '*.test.ts' -not -path 'test/adapter/*' -not -path 'test/gpu/*' -not -path 'test/browser/*' | sort)
adapter=$(find test/adapter -name '*.test.ts' 2>/dev/null | sort)
browser=$(find test/browser -name '*.test.ts' 2>/dev/null | sort)

reports=$(mktemp -d "${TMPDIR:-/tmp}/tilesweep-tests.XXXXXX")
trap 'rm -rf "$reports"' EXIT

# Dawn prints these two lines each time an adapter is requested on lavapipe; they say nothing to act on.
dawn_noise='^(# )?Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced'

# One group: the spec report on the screen, the TAP report kept for the summary.
run_group() {
  local name=$1; shift
  [ $# -gt 0 ] || return 0
  echo "== $name tests ($# files)"
  node --import tsx --test "${concurrency[@]}" --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$reports/$name.tap" "$@" 2>&1 | grep --line-buffered -Ev "$dawn_noise"
}

# Device-free tests run in parallel; adapter and browser tests one file at a time (lavapipe is the
# CPU, and the gate's planted-regression test compares timings).
run_unit() { concurrency=(); run_group unit $unit; }
run_adapter() { concurrency=(--test-concurrency=1); run_group adapter $adapter; }
run_browser() {
  [ -n "$browser" ] || return 0
  bash scripts/setup-browser.sh || { echo "browser set-up failed: the browser test is not run" >&2; return 0; }
  concurrency=(--test-concurrency=1); run_group browser $browser
}
groups=()
case "$group" in
  unit) run_unit; groups=(unit) ;;
  adapter) run_adapter; groups=(adapter) ;;
  browser) run_browser; groups=(browser) ;;
  all) run_unit; run_adapter; run_browser; groups=(unit adapter browser) ;;
  *) echo "usage: scripts/test.sh [unit|adapter|browser|all]" >&2; exit 2 ;;
esac

# Only groups that have test files are summed (a group with none wrote no report).
summed=()
for g in "${groups[@]}"; do
  case "$g" in unit) [ -n "$unit" ] ;; adapter) [ -n "$adapter" ] ;; browser) [ -n "$browser" ] ;; esac && summed+=("$reports/$g.tap")
done
node scripts/test-summary.mjs "${summed[@]}"
