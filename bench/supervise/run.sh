#!/usr/bin/env bash
# foyer vs supervisord supervising the same 3 programs, in two scenarios. Printed, not asserted.
#
#  steady: 3 × python3 http.server. Time from start until all 3 ports accept connections, time from
#          SIGTERM until the supervisor has exited, and the supervisor's memory after 3 s.
#  crash:  2 × python3 http.server + 1 program that exits 1 at once (restart always, 1 ms backoff;
#          supervisord: autorestart, startsecs=0), until it has been restarted RESTARTS (5,000)
#          times or CRASH_SECONDS (120) have passed. Then memory, sampled SAMPLES (10) times 0.5 s
#          apart while it keeps crash-looping (median, and the max of private memory: a reading
#          moves by a few MB with GC timing); then the crash-looper is stopped (`foyer ctl stop`,
#          `supervisorctl stop`) and private memory read again after 10 s: what stays for good.
#          Every start of the crash-looper appends a line to a file, so both supervisors are
#          counted the same way; foyer's own count comes from `foyer ctl status --json`.
#          (supervisord restarts about 1.5 times a second: its main loop wakes once a second.)
#
# Memory comes from /proc/PID/smaps_rollup of the supervisor process alone (not its children):
#   private = Pss_Anon: heap, stacks, JIT code: what each container really pays
#   file    = Pss_File: pages of the executable and its libraries; the page cache shares them with
#             every process (every container of the same image layer) that maps the same file
#   RSS     = both (what `ps` and most dashboards show), and peak = VmHWM.
#
# foyer is the built binary (dist/foyer; FOYER_BIN overrides it: any executable that takes
# `run --spec FILE`, e.g. a variant with other V8 flags from bench/supervise/v8-flags.sh).
# SCENARIOS="steady crash" selects; RUNS (3) runs of `steady`, one of `crash`.
# Needs: supervisor, python3 (Debian).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${RUNS:-3}
RESTARTS=${RESTARTS:-5000}
CRASH_SECONDS=${CRASH_SECONDS:-120}
SAMPLES=${SAMPLES:-10}
SCENARIOS=${SCENARIOS:-steady crash}
FOYER_BIN=${FOYER_BIN:-$ROOT/dist/foyer}
[ "$FOYER_BIN" != "$ROOT/dist/foyer" ] || [ -x "$FOYER_BIN" ] || make -C "$ROOT"
command -v supervisord >/dev/null || { echo "missing supervisord (apt-get install -y supervisor)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/foyer-bench-sup.XXXXXX)
PID=""
trap '[ -z "$PID" ] || kill -TERM "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORTS=(18101 18102 18103)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }
# "private_kib file_kib rss_kib peak_kib" of one process
memory() {
  local p=$1
  echo "$(awk '$1 == "Pss_Anon:" {a=$2} $1 == "Pss_File:" {f=$2} $1 == "Rss:" {r=$2} END {print a, f, r}' "/proc/$p/smaps_rollup") $(awk '$1 == "VmHWM:" {print $2}' "/proc/$p/status")"
}
stop() {
  kill -TERM "$1"
  wait "$1" || true
  for p in "${PORTS[@]}"; do while port_open "$p"; do sleep 0.05; done; done
}

# ---- the programs, for both supervisors
CRASH="echo started >> $WORK/starts; echo 'about to crash'; exit 1"
web() { echo "python3 -m http.server $1 --bind 127.0.0.1"; }
supervisord_conf() { # $1 = scenario
  cat <<CONF
[supervisord]
nodaemon=true
user=root
logfile=/dev/null
logfile_maxbytes=0
pidfile=$WORK/supervisord.pid
[unix_http_server]
file=$WORK/supervisor.sock
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[supervisorctl]
serverurl=unix://$WORK/supervisor.sock
CONF
  local n=3; [ "$1" = crash ] && n=2
  for ((i = 0; i < n; i++)); do printf '[program:web%s]\ncommand=%s\nstdout_logfile=/dev/null\nstderr_logfile=/dev/null\nstopwaitsecs=10\n' "$i" "$(web "${PORTS[$i]}")"; done
  if [ "$1" = crash ]; then
    printf '[program:crashy]\ncommand=/bin/sh -c "%s"\nautorestart=true\nstartsecs=0\nstartretries=1000000\nstdout_logfile=/dev/null\nstderr_logfile=/dev/null\n' "$CRASH"
  fi
}
foyer_spec() { # $1 = scenario
  local n=3; [ "$1" = crash ] && n=2
  printf '{"control":{"socket":"%s/ctl.sock"},"log":{"level":"warn"},"programs":{' "$WORK"
  for ((i = 0; i < n; i++)); do
    [ "$i" -gt 0 ] && printf ','
    printf '"web%s":{"command":["python3","-m","http.server","%s","--bind","127.0.0.1"],"ready":{"tcp":%s,"interval":"10ms"}}' "$i" "${PORTS[$i]}" "${PORTS[$i]}"
  done
  if [ "$1" = crash ]; then
    printf ',"crashy":{"command":["/bin/sh","-c","%s"],"restart":"always","backoff":{"initial":"1ms","max":"1ms","retries":1000000}}' "$CRASH"
  fi
  printf '}}'
}
for s in steady crash; do
  supervisord_conf "$s" > "$WORK/supervisord-$s.conf"
  foyer_spec "$s" > "$WORK/foyer-$s.json"
done
start() { # $1 = name, $2 = scenario; starts in the background, sets PID
  if [ "$1" = foyer ]; then "$FOYER_BIN" run --spec "$WORK/foyer-$2.json" >/dev/null 2>&1 &
  else supervisord -n -c "$WORK/supervisord-$2.conf" >/dev/null 2>&1 & fi
  PID=$!
}

declare -A RES
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; foyer: $FOYER_BIN"

# ---- steady: prints "ready_ms stop_ms private file rss peak"
steady() {
  local t0 t_ready t_term mem
  t0=$(now_ms)
  start "$1" steady
  for p in "${PORTS[@]}"; do until port_open "$p"; do sleep 0.005; done; done
  t_ready=$(now_ms)
  sleep 3
  mem=$(memory "$PID")
  t_term=$(now_ms)
  stop "$PID"
  echo "$((t_ready - t0)) $(( $(now_ms) - t_term )) $mem"
}

# ---- crash: prints "restarts seconds private file rss peak private_max private_idle"
crash() {
  local t0 n=0 secs i
  : > "$WORK/starts"
  t0=$(now_ms)
  start "$1" crash
  while [ "$n" -lt "$RESTARTS" ] && [ $(( $(now_ms) - t0 )) -lt $(( CRASH_SECONDS * 1000 )) ]; do
    sleep 0.2
    n=$(( $(wc -l < "$WORK/starts") - 1 ))
    kill -0 "$PID" 2>/dev/null || { echo "$1 ended early after $n restarts" >&2; return 1; }
  done
  secs=$(awk -v ms=$(( $(now_ms) - t0 )) 'BEGIN { printf "%.1f", ms / 1000 }')
  if [ "$1" = foyer ]; then
    # (`ctl status` exits 3 while a program is not running: the crash-looper is in BACKOFF)
    n=$({ "$FOYER_BIN" ctl --socket "$WORK/ctl.sock" --json status || true; } | awk -F': ' '/"restarts"/ {gsub(/,/, "", $2); if ($2 > m) m = $2} END {print m + 0}')
  else
    n=$(( $(wc -l < "$WORK/starts") - 1 ))
  fi
  : > "$WORK/samples"
  for ((i = 0; i < SAMPLES; i++)); do memory "$PID" >> "$WORK/samples"; sleep 0.5; done
  if [ "$1" = foyer ]; then "$FOYER_BIN" ctl --socket "$WORK/ctl.sock" stop crashy >/dev/null
  else supervisorctl -c "$WORK/supervisord-crash.conf" stop crashy >/dev/null; fi
  sleep 10
  local idle
  idle=$(memory "$PID" | cut -d' ' -f1)
  stop "$PID"
  local med
  med=$(for col in 1 2 3 4; do cut -d' ' -f"$col" "$WORK/samples" | median; done | tr '\n' ' ')
  echo "$n $secs $med$(cut -d' ' -f1 "$WORK/samples" | sort -n | tail -1) $idle"
}

table_row() { printf '%-40s %12s %12s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

for scenario in $SCENARIOS; do
  runs=$RUNS; [ "$scenario" = crash ] && runs=1
  for name in foyer supervisord; do
    : > "$WORK/$name-$scenario.txt"
    for _ in $(seq "$runs"); do "$scenario" "$name" >> "$WORK/$name-$scenario.txt"; done
    for col in 1 2 3 4 5 6 7 8; do RES[$name,$scenario,$col]=$(cut -d' ' -f"$col" "$WORK/$name-$scenario.txt" | median); done
    if [ "$scenario" = steady ]; then echo "$name steady runs (ready_ms stop_ms private_KiB file_KiB rss_KiB peak_KiB):"
    else echo "$name crash run (restarts seconds private_KiB file_KiB rss_KiB peak_KiB, medians; private_max_KiB private_after_stop_KiB):"; fi
    sed 's/^/  /' "$WORK/$name-$scenario.txt"
  done
done

for scenario in $SCENARIOS; do
  r() { echo "${RES[foyer,$scenario,$1]}" "${RES[supervisord,$scenario,$1]}"; }
  m() { echo "$(mib "${RES[foyer,$scenario,$1]}")" "$(mib "${RES[supervisord,$scenario,$1]}")"; }
  if [ "$scenario" = steady ]; then
    printf '\n%-40s %12s %12s %8s\n' "steady, 3 programs (median of $RUNS runs)" foyer supervisord ratio
    table_row "start → all ready (ms)" $(r 1)
    table_row "TERM → exit (ms)" $(r 2)
  else
    printf '\n%-40s %12s %12s %8s\n' "crash-looping, 3 programs (one run)" foyer supervisord ratio
    table_row "restarts reached (of $RESTARTS, ≤ ${CRASH_SECONDS}s)" $(r 1)
    table_row "restarts per second" "$(awk -v n="${RES[foyer,crash,1]}" -v s="${RES[foyer,crash,2]}" 'BEGIN { printf "%.0f", n / s }')" \
      "$(awk -v n="${RES[supervisord,crash,1]}" -v s="${RES[supervisord,crash,2]}" 'BEGIN { printf "%.0f", n / s }')"
  fi
  if [ "$scenario" = crash ]; then
    table_row "private: Pss_Anon (MiB, median)" $(m 3)
    table_row "private: Pss_Anon (MiB, max)" $(m 7)
  else
    table_row "private: Pss_Anon (MiB)" $(m 3)
  fi
  table_row "shared file pages: Pss_File (MiB)" $(m 4)
  table_row "RSS (MiB)" $(m 5)
  table_row "peak RSS: VmHWM (MiB)" $(m 6)
  if [ "$scenario" = crash ]; then table_row "private, crash-looper stopped 10 s (MiB)" $(m 8); fi
done
