// Observing the system before planning and applying: the state of each action's path, the owners
// it names, and the template files the planner needs. These are the only reads; the planner and
// the comparisons stay pure.
import type { Action } from "./action.js";
import type { FileState } from "./compare.js";
import { realFs, type FsOps } from "./fsops.js";
import type { UserDatabase } from "../identity/index.js";
import { checkOwners, type OwnerIds } from "./owners.js";
import type { TemplateFileRead } from "./planner.js";

/** Everything `foyer plan` needs to mark unchanged actions: path states and resolved owners. */
export interface Observed {
  paths: ReadonlyMap<string, FileState>;
  owners: ReadonlyMap<string, OwnerIds>;
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
  return { type: "file", mode: st.mode & 0o7777, ...ids, ...(withContent ? { content: fs.readFileSync(path) } : {}) };
}

function isDir(path: string, fs: FsOps): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false; // a dangling link
  }
}

/** Observe every path the plan touches (file contents for writes) and resolve its owners. */
export function observe(actions: readonly Action[], users: UserDatabase, fs: FsOps = realFs): Observed {
  const paths = new Map<string, FileState>();
  for (const a of actions) {
    const p = a.kind === "run-command-as-user" ? (a.creates ?? a.path) : a.path;
    const withContent = a.kind === "write-file" || a.kind === "merge-json";
    if (!paths.has(p) || (withContent && paths.get(p)?.type === "file" && !(paths.get(p) as { content?: Buffer }).content)) {
      paths.set(p, observePath(p, withContent, fs));
    }
  }
  return { paths, owners: checkOwners(actions, users).owners };
}

/** Read the template files a spec names (see templateFilePaths), for planInit's `templateFiles`. */
export function readTemplateFiles(paths: readonly string[], fs: FsOps = realFs): Map<string, TemplateFileRead> {
  const out = new Map<string, TemplateFileRead>();
  for (const p of paths) {
    try {
      out.set(p, { ok: true, content: fs.readFileSync(p, "utf8") });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      out.set(p, { ok: false, error: e.code === "ENOENT" ? "no such file" : e.code === "EACCES" ? "permission denied" : e.code === "EISDIR" ? "it is a directory" : e.message });
    }
  }
  return out;
}
