// Atomic replacement of a file or symlink: write a temp file in the same directory, set its owner
// and mode, fsync it, rename it over the target, fsync the directory. A crash at any point leaves
// either the old file or the complete new one, never a partial file or one missing its mode/owner.
import { basename, dirname, join } from "node:path";
import type { FsOps } from "./fsops.js";
import type { OwnerIds } from "./owners.js";

const TEMP_RE = /^\.(.+)\.foyer-(\d+)-[0-9a-f]+\.tmp$/;

let tempCounter = 0;

/**
 * A fresh temp name beside `path` (dot-prefixed, so product globs like *.conf skip it). Unique by
 * pid, counter and clock; O_EXCL guards the rest. (node:crypto would cost ~6 ms to load at start.)
 */
export function tempPathFor(path: string): string {
  const unique = (++tempCounter).toString(16) + (process.hrtime.bigint() & 0xffffffn).toString(16).padStart(6, "0");
  return join(dirname(path), `.${basename(path)}.foyer-${process.pid}-${unique}.tmp`);
}

/** Replace `path` with `content`, owned and moded before it becomes visible. */
export function atomicWriteFile(fs: FsOps, path: string, content: string | Buffer, mode: number, owner: OwnerIds | undefined, dirs?: DirSync): void {
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
  syncParent(fs, path, dirs);
}

/** Replace `path` with a symlink to `target` (via a temp link and rename). */
export function atomicSymlink(fs: FsOps, path: string, target: string, dirs?: DirSync): void {
  const tmp = tempPathFor(path);
  fs.symlinkSync(target, tmp);
  try {
    fs.renameSync(tmp, path);
  } catch (err) {
    unlinkQuietly(fs, tmp);
    throw err;
  }
  syncParent(fs, path, dirs);
}

/** Create directory `path` with its owner and mode already set (a temp dir renamed into place). */
export function atomicMkdir(fs: FsOps, path: string, mode: number, owner: OwnerIds | undefined, dirs?: DirSync): void {
  const tmp = tempPathFor(path);
  fs.mkdirSync(tmp, { mode: 0o700 });
  try {
    if (owner) fs.lchownSync(tmp, owner.uid, owner.gid ?? -1);
    fs.chmodSync(tmp, mode); // explicit: mkdir's mode is filtered by the umask
    fs.renameSync(tmp, path);
  } catch (err) {
    try {
      fs.rmdirSync(tmp);
    } catch {
      // already gone
    }
    throw err;
  }
  syncParent(fs, path, dirs);
}

/** Directories whose renames still need an fsync; the executor syncs each once, at the end. */
export type DirSync = Set<string>;

/** Make a rename durable now, or leave it to the caller's batch (one fsync per directory). */
function syncParent(fs: FsOps, path: string, dirs: DirSync | undefined): void {
  if (dirs) dirs.add(dirname(path));
  else fsyncDir(fs, dirname(path));
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

/**
 * Remove temp files and dirs that an earlier run left beside these paths when it was killed before
 * its rename (one readdir per directory). Temps of a foyer that is still running are left alone.
 */
export function removeStaleTemps(fs: FsOps, paths: readonly string[]): void {
  const byDir = new Map<string, Set<string>>();
  for (const p of paths) byDir.set(dirname(p), (byDir.get(dirname(p)) ?? new Set()).add(basename(p)));
  for (const [dir, bases] of byDir) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue; // the directory does not exist yet: nothing stale in it
    }
    for (const n of names) {
      const m = TEMP_RE.exec(n);
      if (!m || !bases.has(m[1]!) || isOtherLiveFoyer(Number(m[2]))) continue;
      const p = join(dir, n);
      try {
        if (fs.lstatSync(p).isDirectory()) fs.rmdirSync(p);
        else fs.unlinkSync(p);
      } catch {
        // raced with another cleanup, or a non-empty dir we did not make: leave it
      }
    }
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

function unlinkQuietly(fs: FsOps, path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // already gone: nothing to clean up
  }
}
