#!/usr/bin/env bash
# `scripts/compile-ahead.sh DIR PLAN...`: here, before a GPU session, compiles what the plans' tune and
# bench calls will build on the host (`tilesweep compile --for ${TILESWEEP_AHEAD_FOR:-h200}` with each
# call's kernel, problems, space and --param) and the decode and grouped GPU tests' sources
# (scripts/compile-ahead-tests.ts; not with TILESWEEP_AHEAD_TESTS=0), into DIR; `scripts/carry.sh
# --cuda-cache DIR` packs it.
# It reads the plans as gpu-host.sh plan does; it measures nothing. Exit: the worst of the compiles.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:?usage: scripts/compile-ahead.sh DIR PLAN...}"; shift
[ $# -gt 0 ] || { echo "compile-ahead: name at least one plan file" >&2; exit 2; }
export OUT="${OUT:-out}" XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
worst=0
for plan in "$@"; do
  [ -f "$plan" ] || { echo "compile-ahead: no plan file $plan" >&2; exit 2; }
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    eval "set -- $line"
    command="$1" kernel="${2:-}"
    case "$command" in tune|bench) ;; *) continue ;; esac
    shift 2
    # tune's space is `default` unless named; bench's, the candidates where the target has them.
    args=() space=$([ "$command" = tune ] && echo default || echo candidates)
    while [ $# -gt 0 ]; do
      case "$1" in
        --preset|--shape|--param) args+=("$1" "$2"); shift 2 ;;
        --space) space="$2"; shift 2 ;;
        *) shift ;;
      esac
    done
    echo "== $plan: $command $kernel"
    rc=0
    node bin/tilesweep.js compile "$kernel" --for "${TILESWEEP_AHEAD_FOR:-h200}" "${args[@]}" --space "$space" --into "$dir" || rc=$?
    [ "$rc" -gt "$worst" ] && worst=$rc
  done < "$plan"
done
# The decode and grouped GPU tests' sources too (gpu-host.sh test decode grouped-gemm), from their case tables, unless
# TILESWEEP_AHEAD_TESTS=0.
if [ "${TILESWEEP_AHEAD_TESTS:-1}" != 0 ]; then
  echo "== the decode and grouped GPU tests"
  rc=0
  node --import tsx scripts/compile-ahead-tests.ts "$dir" || rc=$?
  [ "$rc" -gt "$worst" ] && worst=$rc
fi
exit "$worst"
