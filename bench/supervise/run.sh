#!/usr/bin/env bash
# foyer vs supervisord running the same 3 programs (python3 http.server on 3 ports):
# peak and steady RSS of the supervisor process, time from start until all 3 ports accept
# connections, and time from SIGTERM until the supervisor has exited. Printed, not asserted.
# foyer is the built binary (`dist/foyer run --spec`; FOYER_BIN overrides it). Needs: supervisor,
# python3 (Debian).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${RUNS:-3}
WORK=$(mktemp -d /tmp/foyer-bench-sup.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PORTS=(18101 18102 18103)
FOYER_BIN=${FOYER_BIN:-$ROOT/dist/foyer}
[ -x "$FOYER_BIN" ] || make -C "$ROOT"

prog() { echo "python3 -m http.server $1 --bind 127.0.0.1"; }

cat > "$WORK/supervisord.conf" <<CONF
[supervisord]
nodaemon=true
user=root
logfile=/dev/null
logfile_maxbytes=0
pidfile=$WORK/supervisord.pid
$(for i in 0 1 2; do printf '[program:web%s]\ncommand=%s\nstdout_logfile=/dev/null\nstderr_logfile=/dev/null\nstopwaitsecs=10\n' "$i" "$(prog "${PORTS[$i]}")"; done)
CONF

{
  printf '{"control":{"enabled":false},"log":{"level":"warn"},"programs":{'
  for i in 0 1 2; do
    [ "$i" -gt 0 ] && printf ','
    printf '"web%s":{"command":["python3","-m","http.server","%s","--bind","127.0.0.1"],"ready":{"tcp":%s,"interval":"10ms"}}' "$i" "${PORTS[$i]}" "${PORTS[$i]}"
  done
  printf '}}'
} > "$WORK/spec.json"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

# one run: prints "ready_ms stop_ms peak_kib steady_kib private_kib" (private = RssAnon: the
# process's own memory, without the pages of its executable that the page cache shares)
measure() {
  local t0 pid t_ready t_term steady peak
  t0=$(now_ms)
  "$@" >/dev/null 2>&1 &
  pid=$!
  for p in "${PORTS[@]}"; do until port_open "$p"; do sleep 0.005; done; done
  t_ready=$(now_ms)
  sleep 3
  steady=$(kib "$pid" VmRSS)
  peak=$(kib "$pid" VmHWM)
  private=$(kib "$pid" RssAnon)
  t_term=$(now_ms)
  kill -TERM "$pid"
  wait "$pid" || true
  echo "$((t_ready - t0)) $(( $(now_ms) - t_term )) $peak $steady $private"
  for p in "${PORTS[@]}"; do while port_open "$p"; do sleep 0.05; done; done
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A RES
for name in foyer supervisord; do
  : > "$WORK/$name.txt"
  for _ in $(seq "$RUNS"); do
    if [ "$name" = foyer ]; then measure "$FOYER_BIN" run --spec "$WORK/spec.json" >> "$WORK/$name.txt"
    else measure supervisord -n -c "$WORK/supervisord.conf" >> "$WORK/$name.txt"; fi
  done
  for col in 1 2 3 4 5; do RES[$name,$col]=$(cut -d' ' -f"$col" "$WORK/$name.txt" | median); done
  echo "$name runs (ready_ms stop_ms peak_KiB steady_KiB private_KiB):"; sed 's/^/  /' "$WORK/$name.txt"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '\n%-26s %12s %12s %8s\n' "median of $RUNS runs" foyer supervisord ratio
printf '%-26s %12s %12s %8s\n' "start → all ready (ms)" "${RES[foyer,1]}" "${RES[supervisord,1]}" "$(ratio "${RES[foyer,1]}" "${RES[supervisord,1]}")"
printf '%-26s %12s %12s %8s\n' "TERM → exit (ms)" "${RES[foyer,2]}" "${RES[supervisord,2]}" "$(ratio "${RES[foyer,2]}" "${RES[supervisord,2]}")"
printf '%-26s %12s %12s %8s\n' "peak RSS (KiB)" "${RES[foyer,3]}" "${RES[supervisord,3]}" "$(ratio "${RES[foyer,3]}" "${RES[supervisord,3]}")"
printf '%-26s %12s %12s %8s\n' "steady RSS (KiB)" "${RES[foyer,4]}" "${RES[supervisord,4]}" "$(ratio "${RES[foyer,4]}" "${RES[supervisord,4]}")"
printf '%-26s %12s %12s %8s\n' "steady private (KiB)" "${RES[foyer,5]}" "${RES[supervisord,5]}" "$(ratio "${RES[foyer,5]}" "${RES[supervisord,5]}")"
