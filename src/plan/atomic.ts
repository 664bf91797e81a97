// Atomic replacement of one entry of an open directory: write a temp file beside it, set its owner
// and mode, fsync it, rename it over the entry (the caller fsyncs the directory). A crash at any
// point leaves either the old entry or the complete new one, never a partial file or one missing
// its mode/owner. Everything names an entry of a Dir (src/fs/beneath.ts), so a link planted at the
// entry is replaced, never written through, and the directory cannot be swapped underneath.
import { constants as C } from "node:fs";
import type { Dir } from "../fs/beneath.js";
import type { OwnerIds } from "./owners.js";

const TEMP_RE = /^\.(.+)\.foyer-(\d+)-[0-9a-f]+\.tmp$/;
const CREATE_FLAGS = C.O_WRONLY | C.O_CREAT | C.O_EXCL | C.O_NOFOLLOW;

let tempCounter = 0;

/**
 * A fresh temp name beside `name` (dot-prefixed, so product globs like *.conf skip it). Unique by
 * pid, counter and clock; O_EXCL guards the rest. (node:crypto would cost ~6 ms to load at start.)
 */
export function tempNameFor(name: string): string {
  const unique = (++tempCounter).toString(16) + (process.hrtime.bigint() & 0xffffffn).toString(16).padStart(6, "0");
  return `.${name}.foyer-${process.pid}-${unique}.tmp`;
}

/** Replace entry `name` of `dir` with `content`, owned and moded before it becomes visible. */
export function atomicWriteFile(dir: Dir, name: string, content: string | Buffer, mode: number, owner: OwnerIds | undefined): void {
  const { fs } = dir;
  const tmp = tempNameFor(name);
  const fd = dir.open(tmp, CREATE_FLAGS, 0o600);
  try {
    try {
      const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
      if (owner) fs.fchownSync(fd, owner.uid, owner.gid ?? -1);
      fs.fchmodSync(fd, mode); // after fchown: chown clears setgid bits
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    dir.rename(tmp, name);
  } catch (err) {
    removeQuietly(dir, tmp);
    throw err;
  }
}

/** Replace entry `name` of `dir` with a symlink to `target` (via a temp link and rename). */
export function atomicSymlink(dir: Dir, name: string, target: string): void {
  const tmp = tempNameFor(name);
  dir.symlink(target, tmp);
  try {
    dir.rename(tmp, name);
  } catch (err) {
    removeQuietly(dir, tmp);
    throw err;
  }
}

/** Create directory `name` in `dir` with its owner and mode already set (a temp dir renamed into place). */
export function atomicMkdir(dir: Dir, name: string, mode: number, owner: OwnerIds | undefined): void {
  const tmp = tempNameFor(name);
  dir.mkdir(tmp, 0o700);
  try {
    const made = dir.openDir(tmp);
    try {
      if (owner) made.chown(owner.uid, owner.gid ?? -1);
      made.chmod(mode); // explicit: mkdir's mode is filtered by the umask
    } finally {
      made.close();
    }
    dir.rename(tmp, name);
  } catch (err) {
    removeQuietly(dir, tmp);
    throw err;
  }
}

/**
 * Remove temp files and dirs that an earlier run left in `dir` beside the entries `names` when it
 * was killed before its rename (one readdir). Temps of a foyer that is still running are left alone.
 */
export function removeStaleTemps(dir: Dir, names: ReadonlySet<string>): void {
  for (const n of dir.readdir()) {
    const m = TEMP_RE.exec(n);
    if (m && names.has(m[1]!) && !isOtherLiveFoyer(Number(m[2]))) removeQuietly(dir, n);
  }
}

function isOtherLiveFoyer(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Remove a temp entry of ours (file, link or empty dir); gone already, or raced: leave it. */
function removeQuietly(dir: Dir, name: string): void {
  try {
    if (dir.lstat(name)?.isDirectory()) dir.rmdir(name);
    else dir.unlink(name);
  } catch {
    // already gone, or a non-empty dir we did not make
  }
}
