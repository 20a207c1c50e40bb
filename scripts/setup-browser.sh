#!/usr/bin/env bash
# Installs the headless browser the report test (test/browser/) drives through playwright-core: Debian's
# chromium, not a browser download, so the test needs no network once the machine is set up. On a
# fresh Debian 12 that is about 140 packages (~300 MB) and a minute or two. Idempotent: does nothing
# when /usr/bin/chromium exists. Prints a line or two of progress; apt's output goes to a log file,
# whose last lines are shown when it fails (exit 2).
set -euo pipefail

[ -x /usr/bin/chromium ] && exit 0

. "$(dirname "$0")/setup-lib.sh"

say "installing Debian's chromium for the browser test of the report (about 140 packages; log: $log)"
export DEBIAN_FRONTEND=noninteractive
quietly as_root apt-get update -qq
quietly as_root apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
say "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')"
