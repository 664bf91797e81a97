// Atomic replacement of a file or symlink: write a temp file in the same directory, set its owner
// and mode, fsync it, rename it over the target, fsync the directory. A crash at any point leaves
// either the old file or the complete new one, never a partial file or one missing its mode/owner.
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import type { FsOps } from "./fsops.js";
import type { OwnerIds } from "./owners.js";

const TEMP_RE = /^\.(.+)\.foyer-\d+-[0-9a-f]+\.tmp$/;

/** A fresh temp name beside `path` (dot-prefixed, so product globs like *.conf skip it). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.foyer-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
}

/** Replace `path` with `content`, owned and moded before it becomes visible. */
export function atomicWriteFile(fs: FsOps, path: string, content: string | Buffer, mode: number, owner: OwnerIds | undefined): void {
  removeStaleTemps(fs, path);
  const tmp = tempPathFor(path);
  const fd = fs.openSync(tmp, "wx", 0o600);
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
    fs.renameSync(tmp, path);
  } catch (err) {
    unlinkQuietly(fs, tmp);
    throw err;
  }
  fsyncDir(fs, dirname(path));
}

/** Replace `path` with a symlink to `target` (via a temp link and rename). */
export function atomicSymlink(fs: FsOps, path: string, target: string): void {
  removeStaleTemps(fs, path);
  const tmp = tempPathFor(path);
  fs.symlinkSync(target, tmp);
  try {
    fs.renameSync(tmp, path);
  } catch (err) {
    unlinkQuietly(fs, tmp);
    throw err;
  }
  fsyncDir(fs, dirname(path));
}

/** Make the rename durable: fsync the directory that holds the entry. */
export function fsyncDir(fs: FsOps, dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Temp files left by an earlier run that was killed before its rename. */
function removeStaleTemps(fs: FsOps, path: string): void {
  const base = basename(path);
  let names: string[];
  try {
    names = fs.readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const n of names) if (TEMP_RE.exec(n)?.[1] === base) unlinkQuietly(fs, join(dirname(path), n));
}

function unlinkQuietly(fs: FsOps, path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // already gone: nothing to clean up
  }
}
