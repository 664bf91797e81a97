#!/usr/bin/env bash
# All benchmarks, one after the other (printed, not asserted; meaningful only on an idle machine).
# Needs Debian's tini dumb-init hyperfine supervisor python3 (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
for b in init pid1 supervise users homes; do
  echo "=== bench/$b"
  bash "bench/$b/run.sh"
  echo
done
