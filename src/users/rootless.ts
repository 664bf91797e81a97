// Rootless containers: an arbitrary uid (OpenShift gives one per namespace, gid 0) has no passwd
// entry, so `whoami`, ssh, R and Python's getpass fail. As docker-stacks' start.sh does, give it one
// when /etc/passwd is writable (images make it group-writable for gid 0): an existing entry of the
// same name is renamed out of the way (its name reversed) and the new entry appended. Without root,
// /etc cannot take a temp file and a rename, nor /etc/.pwd.lock, so the file is rewritten in place.
import { constants as C, closeSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from "node:fs";
import type { RootlessSpec } from "./schema.js";

export type RootlessOutcome =
  | { kind: "present"; name: string }
  | { kind: "added"; line: string; renamed: string | undefined }
  | { kind: "not-writable"; advice: string };

/** Pure: the passwd text with an entry for `uid`, or "present" when one exists. */
export function withCurrentUser(passwd: string, ids: { uid: number; gid: number }, conf: RootlessSpec, homeRoot: string): { text: string; line: string; renamed: string | undefined } | { present: string } {
  const lines = passwd === "" ? [] : passwd.replace(/\n$/, "").split("\n");
  const mine = lines.find((l) => l.split(":")[2] === String(ids.uid));
  if (mine) return { present: mine.split(":")[0]! };
  let renamed: string | undefined;
  const out = lines.map((l) => {
    const f = l.split(":");
    if (f[0] !== conf.name) return l;
    // docker-stacks: jovyan → nayvoj keeps the old entry (and its files' owner name) without the name
    renamed = [...conf.name].reverse().join("");
    return [renamed, ...f.slice(1)].join(":");
  });
  const home = conf.home ?? `${homeRoot === "/" ? "" : homeRoot}/${conf.name}`;
  const line = [conf.name, "x", String(ids.uid), String(ids.gid), conf.gecos, home, conf.shell].join(":");
  return { text: `${[...out, line].join("\n")}\n`, line, renamed };
}

/** Give the current uid an entry in `<root>/etc/passwd` if it has none and the file is writable. */
export function ensureCurrentUser(conf: RootlessSpec, ids: { uid: number; gid: number }, root: string, homeRoot: string): RootlessOutcome {
  const path = `${root === "/" ? "" : root.replace(/\/+$/, "")}/etc/passwd`;
  let fd: number;
  try {
    // O_NOFOLLOW: never rewrite a file a link points to; O_NONBLOCK: never hang on a FIFO
    fd = openSync(path, C.O_RDWR | C.O_NOFOLLOW | C.O_NONBLOCK);
  } catch (err) {
    const current = readQuietly(path);
    const has = current === undefined ? undefined : withCurrentUser(current, ids, conf, homeRoot);
    if (has && "present" in has) return { kind: "present", name: has.present };
    return { kind: "not-writable", advice: advice(path, ids, (err as NodeJS.ErrnoException).code ?? "error") };
  }
  try {
    if (!fstatSync(fd).isFile()) return { kind: "not-writable", advice: `${path} is not a regular file` };
    const planned = withCurrentUser(readFileSync(fd, "utf8"), ids, conf, homeRoot);
    if ("present" in planned) return { kind: "present", name: planned.present };
    const buf = Buffer.from(planned.text);
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off, off);
    ftruncateSync(fd, buf.length);
    return { kind: "added", line: planned.line, renamed: planned.renamed };
  } finally {
    closeSync(fd);
  }
}

function advice(path: string, ids: { uid: number; gid: number }, code: string): string {
  return (
    `uid ${ids.uid} has no entry in ${path} and foyer cannot add one (${code}). Either make the file writable by group 0 ` +
    `when building the image (chgrp 0 /etc/passwd && chmod g+w /etc/passwd, as docker-stacks and OpenShift images do), ` +
    `run the container as a uid the image has (--user / runAsUser), or use nss_wrapper ` +
    `(LD_PRELOAD=libnss_wrapper.so NSS_WRAPPER_PASSWD=<a copy with the entry> NSS_WRAPPER_GROUP=/etc/group)`
  );
}

function readQuietly(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
