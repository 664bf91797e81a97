// Effects on the local account files: take shadow-utils' lock, read the four files and foyer's
// record, write what changed atomically (temp file + rename in the same open directory, owner and
// mode kept), never following a link someone could have planted (src/fs).
import { constants as C, type Stats } from "node:fs";
import { dirname, basename } from "node:path";
import { FoyerError } from "../errors.js";
import { followTrustedLinks, openDirPath, readRegularFile, realFs, type Dir, type FsOps } from "../fs/index.js";
import { tryWriteLock } from "../pid1/index.js";
import { atomicWriteFile, removeStaleTemps } from "../plan/atomic.js";
import type { Clock } from "../time/clock.js";
import { ACCOUNT_FILES, type AccountFileName, type AccountFiles, type AccountRecord } from "./nss-files.js";

/** The account files as read: their text and how they stood (owner, mode) for the rewrite. */
export interface ReadAccounts {
  files: AccountFiles;
  stats: Partial<{ [K in AccountFileName]: Stats }>;
}

/** lckpwdf waits up to 15 s for the lock; so does foyer. */
const LOCK_WAIT_MS = 15_000;
const LOCK_POLL_MS = 50;

/** Open `<root>/etc` (links on the way followed only when root's and safe). */
export function openEtc(root: string, fs: FsOps = realFs): Dir {
  const etc = openDirPath(fs, joinRoot(root, "/etc"), { policy: followTrustedLinks });
  if (!etc) throw new FoyerError(`${joinRoot(root, "/etc")} does not exist`);
  return etc;
}

/**
 * Run `fn` holding /etc/.pwd.lock as lckpwdf(3) does (an fcntl write lock on the whole file, made
 * 0600 if missing), so useradd, passwd or another foyer never interleave with this sync.
 */
export async function withPasswdLock<T>(etc: Dir, clock: Clock, fn: () => T): Promise<T> {
  const fd = etc.open(".pwd.lock", C.O_WRONLY | C.O_CREAT | C.O_NOFOLLOW, 0o600);
  try {
    const deadline = clock.now() + LOCK_WAIT_MS;
    while (!tryWriteLock(fd)) {
      if (clock.now() >= deadline) throw new FoyerError(`${etc.show(".pwd.lock")} is locked by another program (useradd, passwd, vipw?) for more than 15 s`);
      await clock.sleep(LOCK_POLL_MS);
    }
    return fn();
  } finally {
    etc.fs.closeSync(fd); // closing releases the fcntl lock
  }
}

/** The four account files ("" when one is missing; anything but a regular file is an error). */
export function readAccountFiles(etc: Dir): ReadAccounts {
  const files: AccountFiles = { passwd: "", group: "", shadow: "", gshadow: "" };
  const stats: ReadAccounts["stats"] = {};
  for (const name of ACCOUNT_FILES) {
    const st = etc.lstat(name);
    if (!st) continue;
    if (!st.isFile()) throw new FoyerError(`${etc.show(name)} is not a regular file`);
    files[name] = readRegularFile(etc.fs, etc.at(name)).toString("utf8");
    stats[name] = st;
  }
  return { files, stats };
}

/**
 * Write the files whose text changed, groups before the users that name them. An existing file
 * keeps its owner and mode; a new one gets Debian's: passwd/group 0644 root:root, shadow/gshadow
 * 0640 root:shadow (0600 root:root without a shadow group).
 */
export function writeAccountFiles(etc: Dir, before: ReadAccounts, after: AccountFiles, names: readonly AccountFileName[]): void {
  if (names.length === 0) return;
  removeStaleTemps(etc, new Set(ACCOUNT_FILES));
  const shadowGid = gidOf(after.group, "shadow");
  for (const name of ["group", "gshadow", "passwd", "shadow"] as const) {
    if (!names.includes(name)) continue;
    const st = before.stats[name];
    const secret = name === "shadow" || name === "gshadow";
    const mode = st ? st.mode & 0o7777 : secret ? (shadowGid === undefined ? 0o600 : 0o640) : 0o644;
    const owner = st ? { uid: st.uid, gid: st.gid } : { uid: 0, gid: secret ? (shadowGid ?? 0) : 0 };
    atomicWriteFile(etc, name, after[name], mode, process.geteuid?.() === 0 ? owner : undefined);
  }
  etc.fsync();
}

/** foyer's record of the accounts it created; none yet: empty. */
export function readRecord(root: string, path: string, fs: FsOps = realFs): AccountRecord {
  const dir = openDirPath(fs, joinRoot(root, dirname(path)), { policy: followTrustedLinks });
  if (!dir) return { users: [], groups: [] };
  try {
    if (!dir.lstat(basename(path))) return { users: [], groups: [] };
    const text = readRegularFile(fs, dir.at(basename(path))).toString("utf8");
    const data = JSON.parse(text) as Partial<AccountRecord>;
    const names = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
    return { users: names(data.users), groups: names(data.groups) };
  } catch (err) {
    throw new FoyerError(`${joinRoot(root, path)} (foyer's record of the accounts it created) cannot be read: ${(err as Error).message}`);
  } finally {
    dir.close();
  }
}

/** Write the record (root-only 0600: it lists who foyer manages), unless it already says this. */
export function writeRecord(root: string, path: string, record: AccountRecord, fs: FsOps = realFs): void {
  const text = `${JSON.stringify({ users: record.users, groups: record.groups }, null, 2)}\n`;
  const dir = openDirPath(fs, joinRoot(root, dirname(path)), { policy: followTrustedLinks, create: 0o755 });
  if (!dir) throw new FoyerError(`cannot create ${joinRoot(root, dirname(path))}`);
  try {
    const name = basename(path);
    if (dir.lstat(name)?.isFile() && readRegularFile(fs, dir.at(name)).toString("utf8") === text) return;
    atomicWriteFile(dir, name, text, 0o600, undefined);
    dir.fsync();
  } finally {
    dir.close();
  }
}

/** `path` (absolute) inside `root`. */
export function joinRoot(root: string, path: string): string {
  return root === "/" ? path : `${root.replace(/\/+$/, "")}${path}`;
}

function gidOf(groupText: string, name: string): number | undefined {
  for (const line of groupText.split("\n")) {
    const f = line.split(":");
    if (f[0] === name && /^\d+$/.test(f[2] ?? "")) return Number(f[2]);
  }
  return undefined;
}
