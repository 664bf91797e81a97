// The executor: the only part of the plan engine with effects. It checks the whole plan first
// (paths, modes, owners, conflicts with what is on disk) and writes nothing when anything is wrong;
// then applies each action idempotently: unchanged paths are not touched (mtimes kept).
import { join } from "node:path";
import { ConfigError, ExitCode, FoyerError, type ConfigIssue } from "../errors.js";
import type { Action, ChownAction, RunCommandAction } from "./action.js";
import { atomicMkdir, atomicSymlink, atomicWriteFile, fsyncDir, removeStaleTemps, type DirSync } from "./atomic.js";
import { compareAction, ownerChange, type Verdict } from "./compare.js";
import { realFs, type FsOps } from "./fsops.js";
import { observePath } from "./observe.js";
import { checkPlanOnDisk, observeDisk, observedPathOf } from "../check/disk.js";
import { runAsSync, systemUserDatabase, type RunAs, type UserDatabase } from "../identity/index.js";
import { selfCommand } from "../pid1/runtime.js";
import { checkOwners, type OwnerIds } from "./owners.js";
import { validatePlan } from "./validate.js";

/** The executor's effects; each defaults to the real system. */
export interface ApplySys {
  fs?: FsOps;
  /** the user database owners are resolved in (default: the system's, NSS) */
  users?: UserDatabase;
  /** how run-command-as-user runs (default: `foyer exec-as`, the path programs take) */
  runAs?: RunAs;
  /** told about each action as it is applied (for logging) */
  onAction?: (action: Action, verdict: Verdict) => void;
  /**
   * The validation stage (src/check) has just run the preflight's checks on this plan, with these
   * owners: not observing every path a second time (each action still observes its own path).
   */
  validated?: { owners: ReadonlyMap<string, OwnerIds> };
}

/** What apply did: the paths it changed and the ones it found already right. */
export interface ApplyResult {
  changed: string[];
  unchanged: string[];
}

/** Apply a plan: check everything (ConfigError, exit 78, nothing written), then act idempotently. */
export function applyPlan(actions: readonly Action[], sys: ApplySys = {}): ApplyResult {
  const fs = sys.fs ?? realFs;
  const users = sys.users ?? systemUserDatabase();
  const owners = sys.validated?.owners ?? preflight(actions, users, fs);
  removeStaleTemps(fs, actions.filter((a) => a.kind === "write-file" || a.kind === "merge-json" || a.kind === "symlink" || a.kind === "ensure-dir").map((a) => a.path));
  const result: ApplyResult = { changed: [], unchanged: [] };
  const ctx: Ctx = { fs, runAs: sys.runAs, dirs: new Set() };
  let failure: unknown;
  try {
    applyEach(actions, owners, ctx, result, sys.onAction);
  } catch (err) {
    failure = err;
  }
  // renames are durable once their directory is synced: once per directory, even after a failure
  for (const d of ctx.dirs) {
    try {
      fsyncDir(fs, d);
    } catch (err) {
      failure ??= new FoyerError(`cannot sync directory ${d}: ${(err as Error).message}`, ExitCode.internal, { cause: err });
    }
  }
  if (failure) throw failure;
  return result;
}

function applyEach(actions: readonly Action[], owners: ReadonlyMap<string, OwnerIds>, ctx: Ctx, result: ApplyResult, onAction: ApplySys["onAction"]): void {
  const { fs } = ctx;
  for (const a of actions) {
    let changed: boolean;
    let v: Verdict;
    try {
      const owner = ownerOf(a, owners);
      v = compareAction(a, observePath(observedPathOf(a), a.kind === "write-file" || a.kind === "merge-json", fs), owner);
      if (v.state === "conflict") throw new Error(v.problem);
      changed = v.state !== "unchanged" && act(a, v, owner, ctx) !== false;
    } catch (err) {
      if (err instanceof FoyerError) throw err;
      // a system error mid-apply (disk full, read-only mount): name the action and what was done
      const done = result.changed.length ? ` (after ${result.changed.length} change(s): ${result.changed.join(", ")})` : " (nothing was changed)";
      throw new FoyerError(`cannot apply ${a.kind} ${a.path}: ${(err as Error).message}${done}`, ExitCode.internal, { cause: err });
    }
    onAction?.(a, changed ? v : { ...v, state: "unchanged", changes: [] });
    (changed ? result.changed : result.unchanged).push(a.path);
  }
}


/**
 * Every problem that can be known before writing, checked again right before writing (the
 * validation stage ran the same checks; the disk may have changed since): plan, owners, disk.
 */
function preflight(actions: readonly Action[], users: UserDatabase, fs: FsOps): Map<string, OwnerIds> {
  const checked = checkOwners(actions, users);
  const issues: ConfigIssue[] = [...validatePlan(actions), ...checked.issues];
  if (issues.length === 0) issues.push(...checkPlanOnDisk(actions, checked.owners, observeDisk(actions, fs)));
  if (issues.length > 0) throw new ConfigError(issues);
  return checked.owners;
}

function ownerOf(a: Action, owners: ReadonlyMap<string, OwnerIds>): OwnerIds | undefined {
  const spec = a.kind === "run-command-as-user" ? a.user : "owner" in a ? a.owner : undefined;
  return spec === undefined ? undefined : owners.get(spec);
}

type Ctx = { fs: FsOps; runAs: RunAs | undefined; dirs: DirSync };

/** Carry out one action; false when it turned out there was nothing to do (a recursive chown). */
function act(a: Action, v: Verdict, owner: OwnerIds | undefined, ctx: Ctx): boolean | void {
  const { fs } = ctx;
  switch (a.kind) {
    case "write-file":
    case "merge-json":
      return writeFile(a.path, v, a.mode, owner, ctx);
    case "ensure-dir":
      if (v.state === "create") {
        fs.mkdirSync(parentOf(a.path), { recursive: true, mode: 0o755 });
        return atomicMkdir(fs, a.path, a.mode, owner, ctx.dirs);
      }
      if (owner) fs.lchownSync(a.path, owner.uid, owner.gid ?? -1);
      return fs.chmodSync(a.path, a.mode);
    case "symlink":
      fs.mkdirSync(parentOf(a.path), { recursive: true, mode: 0o755 });
      return atomicSymlink(fs, a.path, a.target, ctx.dirs);
    case "chown":
      return chown(a, owner!, fs);
    case "chmod":
      return fs.chmodSync(a.path, a.mode);
    case "run-command-as-user":
      return runCommand(a, ctx);
  }
}

/**
 * Any difference (bytes, mode or owner): replace atomically, so an interrupted apply never leaves
 * the right bytes with the wrong owner or mode. Unchanged files never get here (mtime kept).
 */
function writeFile(path: string, v: Verdict, mode: number, owner: OwnerIds | undefined, ctx: Ctx): void {
  ctx.fs.mkdirSync(parentOf(path), { recursive: true, mode: 0o755 });
  atomicWriteFile(ctx.fs, path, v.content ?? "", mode, owner, ctx.dirs);
}

/** lchown only (a user-planted symlink must not redirect root's chown); recursive walks the tree. */
function chown(a: ChownAction, owner: OwnerIds, fs: FsOps): boolean {
  let changed = false;
  const visit = (p: string): void => {
    const st = fs.lstatSync(p);
    if (ownerChange(st, owner).length) {
      fs.lchownSync(p, owner.uid, owner.gid ?? -1);
      changed = true;
    }
    if (a.recursive && st.isDirectory()) for (const n of fs.readdirSync(p)) visit(join(p, n));
  };
  visit(a.path);
  return changed;
}

/** PATH for commands foyer runs as a user; their env is otherwise only the action's (no secrets of foyer's own). */
const COMMAND_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Through `foyer exec-as`, like every program: same resolver, groups and login variables.
function runCommand(a: RunCommandAction, ctx: Ctx): void {
  const runAs = ctx.runAs ?? runAsSync(selfCommand());
  const r = runAs({ user: a.user, argv: a.argv, cwd: a.path, env: { PATH: COMMAND_PATH, ...a.env } });
  if (r.error || r.code !== 0) {
    const how = r.error ?? (r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`);
    throw new FoyerError(`${a.source ?? a.reason}: command ${JSON.stringify(a.argv[0])} as ${a.user} failed: ${how}`);
  }
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}
