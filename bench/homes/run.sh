#!/usr/bin/env bash
# 1,000 homes with 5 dirs and 3 dotfiles each: `foyer init` (first run, then a re-run that changes
# nothing) side by side with a shell loop doing the same with install -d and cp (run twice too).
# Runs in a throw-away copy of the testkit's Debian root (the 1,000 accounts made there with
# newusers vanish with it). Prints times and both ratios; not asserted.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOTFS=${ROOTFS:-/tmp/foyer-testkit/rootfs}
N=${N:-1000}
[ -x dist/foyer ] || { echo "build dist/foyer first (make)" >&2; exit 1; }
[ -x "$ROOTFS/bin/sh" ] || { echo "no root filesystem at $ROOTFS (../shared/testkit/make-rootfs.sh)" >&2; exit 1; }
APP=$(mktemp -d /tmp/foyer-bench-homes.XXXXXX); chmod 755 "$APP"
trap 'rm -rf "$APP"' EXIT
cp dist/foyer "$APP/foyer"
mkdir "$APP/skel"
printf '# bashrc\nalias ll="ls -l"\n' > "$APP/skel/.bashrc"
printf '# profile\n[ -f ~/.bashrc ] && . ~/.bashrc\n' > "$APP/skel/.profile"
printf '[user]\n  name = someone\n' > "$APP/skel/.gitconfig"
{
  echo "home:"
  echo "  root: /home"
  echo "  users:"
  for i in $(seq -w 1 "$N"); do echo "    - u$i"; done
  echo "  dirs: [.jupyter, .config, .cache, work, data]"
  echo "  skel: /opt/app/skel"
} > "$APP/spec.yaml"
for i in $(seq -w 1 "$N"); do echo "u$i:x:$((20000 + 10#$i)):$((20000 + 10#$i))::/home/u$i:/bin/bash"; done > "$APP/users.txt"
cat > "$APP/loop.sh" <<'LOOP'
#!/bin/bash
# what people write instead: for each user, the home, 5 dirs, 3 dotfiles
while IFS=: read -r u _ uid gid _; do
  install -d -m 0700 -o "$uid" -g "$gid" "/home/$u"
  for d in .jupyter .config .cache work data; do install -d -m 0755 -o "$uid" -g "$gid" "/home/$u/$d"; done
  for f in .bashrc .profile .gitconfig; do cp /opt/app/skel/$f "/home/$u/$f"; chown "$uid:$gid" "/home/$u/$f"; done
done < /opt/app/users.txt
LOOP
chmod 755 "$APP/loop.sh"
cat > "$APP/bench.sh" <<'BENCH'
set -e
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
newusers < /opt/app/users.txt 2>/dev/null || true
rm -rf /home/*
t=$(date +%s%N); /opt/app/loop.sh; echo "loop_first=$(ms $t)"
t=$(date +%s%N); /opt/app/loop.sh; echo "loop_again=$(ms $t)"
echo "loop_files=$(find /home -type f | wc -l) loop_dirs=$(find /home -mindepth 1 -type d | wc -l)"
rm -rf /home/*
t=$(date +%s%N); /opt/app/foyer init --spec /opt/app/spec.yaml --log-level warn; echo "foyer_first=$(ms $t)"
t=$(date +%s%N); /opt/app/foyer init --spec /opt/app/spec.yaml --log-level warn; echo "foyer_again=$(ms $t)"
echo "foyer_files=$(find /home -type f | wc -l) foyer_dirs=$(find /home -mindepth 1 -type d | wc -l)"
BENCH
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
out=$(ROOTFS=$ROOTFS APP=$APP sh test/e2e/run-in-rootfs.sh bash /opt/app/bench.sh)
echo "$out"
eval "$(echo "$out" | grep -E '^(loop|foyer)_(first|again)=' )"
awk -v n="$N" -v lf="$loop_first" -v la="$loop_again" -v ff="$foyer_first" -v fa="$foyer_again" 'BEGIN {
  printf "%d homes, 5 dirs and 3 dotfiles each (+ foyer'"'"'s record per home)\n", n
  printf "  first run:  shell loop %6d ms   foyer init %6d ms   foyer/loop = %.2f\n", lf, ff, ff / lf
  printf "  re-run:     shell loop %6d ms   foyer init %6d ms   foyer/loop = %.2f (foyer changes nothing; the loop rewrites)\n", la, fa, fa / la
}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
