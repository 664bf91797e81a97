// Observing the system before planning and applying: the state of each action's path, the owners
// it names, and the template files the planner needs. These are the only reads; the planner and
// the comparisons stay pure.
import { dirname } from "node:path";
import { readRegularFile } from "../fs/index.js";
import type { Action } from "./action.js";
import { contentDigest, type FileState } from "./compare.js";
import { realFs, type FsOps } from "./fsops.js";
import type { UserDatabase } from "../identity/index.js";
import { checkOwners, type OwnerIds } from "./owners.js";
import type { TemplateFileRead } from "./planner.js";
import { decodeUtf8, MAX_SPEC_BYTES, notUtf8Message } from "../spec/utf8.js";

/** Everything `foyer plan` needs to mark unchanged actions: path states and resolved owners. */
export interface Observed {
  paths: ReadonlyMap<string, FileState>;
  owners: ReadonlyMap<string, OwnerIds>;
  /** files others cannot reach (a directory above them is not searchable by others): their old content is not shown */
  unreachable?: ReadonlySet<string>;
}

/** The state of one path, without following a final symlink; file bytes only when asked. */
export function observePath(path: string, withContent: boolean, fs: FsOps = realFs): FileState {
  let st;
  try {
    st = fs.lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return { type: "missing" };
    throw err;
  }
  const ids = { uid: st.uid, gid: st.gid };
  if (st.isSymbolicLink()) return { type: "symlink", target: fs.readlinkSync(path, "utf8"), ...ids, toDir: isDir(path, fs) };
  if (st.isDirectory()) return { type: "dir", mode: st.mode & 0o7777, ...ids };
  if (!st.isFile()) return { type: "other", mode: st.mode & 0o7777, ...ids };
  const file = { type: "file" as const, mode: st.mode & 0o7777, ...ids };
  if (!withContent) return file;
  const bytes = readRegularFile(fs, path, MAX_OBSERVED_BYTES);
  // never equal to anything foyer writes: replaced (files:), kept (a dotfile), not merged (JSON)
  return Buffer.isBuffer(bytes) ? { ...file, content: bytes } : { ...file, digest: `too-large:${bytes.tooLarge}` };
}

/** Files foyer reads to compare are at most this big (foyer's own files are far smaller). */
export const MAX_OBSERVED_BYTES = 64 << 20;

function isDir(path: string, fs: FsOps): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false; // a dangling link
  }
}

/**
 * Observe every path the plan touches (file contents for writes) and resolve its owners. The bytes
 * of a file the plan may not show (a secret file, a file that is not world-readable: see
 * oldContentShown in format.ts) are reduced to a digest at once, so the old secret or the lines of
 * /etc/shadow are not held while the plan is printed. A merge-json target keeps its bytes: the
 * merge needs them (and the plan then does not show the merged result).
 */
export function observe(actions: readonly Action[], users: UserDatabase, fs: FsOps = realFs): Observed {
  return { ...observePaths(actions, fs), owners: checkOwners(actions, users).owners };
}

/** The path states of `observe` (with old contents the plan may not show reduced to a digest), without owners. */
export function observePaths(actions: readonly Action[], fs: FsOps = realFs): { paths: Map<string, FileState>; unreachable: Set<string> } {
  const paths = new Map<string, FileState>();
  const unreachable = new Set<string>();
  const searchable = searchableByOthers(fs);
  for (const a of actions) {
    const p = a.kind === "run-command-as-user" ? (a.creates ?? a.path) : a.path;
    const withContent = a.kind === "write-file" || a.kind === "merge-json";
    const known = paths.get(p);
    if (known && !(withContent && known.type === "file" && known.content === undefined && known.digest === undefined)) continue;
    const st = observePath(p, withContent, fs);
    // a 0644 file in a 0700 home is not readable by others either
    if (withContent && st.type === "file" && !searchable(dirname(p))) unreachable.add(p);
    const hidden = a.kind === "write-file" && st.type === "file" && (a.secret || (st.mode & 0o004) === 0 || unreachable.has(p));
    paths.set(p, hidden ? withDigestOnly(st) : st);
  }
  return { paths, unreachable };
}

/** Whether others may search a directory and every directory above it (memoised for one observe). */
function searchableByOthers(fs: FsOps): (dir: string) => boolean {
  const known = new Map<string, boolean>();
  const check = (dir: string): boolean => {
    const hit = known.get(dir);
    if (hit !== undefined) return hit;
    let ok: boolean;
    try {
      ok = (fs.statSync(dir).mode & 0o001) !== 0 && (dir === "/" || check(dirname(dir)));
    } catch {
      ok = false;
    }
    known.set(dir, ok);
    return ok;
  };
  return check;
}

function withDigestOnly(st: FileState & { type: "file" }): FileState {
  const { content, ...rest } = st;
  if (!content) return st;
  const digest = contentDigest(content);
  content.fill(0); // nothing else holds these bytes: wipe them instead of waiting for the GC
  return { ...rest, digest };
}

/** Read the template files a spec names (see templateFilePaths), for planInit's `templateFiles`. */
export function readTemplateFiles(paths: readonly string[], fs: FsOps = realFs): Map<string, TemplateFileRead> {
  const out = new Map<string, TemplateFileRead>();
  for (const p of paths) {
    try {
      // a template is text the size of a spec: a FIFO, a device or /dev/zero must not hang or fill foyer
      const bytes = readRegularFile(fs, p, MAX_SPEC_BYTES, { followOwnLinks: true });
      if (!Buffer.isBuffer(bytes)) {
        out.set(p, { ok: false, error: `it is larger than ${MAX_SPEC_BYTES / 1024 / 1024} MiB` });
        continue;
      }
      const text = decodeUtf8(bytes);
      // a licence file 0600: what others may not read must not land in a 0644 file or in a plan
      const isPrivate = (fs.statSync(p).mode & 0o004) === 0;
      out.set(p, text.ok ? { ok: true, content: text.text, ...(isPrivate ? { private: true } : {}) } : { ok: false, error: notUtf8Message("it", text) });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      out.set(p, { ok: false, error: e.code === "ENOENT" ? "no such file" : e.code === "EACCES" ? "permission denied" : e.code ? e.message : e.message.replace(`${p} is`, "it is") });
    }
  }
  return out;
}
