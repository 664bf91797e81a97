// Acting beneath a directory without following symbolic links someone else could have planted.
//
// Why: root writing /home/alice/.config/app.conf by path string follows whatever alice puts at
// `.config` (a link to /etc), and a recursive chown by path can be redirected between its lstat and
// its readdir. So every directory on the way is opened as an fd with O_NOFOLLOW, relative to the
// previous one, and every create, rename, chown and chmod names one entry of an open directory.
//
// How, without openat() in Node: `/proc/self/fd/<dirfd>/<name>`. The kernel resolves the magic link
// /proc/self/fd/<dirfd> to the open directory itself (its dentry, not its path re-read), then looks
// up <name> inside it under the calling syscall's own rules (O_NOFOLLOW, O_EXCL, rename and lchown
// never following the last component). That is openat()'s semantics through path-taking syscalls;
// glibc uses the same magic link for fchmodat(AT_SYMLINK_NOFOLLOW). A native openat family in
// native/foyer_native.c would add C and an addon load to `init` for no gain in soundness, and the
// addon may be unloadable (noexec mounts) exactly where init must still work. The price is that
// procfs must be mounted at /proc, which every container runtime does; foyer checks it (statfs
// magic) before its first write and refuses to write without it.
import { constants as C, type Stats } from "node:fs";
import { ExitCode, FoyerError } from "../errors.js";
import type { FsOps } from "./fsops.js";

const PROC_FD = "/proc/self/fd";
const PROC_SUPER_MAGIC = 0x9fa0;
/** open(2)'s O_PATH on Linux x86-64 and arm64 (node:fs does not export it). */
const O_PATH = 0o10000000;
const DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;
/** The kernel's own limit on links followed in one lookup. */
const MAX_LINKS = 40;

/**
 * Whether a symbolic link met on the way may be followed: undefined when it may, else the reason it
 * may not. `holder` is the directory the link is in.
 */
export type LinkPolicy = (link: Stats, holder: Stats) => string | undefined;

/**
 * The "safe path" rule of sudo and OpenSSH: a link is followed only when it and the directory
 * holding it belong to root or to foyer's own user, and that directory is not writable by group or
 * others (unless sticky: then only the link's trusted owner can replace it). System paths keep
 * working (/var/run -> /run, /lib -> usr/lib, a config dir linked to a mounted volume); a link
 * anyone else could have made or swapped in is never followed.
 */
export const followTrustedLinks: LinkPolicy = (link, holder) => {
  const trusted = (uid: number) => uid === 0 || uid === process.geteuid?.();
  if (!trusted(link.uid)) return `it belongs to uid ${link.uid}`;
  if (!trusted(holder.uid)) return `the directory holding it belongs to uid ${holder.uid}`;
  if (holder.mode & 0o022 && !(holder.mode & 0o1000)) return "the directory holding it is writable by group or others";
  return undefined;
};

/**
 * Reading a file the spec names (a secret file, a template): a link is followed only when root or
 * foyer's own user made it. A link someone else planted (`~/.token -> /etc/shadow` in a home the
 * spec reads a token from) would make root read, and hand on, a file that user may not read. The
 * holding directory's mode does not matter here: others can move root's links around in it, not
 * make new ones (a Kubernetes volume with fsGroup is group-writable, its `..data` links are root's).
 */
export const followOwnLinks: LinkPolicy = (link) => {
  const trusted = link.uid === 0 || link.uid === process.geteuid?.();
  return trusted ? undefined : `it belongs to uid ${link.uid}`;
};

/** Beneath `render --out DIR`: nothing is followed. */
export const followNoLinks: LinkPolicy = () => "no link is followed here";

/** A path foyer will not act through: a refused link, or something else where a directory must be. */
export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = "UnsafePathError";
  }
}

/** An open directory; every method names one entry in it (a single path component). */
export class Dir {
  constructor(
    readonly fs: FsOps,
    readonly fd: number,
    /** where it was reached, for messages only (never used to reach it again) */
    readonly path: string,
  ) {}

  /** The path naming `name` in this very directory, whatever has been renamed since it was opened. */
  at(name: string): string {
    return `${PROC_FD}/${this.fd}/${name}`;
  }

  /** `name`'s path for messages. */
  show(name: string): string {
    return this.path === "/" ? `/${name}` : `${this.path}/${name}`;
  }

  stat(): Stats {
    return this.call(() => this.fs.fstatSync(this.fd));
  }

  /** The entry itself (a link is not followed); undefined when there is none. */
  lstat(name: string): Stats | undefined {
    try {
      return this.fs.lstatSync(this.at(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw this.named(err);
    }
  }

  readdir(): string[] {
    return this.call(() => this.fs.readdirSync(`${PROC_FD}/${this.fd}`));
  }

  readlink(name: string): string {
    return this.call(() => this.fs.readlinkSync(this.at(name), "utf8"));
  }

  /** open(2) of an entry; callers pass O_NOFOLLOW (and O_EXCL to create). */
  open(name: string, flags: number, mode?: number): number {
    return this.call(() => this.fs.openSync(this.at(name), flags, mode));
  }

  mkdir(name: string, mode: number): void {
    this.call(() => this.fs.mkdirSync(this.at(name), { mode }));
  }

  /** Rename within this directory (never follows either name). */
  rename(from: string, to: string): void {
    this.call(() => this.fs.renameSync(this.at(from), this.at(to)));
  }

  symlink(target: string, name: string): void {
    this.call(() => this.fs.symlinkSync(target, this.at(name)));
  }

  unlink(name: string): void {
    this.call(() => this.fs.unlinkSync(this.at(name)));
  }

  rmdir(name: string): void {
    this.call(() => this.fs.rmdirSync(this.at(name)));
  }

  /** chown of the entry itself: lchown never follows the last component, and the directory is pinned. */
  lchown(name: string, uid: number, gid: number): void {
    this.call(() => this.fs.lchownSync(this.at(name), uid, gid));
  }

  /** chmod of the entry itself; false (and nothing done) when it is a link, which has no mode of its own. */
  chmodEntry(name: string, mode: number): boolean {
    // O_PATH opens without reading (no FIFO hang, no device side effect); chmod of the fd's magic
    // link acts on that inode, so a link swapped in after the open is never followed
    const fd = this.open(name, O_PATH | C.O_NOFOLLOW);
    try {
      const st = this.fs.fstatSync(fd);
      if (st.isSymbolicLink() || (st.mode & 0o7777) === mode) return false;
      refuseUnprotectedHardlink(this, name, st);
      this.call(() => this.fs.chmodSync(`${PROC_FD}/${fd}`, mode));
      return true;
    } finally {
      this.fs.closeSync(fd);
    }
  }

  /** Open the directory entry `name`; a link there is followed only if `policy` allows it. */
  openDir(name: string, policy: LinkPolicy = followNoLinks): Dir {
    const d = openDirStep(this, name, { policy });
    if (!d) throw new UnsafePathError(this.show(name), "does not exist");
    return d;
  }

  /** Owner and mode of this directory itself, through its fd (chown first: it may clear setgid). */
  chown(uid: number, gid: number): void {
    this.call(() => this.fs.fchownSync(this.fd, uid, gid));
  }

  chmod(mode: number): void {
    this.call(() => this.fs.fchmodSync(this.fd, mode));
  }

  fsync(): void {
    this.call(() => this.fs.fsyncSync(this.fd));
  }

  close(): void {
    this.fs.closeSync(this.fd);
  }

  /** A second fd on this directory (the walk consumes the one it starts from). */
  reopen(): Dir {
    return new Dir(this.fs, this.call(() => this.fs.openSync(this.at("."), DIR_FLAGS)), this.path);
  }

  /** Run a call, naming this directory's path instead of the /proc magic path in its error. */
  private call<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw this.named(err);
    }
  }

  /** The error, its message naming this directory's path instead of the /proc magic path. */
  named(err: unknown): unknown {
    const e = err as NodeJS.ErrnoException;
    if (typeof e?.message === "string") e.message = e.message.replaceAll(`${PROC_FD}/${this.fd}/`, this.show("")).replaceAll(`${PROC_FD}/${this.fd}`, this.path);
    return err;
  }
}

/** How to walk a path. */
export interface WalkOptions {
  /** which links on the way may be followed */
  policy: LinkPolicy;
  /** mode of missing directories, created on the way; without it a missing one ends the walk */
  create?: number;
}

/**
 * Open the absolute directory `path` one component at a time from `/`, following only the links
 * `policy` allows (a refused link or a non-directory: UnsafePathError). A missing component is
 * created with `opts.create`, or else the result is undefined. The caller closes the Dir.
 */
export function openDirPath(fs: FsOps, path: string, opts: WalkOptions): Dir | undefined {
  requireProcfs(fs);
  return walkFrom(fs, openRoot(fs), path.split("/"), opts);
}

/**
 * Like openDirPath, for `rel` beneath the open directory `base` (which stays open), following no
 * link at all and refusing `..`: the walk cannot leave `base`.
 */
export function openDirBeneath(base: Dir, rel: string, opts: { create?: number } = {}): Dir | undefined {
  const parts = rel.split("/");
  if (parts.includes("..")) throw new UnsafePathError(base.show(rel), "leaves its directory (..)");
  return walkFrom(base.fs, base.reopen(), parts, { ...opts, policy: followNoLinks });
}

/** `/` opened (after checking that procfs is there for the rest of the walk). */
export function openRootDir(fs: FsOps): Dir {
  requireProcfs(fs);
  return openRoot(fs);
}

/**
 * One step of a walk: directory `name` in the open `parent` (which stays open), a link there
 * followed only if `opts.policy` allows it; undefined when missing and not created.
 */
export function openDirStep(parent: Dir, name: string, opts: WalkOptions): Dir | undefined {
  const fd = tryOpenDir(parent, name, opts);
  if (fd === "missing") return undefined;
  if (fd === "link") return walkFrom(parent.fs, parent.reopen(), [name], opts);
  return new Dir(parent.fs, fd, parent.show(name));
}

function openRoot(fs: FsOps): Dir {
  return new Dir(fs, fs.openSync("/", C.O_RDONLY | C.O_DIRECTORY), "/");
}

/** The walk itself; consumes `start` (closed on failure, or replaced by the result). */
function walkFrom(fs: FsOps, start: Dir, parts: string[], opts: WalkOptions): Dir | undefined {
  let cur = start;
  const todo = parts.filter((p) => p !== "" && p !== ".");
  let links = 0;
  const moveTo = (next: Dir) => {
    cur.close();
    cur = next;
  };
  try {
    while (todo.length > 0) {
      const name = todo.shift()!;
      if (name === "..") {
        // the kernel's own `..` of the open directory: its real parent, as for a link's target
        moveTo(new Dir(fs, cur.open("..", DIR_FLAGS), cur.path.slice(0, cur.path.lastIndexOf("/")) || "/"));
        continue;
      }
      const fd = tryOpenDir(cur, name, opts);
      if (fd === "missing") {
        cur.close();
        return undefined;
      }
      if (fd !== "link") {
        moveTo(new Dir(fs, fd, cur.show(name)));
        continue;
      }
      if (++links > MAX_LINKS) throw new UnsafePathError(cur.show(name), "has too many levels of symbolic links");
      const target = cur.readlink(name);
      todo.unshift(...target.split("/").filter((p) => p !== "" && p !== "."));
      if (target.startsWith("/")) moveTo(openRoot(fs));
    }
    return cur;
  } catch (err) {
    cur.close();
    throw err;
  }
}

/** An fd on directory `name` in `cur`, "link" for a link the policy lets through, "missing". */
function tryOpenDir(cur: Dir, name: string, opts: WalkOptions): number | "link" | "missing" {
  for (let attempt = 0; ; attempt++) {
    try {
      return cur.fs.openSync(cur.at(name), DIR_FLAGS);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOTDIR" || code === "ELOOP") {
        const st = cur.lstat(name);
        if (!st?.isSymbolicLink()) throw new UnsafePathError(cur.show(name), "exists and is not a directory");
        const why = opts.policy(st, cur.stat());
        if (why) throw new UnsafePathError(cur.show(name), `is a symbolic link foyer does not follow: ${why}`);
        return "link";
      }
      // one mkdir, then one more open: a path that keeps vanishing (a pseudo filesystem) is an error
      if (code !== "ENOENT" || attempt > 0) throw cur.named(err);
      if (opts.create === undefined) return "missing";
      try {
        cur.mkdir(name, opts.create);
      } catch (mk) {
        if ((mk as NodeJS.ErrnoException).code !== "EEXIST") throw mk;
      }
    }
  }
}

const procfsChecked = new WeakSet<FsOps>();

/** The walk needs procfs at /proc (see the top of this file); checked once (per FsOps). */
function requireProcfs(fs: FsOps): void {
  if (procfsChecked.has(fs)) return;
  let type: number | undefined;
  try {
    type = fs.statfsSync(PROC_FD).type;
  } catch {
    // reported below
  }
  if (type !== PROC_SUPER_MAGIC) throw new FoyerError(`${PROC_FD} is not procfs: foyer needs /proc mounted to write without following symbolic links`, ExitCode.internal);
  procfsChecked.add(fs);
}

/**
 * The bytes of the regular file at `path`, never blocking on a FIFO nor reading a device (opened
 * with O_NONBLOCK, then checked on the descriptor, so nothing swapped in after a check can hang
 * foyer or fill its memory); a file larger than `maxBytes` is not read (its size is returned: a
 * user's 10 GB sparse ~/.bashrc must not be read into foyer's memory). A link at the last
 * component is not followed unless `followOwnLinks`: files the spec names (a template mounted from
 * a ConfigMap, which Kubernetes makes through links) are reached through links root or foyer made,
 * never others' (the walk of openOwnFile). Anything but a regular file is an error saying what it is.
 */
export function readRegularFile(fs: FsOps, path: string, maxBytes = Infinity, opts: { followOwnLinks?: boolean } = {}): Buffer | { tooLarge: number } {
  const fd = opts.followOwnLinks ? openOwnFile(fs, path) : fs.openSync(path, READ_FLAGS | C.O_NOFOLLOW);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error(`${path} is ${kindOfEntry(st)}, not a regular file`);
    return readBoundedFd(fs, fd, st.size, maxBytes);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The bytes of an open regular file (already checked on its descriptor), read up to one byte past
 * `maxBytes` and no further: a file that grows while it is read (a user appending to it) or reports
 * size 0 (/proc) cannot make foyer read more than the cap. `size` is the fstat size: a file already
 * larger is not read at all. The one bounded reader behind every "regular file, size cap" read.
 */
export function readBoundedFd(fs: Pick<FsOps, "readSync">, fd: number, size: number, maxBytes: number): Buffer | { tooLarge: number } {
  if (size > maxBytes) return { tooLarge: size };
  let buf = Buffer.alloc(Math.min(Math.max(size, 4096), maxBytes) + 1);
  let length = 0;
  for (;;) {
    if (length === buf.length) {
      if (length > maxBytes) return { tooLarge: length };
      const bigger = Buffer.alloc(Math.min(buf.length * 2, maxBytes + 1));
      buf.copy(bigger, 0, 0, length);
      buf = bigger;
    }
    const n = fs.readSync(fd, buf, length, buf.length - length, null);
    if (n === 0) return buf.subarray(0, length);
    length += n;
  }
}

const READ_FLAGS = C.O_RDONLY | C.O_NONBLOCK | C.O_NOCTTY;

function kindOfEntry(st: Stats): string {
  return st.isDirectory() ? "a directory" : st.isFIFO() ? "a FIFO" : st.isSocket() ? "a socket" : st.isSymbolicLink() ? "a symbolic link" : "a device";
}

/**
 * An fd for reading the file at `path`, every link on the way (the last component included)
 * followed only under followOwnLinks, and the file itself opened in its pinned directory without
 * following anything: what was checked is what is read. Errors are errno errors (ENOENT...) or an
 * UnsafePathError naming the refused link.
 */
export function openOwnFile(fs: FsOps, path: string): number {
  let current = path;
  for (let links = 0; ; links++) {
    const slash = current.lastIndexOf("/");
    const name = current.slice(slash + 1);
    const dir = openDirPath(fs, current.slice(0, slash) || "/", { policy: followOwnLinks });
    if (!dir) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
    try {
      const st = dir.lstat(name);
      if (!st?.isSymbolicLink()) return dir.open(name || ".", READ_FLAGS | C.O_NOFOLLOW);
      const why = followOwnLinks(st, dir.stat());
      if (why) throw new UnsafePathError(dir.show(name), `is a symbolic link foyer does not follow: ${why}`);
      if (links >= MAX_LINKS) throw new UnsafePathError(path, "has too many levels of symbolic links");
      const target = dir.readlink(name);
      // a relative target is walked again from the directory's path as reached (links resolved)
      current = target.startsWith("/") ? target : `${dir.path === "/" ? "" : dir.path}/${target}`;
    } finally {
      dir.close();
    }
  }
}

/**
 * Change the owner of `name` in `dir` (lchown: a link itself, never its target) and, if
 * `recursive`, of everything beneath it, each directory opened without following links, so no
 * link or swapped-in directory leads the walk out of the tree. gid -1 leaves groups alone. True
 * when anything changed.
 */
export function chownTree(dir: Dir, name: string, uid: number, gid: number, recursive: boolean): boolean {
  const st = dir.lstat(name);
  if (!st) throw new Error(`${dir.show(name)} does not exist`);
  let changed = false;
  if (st.uid !== uid || (gid !== -1 && st.gid !== gid)) {
    refuseUnprotectedHardlink(dir, name, st);
    dir.lchown(name, uid, gid);
    changed = true;
  }
  if (!recursive || !st.isDirectory()) return changed;
  const sub = dir.openDir(name, followNoLinks);
  try {
    for (const n of sub.readdir()) changed = chownTree(sub, n, uid, gid, true) || changed;
  } finally {
    sub.close();
  }
  return changed;
}

/**
 * With fs.protected_hardlinks off, anyone can hard-link a root file (/etc/shadow) into a directory
 * they own, and a chown there would reach it; as systemd-tmpfiles does, foyer then refuses to
 * change the owner or mode of a non-directory with several links.
 */
function refuseUnprotectedHardlink(dir: Dir, name: string, st: Stats): void {
  if (st.isDirectory() || st.nlink < 2 || hardlinksProtected(dir.fs)) return;
  throw new UnsafePathError(dir.show(name), `has ${st.nlink} hard links and fs.protected_hardlinks is off: foyer will not change its owner or mode`);
}

function hardlinksProtected(fs: FsOps): boolean {
  try {
    return fs.readFileSync("/proc/sys/fs/protected_hardlinks", "utf8").trim() === "1";
  } catch {
    return false; // unknown: assume the worst
  }
}
