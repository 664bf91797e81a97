// The plan against what is on disk: a file where a directory is, a directory where a file goes, a
// parent that is a file, JSON that cannot be merged, a chown of something nothing creates. Shared
// by the validation stage (before any write) and the executor (again, right before it writes).
import type { ConfigIssue } from "../errors.js";
import { DirCache, followTrustedLinks } from "../fs/index.js";
import type { Action } from "../plan/action.js";
import { compareAction, type FileState } from "../plan/compare.js";
import type { FsOps } from "../plan/fsops.js";
import { observePaths } from "../plan/observe.js";
import type { OwnerIds } from "../plan/owners.js";

/** What the disk says about a plan's paths. */
export interface DiskFacts {
  /** each action's path (run-command: its `creates`), file bytes for writes (a digest only for files the plan may not show) */
  states: ReadonlyMap<string, FileState>;
  /** existing files others cannot reach (a directory above is not searchable by others): their old content is not shown */
  hiddenFromOthers: ReadonlySet<string>;
  /** a missing path → its nearest existing ancestor when that is not a directory */
  blockers: ReadonlyMap<string, string>;
  /**
   * a path → why foyer cannot reach the directory it goes in without crossing a link it does not
   * trust (src/fs/beneath.ts: links are followed only when root-owned in a root-owned directory
   * nobody else can write), or an accepted directory link (a mounted config dir) it would write through
   */
  linkBlocked: ReadonlyMap<string, string>;
  /**
   * existing targets that are mount points (Docker's /etc/hosts, a Kubernetes subPath file): a file
   * is replaced by renaming a new one over it, which the kernel refuses there (EBUSY)
   */
  mountPoints?: ReadonlySet<string>;
}

/** The path an action is observed at. */
export function observedPathOf(a: Action): string {
  return a.kind === "run-command-as-user" ? (a.creates ?? a.path) : a.path;
}

/** Read what the checks need (lstat, file bytes, ancestors of missing paths, links on the way). */
export function observeDisk(actions: readonly Action[], fs: FsOps): DiskFacts {
  const { paths: states, unreachable: hiddenFromOthers } = observePaths(actions, fs);
  const blockers = new Map<string, string>();
  const linkBlocked = new Map<string, string>();
  const dirs = new DirCache(fs, followTrustedLinks);
  const reach = new Map<string, string | undefined>(); // directory → why it cannot be walked to
  const problem = (dir: string): string | undefined => {
    if (!reach.has(dir)) reach.set(dir, dirs.problem(dir));
    return reach.get(dir);
  };
  try {
    for (const a of actions) {
      const p = observedPathOf(a);
      if (a.kind === "run-command-as-user") continue; // runs as its user: foyer itself writes nothing there
      const st = states.get(p) ?? { type: "missing" as const };
      const blocker = st.type === "missing" ? nonDirAncestor(a.path, fs) : undefined;
      if (blocker) {
        blockers.set(a.path, blocker);
        continue;
      }
      const why = problem(parentOf(a.path)) ?? (a.kind === "ensure-dir" && st.type === "symlink" && st.toDir ? problem(a.path) : undefined);
      if (why) linkBlocked.set(a.path, why);
    }
  } finally {
    dirs.closeAll();
  }
  const mounted = mountPointsOf(fs);
  const mountPoints = new Set(actions.filter((a) => REPLACED.has(a.kind) && states.get(a.path)?.type !== "missing" && mounted.has(a.path)).map((a) => a.path));
  return { states, hiddenFromOthers, blockers, linkBlocked, mountPoints };
}

/** Actions that replace their path by a rename. */
const REPLACED = new Set<Action["kind"]>(["write-file", "merge-json", "symlink"]);

/** The mount points of foyer's mount namespace (/proc/self/mountinfo, octal escapes undone); empty if unknown. */
function mountPointsOf(fs: FsOps): Set<string> {
  let text: string;
  try {
    text = fs.readFileSync("/proc/self/mountinfo", "utf8") as string;
  } catch {
    return new Set();
  }
  return new Set(text.split("\n").flatMap((line) => {
    const field = line.split(" ")[4];
    return field ? [field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))] : [];
  }));
}

/** Every conflict between the plan and the disk (pure). */
export function checkPlanOnDisk(actions: readonly Action[], owners: ReadonlyMap<string, OwnerIds>, disk: DiskFacts): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const earlier = new Set<string>(); // paths earlier actions create: a later chown of them is fine
  for (const a of actions) {
    const at = a.source ?? a.path;
    const st = disk.states.get(observedPathOf(a)) ?? { type: "missing" as const };
    const owner = ownerSpec(a);
    const v = compareAction(a, st, owner === undefined ? undefined : owners.get(owner));
    const madeEarlier = ancestorsAndSelf(a.path).some((p) => earlier.has(p));
    earlier.add(a.path);
    // in a home, what the user placed there skips that action at apply (reported), not the start
    if ("userDir" in a && a.userDir) continue;
    if (v.state === "conflict" && !(madeEarlier && st.type === "missing")) issues.push({ path: at, message: v.problem ?? "conflict" });
    const blocker = disk.blockers.get(a.path);
    if (blocker) {
      issues.push({ path: at, message: `cannot create ${a.path}: ${blocker} exists and is not a directory` });
    }
    const why = disk.linkBlocked.get(a.path);
    if (why) issues.push({ path: at, message: `cannot ${st.type === "missing" ? "create" : "change"} ${a.path}: ${why}` });
    if (disk.mountPoints?.has(a.path) && v.state !== "unchanged" && v.state !== "conflict") {
      issues.push({ path: at, message: `${a.path} is a mount point (bind-mounted by the container runtime, like /etc/hosts or a Kubernetes subPath file): foyer replaces a file by renaming a new one over it, which a mount point refuses; write another path, or mount the directory instead` });
    }
  }
  return issues;
}

/** Directories the plan makes (ensure-dir, and every parent of a path it writes). */
export function plannedDirs(actions: readonly Action[]): Set<string> {
  const dirs = new Set<string>();
  for (const a of actions) {
    if (a.kind === "run-command-as-user" || a.kind === "chown" || a.kind === "chmod" || a.kind === "edit-accounts") continue;
    if (a.kind === "ensure-dir") dirs.add(a.path);
    for (const p of ancestorsAndSelf(a.path).slice(1)) dirs.add(p);
  }
  return dirs;
}

function ownerSpec(a: Action): string | undefined {
  return a.kind === "run-command-as-user" ? a.user : "owner" in a ? a.owner : undefined;
}

function ancestorsAndSelf(path: string): string[] {
  const out = [path];
  for (let p = parentOf(path); p !== "/"; p = parentOf(p)) out.push(p);
  return out;
}

/** The nearest existing ancestor of a missing path, when it is not a directory (so mkdir would fail). */
function nonDirAncestor(path: string, fs: FsOps): string | undefined {
  for (let p = parentOf(path); ; p = parentOf(p)) {
    try {
      return fs.statSync(p).isDirectory() ? undefined : p;
    } catch {
      if (p === "/") return undefined;
    }
  }
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}
