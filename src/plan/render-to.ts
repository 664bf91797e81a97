// `foyer render --out DIR`: only the rendered files, written under DIR at their absolute paths
// (/etc/rstudio/rserver.conf → DIR/etc/rstudio/rserver.conf), for review and CI.
//
// DIR is often somewhere others can write (/tmp), and render may run as root with real secrets, so:
// - DIR is absent (foyer makes it, 0755, with missing parents) or a real directory, not a symbolic
//   link, owned by the caller (root: also root's), not writable by group or others, on an ordinary filesystem
//   (not /proc, /sys...). Links on the way to DIR follow the executor's trusted-link rule.
// - Beneath DIR no link is followed: a link, FIFO, device or directory where a file goes, or
//   anything but a real directory where a directory goes, is refused.
// - All of it is checked for every file before the first write (ConfigError, exit 78, nothing
//   written); anything that changes in between fails the write (exit 70) and is never written through.
// - Each file is a new one renamed into place, owned by the caller; a secret file written with its
//   real values keeps only the owner's bits of its planned mode (0600).
import { basename, dirname, resolve } from "node:path";
import { ConfigError, ExitCode, FoyerError, type ConfigIssue } from "../errors.js";
import { followTrustedLinks, openDirBeneath, openDirPath, UnsafePathError, type Dir } from "../fs/index.js";
import type { Redactor } from "../log/index.js";
import { HIDDEN_CONTENT, type Action, type WriteFileAction } from "./action.js";
import { atomicWriteFile } from "./atomic.js";
import { realFs, type FsOps } from "./fsops.js";
import { checkPath } from "./validate.js";

/** statfs magic numbers of pseudo filesystems nobody renders files into. */
const SPECIAL_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x1cd1, "devpts"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0xcafe4a11, "bpf"],
  [0x62656570, "configfs"],
  [0x6165676c, "pstore"],
  [0xde5e81e4, "efivarfs"],
  [0xf97cff8c, "selinuxfs"],
  [0x19800202, "mqueue"],
  [0x42494e4d, "binfmt_misc"],
  [0x6e736673, "nsfs"],
]);

const NEW_DIR_MODE = 0o755;

/** Write each write-file action's content under outDir; secret values masked when a redactor is given. */
export function renderTo(actions: readonly Action[], outDir: string, opts: { redactor?: Redactor; fs?: FsOps } = {}): { written: string[] } {
  const fs = opts.fs ?? realFs;
  const root = resolve(outDir);
  const files = actions.filter((a): a is WriteFileAction => a.kind === "write-file");
  const caller = { uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0 };
  let out = openOutDir(fs, root, false);
  try {
    checkBeneath(out, root, files);
    out ??= openOutDir(fs, root, true)!;
    const written: string[] = [];
    for (const a of files) {
      const dest = root === "/" ? a.path : root + a.path;
      // for sharing: a wholly secret file's plain values are unknown to the Redactor, so none is written
      const content = opts.redactor ? (a.hidden ? `${HIDDEN_CONTENT}\n` : opts.redactor.redact(a.content)) : a.content;
      const mode = a.secret && !opts.redactor ? a.mode & 0o700 : a.mode;
      try {
        const parent = openDirBeneath(out, dirname(a.path), { create: NEW_DIR_MODE })!;
        try {
          const there = parent.lstat(basename(a.path));
          if (there && !there.isFile()) throw new UnsafePathError(dest, `is ${kindOf(there)}; not replacing it with a file`);
          atomicWriteFile(parent, basename(a.path), content, mode, caller);
        } finally {
          parent.close();
        }
      } catch (err) {
        throw new FoyerError(`cannot write ${dest}: ${(err as Error).message}`, ExitCode.internal, { cause: err });
      }
      written.push(dest);
    }
    return { written };
  } finally {
    out?.close();
  }
}

/**
 * DIR opened without following it, after the checks in the header; undefined when it (or a parent)
 * does not exist and `create` is false. Every problem is a ConfigError naming DIR.
 */
function openOutDir(fs: FsOps, root: string, create: boolean): Dir | undefined {
  const refuse = (message: string) => new ConfigError([{ path: "--out", message }]);
  let dir: Dir | undefined;
  try {
    const parent = openDirPath(fs, dirname(root), { policy: followTrustedLinks, ...(create ? { create: NEW_DIR_MODE } : {}) });
    if (!parent) return undefined;
    try {
      if (root === "/") dir = parent.reopen();
      else {
        const st = parent.lstat(basename(root));
        if (st?.isSymbolicLink()) throw refuse(`${root} is a symbolic link: give the directory itself (render follows no link at or beneath --out)`);
        if (st && !st.isDirectory()) throw refuse(`${root} exists and is not a directory`);
        if (!st && !create) return undefined;
        if (!st) parent.mkdir(basename(root), NEW_DIR_MODE);
        dir = parent.openDir(basename(root));
      }
    } finally {
      parent.close();
    }
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw refuse(`cannot use ${root}: ${(err as Error).message}`);
  }
  const problem = outDirProblem(fs, dir);
  if (problem) {
    dir.close();
    throw refuse(`${root} ${problem}`);
  }
  return dir;
}

/** Why an existing DIR is not safe to render into, or undefined. */
function outDirProblem(fs: FsOps, dir: Dir): string | undefined {
  const st = dir.stat();
  const me = process.geteuid?.() ?? 0;
  if (st.uid !== me && st.uid !== 0) return `belongs to uid ${st.uid}: --out must be a directory of yours (or root's), or absent`;
  if (st.mode & 0o022) return `is writable by group or others (mode ${(st.mode & 0o7777).toString(8).padStart(4, "0")}): --out must be a directory only you can write, or absent`;
  // root's, and (as just checked) writable by root alone: a user's render would fail at its first mkdir
  if (st.uid !== me) return "belongs to root and only root can write in it: --out must be a directory you can write, or absent";
  const special = SPECIAL_FILESYSTEMS.get(fs.statfsSync(dir.at(".")).type);
  if (special) return `is on a ${special} filesystem: --out must be an ordinary directory`;
  return undefined;
}

/** Every file's place beneath DIR must hold only real directories and, at the file, a file or nothing. */
function checkBeneath(out: Dir | undefined, root: string, files: readonly WriteFileAction[]): void {
  const issues: ConfigIssue[] = [];
  for (const a of files) {
    const dest = root === "/" ? a.path : root + a.path;
    const pathProblem = checkPath(a.path);
    if (pathProblem) {
      issues.push({ path: a.source ?? a.path, message: `${pathProblem}: ${JSON.stringify(a.path)}` });
      continue;
    }
    if (!out) continue;
    try {
      const parent = openDirBeneath(out, dirname(a.path));
      if (!parent) continue; // made fresh when written
      try {
        const there = parent.lstat(basename(a.path));
        if (there && !there.isFile()) issues.push({ path: "--out", message: `${dest} is ${kindOf(there)}; not replacing it with a file` });
      } finally {
        parent.close();
      }
    } catch (err) {
      const message = (err as Error).message;
      issues.push({ path: "--out", message: err instanceof UnsafePathError ? message : `cannot write ${dest}: ${message}` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

function kindOf(st: { isSymbolicLink(): boolean; isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (st.isSymbolicLink()) return "a symbolic link";
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  return "a device or special file";
}
