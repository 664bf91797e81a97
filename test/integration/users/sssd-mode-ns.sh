#!/bin/sh
# PID 1 of a private PID + mount namespace: /etc is an overlay (foyer's writes vanish with the
# namespace), sssd's caches, sockets and /run are tmpfs. Runs `foyer run --spec SPEC -- CMD...`,
# then shows whether any sssd is left.
# Usage: sssd-mode-ns.sh FOYER SPEC CMD...
set -eu
FOYER=$1 SPEC=$2; shift 2
W=$(mktemp -d /tmp/foyer-sssd-ovl.XXXXXX)
mount -t tmpfs tmpfs "$W"
mkdir -p "$W/up" "$W/wk"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$W/up,workdir=$W/wk" /etc
mount -t tmpfs tmpfs /var/lib/sss
mkdir -p /var/lib/sss/db /var/lib/sss/mc /var/lib/sss/pipes/private /var/lib/sss/pubconf /var/lib/sss/gpo_cache
chmod 700 /var/lib/sss/pipes/private
# a stale cache entry sssd would otherwise answer from: clearCache must remove it
echo stale > /var/lib/sss/db/cache_example.ldb
mount -t tmpfs tmpfs /run
rc=0
"$FOYER" run --spec "$SPEC" -- "$@" || rc=$?
echo "foyer exit $rc"
echo "stat: $(stat -c '%a %U:%G' /etc/sssd/sssd.conf)"
if pgrep -x sssd >/dev/null; then echo "sssd left running"; else echo "no sssd left"; fi
umount /etc && umount "$W" && rmdir "$W" || true
