#!/usr/bin/env bash
# The Debian roots the end-to-end tests (test/e2e) run in, made with the testkit's debootstrap
# script only when missing: they are cached under /tmp/foyer-testkit between runs (a CI machine that
# keeps /tmp, or a developer's, pays the ~2 minutes once). Needs root and debootstrap.
# SHARED: the testkit's directory (../shared beside the clone, as in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
ROOTFS=${ROOTFS:-/tmp/foyer-testkit/rootfs}
ROOTFS_JUPYTER=${ROOTFS_JUPYTER:-/tmp/foyer-testkit/rootfs-jupyter}

make_root() { # DIR LOG [INCLUDE]
  local t0=$SECONDS
  INCLUDE=${3:-} bash "$SHARED/testkit/make-rootfs.sh" "$1" >"$2" 2>&1 || { tail -20 "$2"; exit 1; }
  echo "e2e: made $1 in $((SECONDS - t0)) s (log: $2)"
}

if [ ! -x "$ROOTFS/bin/sh" ]; then
  make_root "$ROOTFS" /tmp/foyer-make-rootfs.log
else
  echo "e2e: $ROOTFS (cached)"
fi
# Debian's Jupyter server (test/e2e/jupyter.test.ts, session-idle.test.ts); debootstrap does not
# resolve virtual packages: name the providers of python3-zmq's and gdb's
if [ ! -d "$ROOTFS_JUPYTER/usr/lib/python3/dist-packages/jupyter_server" ]; then
  make_root "$ROOTFS_JUPYTER" /tmp/foyer-make-rootfs-jupyter.log \
    python3-notebook,python3-jupyter-server,python3-cffi-backend,libboost-regex1.74.0
else
  echo "e2e: $ROOTFS_JUPYTER (cached)"
fi
