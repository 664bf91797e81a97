#!/bin/sh
# Run a command as PID 1 of a throw-away, container-like Debian root (adapted from
# ../shared/testkit/run-in-rootfs.sh): overlay over the pristine debootstrap root (changes vanish),
# private mount/pid/uts/ipc namespaces, fresh /proc, tmpfs /tmp and /run, empty environment.
# Unlike the testkit script it does NOT bind the host's node: the image has no Node at all.
# APP (a directory) is bind-mounted read-only at /opt/app; KEEP=dir keeps the overlay's upper dir
# there after exit so tests can inspect what was written; NOEXEC=1 makes /tmp, /run, /dev/shm noexec.
# Usage: ROOTFS=... APP=... run-in-rootfs.sh CMD ARGS...
set -eu
ROOTFS=${ROOTFS:-/tmp/foyer-testkit/rootfs}
APP=${APP:?APP directory to mount at /opt/app}
mkdir -p /tmp/foyer-testkit; WORK=$(mktemp -d /tmp/foyer-testkit/ovl.XXXXXX)
mkdir -p "$WORK/upper" "$WORK/work" "$WORK/merged"
export ROOTFS APP WORK
unshare --mount --pid --fork --uts --ipc --propagation private sh -eu -c '
  M=$WORK/merged
  mount -t overlay overlay -o lowerdir=$ROOTFS,upperdir=$WORK/upper,workdir=$WORK/work $M
  mount -t proc proc $M/proc
  # NOEXEC=1 mounts /tmp, /run and /dev/shm noexec, as many container runtimes do
  mount -t tmpfs -o mode=1777${NOEXEC:+,noexec} tmpfs $M/tmp
  mount -t tmpfs -o mode=755${NOEXEC:+,noexec} tmpfs $M/run
  mkdir -p $M/dev/shm; mount -t tmpfs -o mode=1777${NOEXEC:+,noexec} tmpfs $M/dev/shm
  mkdir -p $M/opt/app; mount --bind $APP $M/opt/app; mount -o remount,bind,ro $M/opt/app
  hostname testcontainer
  exec chroot $M /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root ${INIT_ENV:-} "$@"
' sh "$@" &
UPID=$!
fwd() { C=$(pgrep -P $UPID | head -1); [ -n "$C" ] && kill -"$1" "$C" 2>/dev/null || true; }
trap 'fwd TERM' TERM; trap 'fwd INT' INT
RC=0; while :; do wait $UPID && RC=0 || RC=$?; kill -0 $UPID 2>/dev/null || break; done
if [ -n "${KEEP:-}" ]; then rm -rf "$KEEP"; mv "$WORK/upper" "$KEEP"; fi
rm -rf "$WORK"
exit $RC
