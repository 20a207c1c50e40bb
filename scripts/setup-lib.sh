# Sourced by the set-up scripts: one line of progress each, root or sudo, and package managers' output
# kept in a log whose last lines are shown when a step fails (exit 2, never 1: the CLI keeps 1 for
# "regression").
say() { echo "setup: $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
log="${TMPDIR:-/tmp}/tilesweep-setup-$(id -u).log"
quietly() {
  if ! "$@" >>"$log" 2>&1; then
    say "failed: $* (last lines of $log below)"
    tail -n 15 "$log" >&2
    exit 2
  fi
}
