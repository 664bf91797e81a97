// The executor: the only part of the plan engine with effects. It checks the whole plan first
// (paths, modes, owners, conflicts with what is on disk, links it would have to cross) and writes
// nothing when anything is wrong; then applies each action idempotently: unchanged paths are not
// touched (mtimes kept). Every write names an entry of a directory opened without following
// untrusted links (src/fs/beneath.ts): nobody who can write a directory on the way can redirect it.
import { ConfigError, ExitCode, FoyerError, type ConfigIssue } from "../errors.js";
import { chownTree, DirCache, followTrustedLinks, UnsafePathError } from "../fs/index.js";
import type { Action, RunCommandAction } from "./action.js";
import { atomicMkdir, atomicSymlink, atomicWriteFile, removeStaleTemps } from "./atomic.js";
import { generateState } from "./generate.js";
import { compareAction, type Verdict } from "./compare.js";
import { realFs, type FsOps } from "./fsops.js";
import { observePath } from "./observe.js";
import { checkPlanOnDisk, observeDisk, observedPathOf } from "../check/disk.js";
import { runAsSync, systemUserDatabase, type RunAs, type UserDatabase } from "../identity/index.js";
import { selfCommand } from "../pid1/runtime.js";
import { checkOwners, type OwnerIds } from "./owners.js";
import { applyAccountEdits } from "../users/local-files.js";
import { validatePlan } from "./validate.js";

/** The executor's effects; each defaults to the real system. */
export interface ApplySys {
  fs?: FsOps;
  users?: UserDatabase;
  /** how run-command-as-user actions run as their user (default: `foyer exec-as`, like every program) */
  runAs?: RunAs;
  /** the clock's time in ms (shadow's last-change day of an account an edit makes) */
  now?: () => number;
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
  const dirs = new DirCache(fs, followTrustedLinks);
  const result: ApplyResult = { changed: [], unchanged: [] };
  const ctx: Ctx = { runAs: sys.runAs, dirs, renamedIn: new Set(), now: sys.now ?? Date.now };
  let failure: unknown;
  try {
    removeStaleTempsOf(actions, ctx.dirs);
    applyEach(actions, owners, ctx, result, sys.onAction);
  } catch (err) {
    failure = err;
  }
  // renames are durable once their directory is synced: once per directory, even after a failure
  for (const d of ctx.renamedIn) {
    try {
      ctx.dirs.find(d)?.fsync();
    } catch (err) {
      failure ??= new FoyerError(`cannot sync directory ${d}: ${(err as Error).message}`, ExitCode.internal, { cause: err });
    }
  }
  ctx.dirs.closeAll();
  if (failure) throw failure;
  return result;
}

/** Temps an earlier, killed run left beside the entries this plan creates (one readdir per directory). */
function removeStaleTempsOf(actions: readonly Action[], dirs: DirCache): void {
  const byDir = new Map<string, Set<string>>();
  const userDirs = new Set(actions.filter(isUserDir).map((a) => parentOf(a.path)));
  for (const a of actions) {
    if (a.kind !== "write-file" && a.kind !== "merge-json" && a.kind !== "symlink" && a.kind !== "ensure-dir" && a.kind !== "generate-file") continue;
    const names = byDir.get(parentOf(a.path)) ?? new Set<string>();
    byDir.set(parentOf(a.path), names.add(nameOf(a.path)));
  }
  for (const [path, names] of byDir) {
    let dir;
    try {
      dir = dirs.find(path); // absent: nothing stale in it yet
    } catch (err) {
      // a link a user placed in a home: the actions there are skipped one by one (applyEach)
      if (err instanceof UnsafePathError && userDirs.has(path)) continue;
      throw err;
    }
    if (dir) removeStaleTemps(dir, names);
  }
}

function applyEach(actions: readonly Action[], owners: ReadonlyMap<string, OwnerIds>, ctx: Ctx, result: ApplyResult, onAction: ApplySys["onAction"]): void {
  for (const a of actions) {
    let changed: boolean;
    let v: Verdict;
    try {
      const owner = ownerOf(a, owners);
      v = compareAction(a, observePath(observedPathOf(a), a.kind === "write-file" || a.kind === "merge-json", ctx.dirs.fs), owner);
      if (v.state === "conflict" && isUserDir(a)) v = { state: "kept", changes: [v.problem ?? "conflict"] };
      if (v.state === "conflict") throw new Error(v.problem);
      // generated state may need its other half (a key pair's public key) even when the key is there
      changed = ((v.state !== "unchanged" && v.state !== "kept") || a.kind === "generate-file") && act(a, v, owner, ctx) !== false;
    } catch (err) {
      if (err instanceof FoyerError) throw err;
      // in a home, what the user placed on the way (a link, a file where a directory goes) skips
      // only this action: one user must not stop the start for everybody
      if (err instanceof UnsafePathError && isUserDir(a)) {
        onAction?.(a, { state: "kept", changes: [err.message] });
        result.unchanged.push(a.path);
        continue;
      }
      // a system error mid-apply (disk full, read-only mount): name the action and what was done
      const done = result.changed.length ? ` (after ${result.changed.length} change(s): ${result.changed.join(", ")})` : " (nothing was changed)";
      throw new FoyerError(`cannot apply ${a.kind} ${a.path}: ${(err as Error).message}${done}`, ExitCode.internal, { cause: err });
    }
    onAction?.(a, changed || v.state === "kept" ? v : { ...v, state: "unchanged", changes: [] });
    (changed ? result.changed : result.unchanged).push(a.path);
  }
}

/**
 * Every problem that can be known before writing, checked again right before writing (the
 * validation stage ran the same checks; the disk may have changed since): plan, owners, disk
 * (including links a write would have to cross: src/check/disk.ts).
 */
function preflight(actions: readonly Action[], users: UserDatabase, fs: FsOps): Map<string, OwnerIds> {
  const checked = checkOwners(actions, users);
  const issues: ConfigIssue[] = [...validatePlan(actions), ...checked.issues];
  if (issues.length === 0) issues.push(...checkPlanOnDisk(actions, checked.owners, observeDisk(actions, fs)));
  if (issues.length > 0) throw new ConfigError(issues);
  return checked.owners;
}

function isUserDir(a: Action): boolean {
  return "userDir" in a && a.userDir === true;
}

function ownerOf(a: Action, owners: ReadonlyMap<string, OwnerIds>): OwnerIds | undefined {
  const spec = a.kind === "run-command-as-user" ? a.user : "owner" in a ? a.owner : undefined;
  return spec === undefined ? undefined : owners.get(spec);
}

type Ctx = { runAs: RunAs | undefined; dirs: DirCache; renamedIn: Set<string>; now: () => number };

const DAY_MS = 86_400_000;

/** New directories on the way to an action's path: as `mkdir -p` makes them. */
const PARENT_MODE = 0o755;

/** Carry out one action; false when it turned out there was nothing to do (a recursive chown). */
function act(a: Action, v: Verdict, owner: OwnerIds | undefined, ctx: Ctx): boolean | void {
  const name = nameOf(a.path);
  switch (a.kind) {
    case "write-file":
    case "merge-json":
      // any difference (bytes, mode or owner) replaces the file atomically, so an interrupted apply
      // never leaves the right bytes with the wrong owner or mode; unchanged files never get here
      atomicWriteFile(ctx.dirs.get(parentOf(a.path), PARENT_MODE), name, v.content ?? "", a.mode, owner);
      return void ctx.renamedIn.add(parentOf(a.path));
    case "ensure-dir": {
      const parent = ctx.dirs.get(parentOf(a.path), PARENT_MODE);
      if (v.state === "create") {
        atomicMkdir(parent, name, a.mode, owner);
        return void ctx.renamedIn.add(parentOf(a.path));
      }
      // a directory link accepted as is never gets here (its verdict is unchanged): no link is followed
      const dir = parent.openDir(name);
      try {
        if (owner) dir.chown(owner.uid, owner.gid ?? -1);
        return dir.chmod(a.mode);
      } finally {
        dir.close();
      }
    }
    case "symlink":
      atomicSymlink(ctx.dirs.get(parentOf(a.path), PARENT_MODE), name, a.target);
      return void ctx.renamedIn.add(parentOf(a.path));
    case "chown":
      return chownTree(existingParent(a.path, ctx), name, owner!.uid, owner!.gid ?? -1, a.recursive);
    case "chmod":
      return existingParent(a.path, ctx).chmodEntry(name, a.mode);
    case "run-command-as-user": {
      const failure = runCommand(a, ctx);
      // the fallback taken is what the log line says was done (the verdict is this action's own)
      if (failure) v.changes.push(`${failure}; linked ${a.otherwise!.path} → ${a.otherwise!.target} instead`);
      return;
    }
    case "generate-file":
      return generateState(a, owner, ctx.dirs, ctx.dirs.fs, ctx.renamedIn);
    case "edit-accounts":
      return applyAccountEdits(a.path, a.edits, Math.floor(ctx.now() / DAY_MS), ctx.dirs.fs);
  }
}

function existingParent(path: string, ctx: Ctx) {
  const dir = ctx.dirs.find(parentOf(path));
  if (!dir) throw new Error(`${parentOf(path)} does not exist`);
  return dir;
}

/** PATH for commands foyer runs as a user; their env is otherwise only the action's (no secrets of foyer's own). */
const COMMAND_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Through `foyer exec-as`, like every program: same resolver, groups and login variables.
/** Run the command; when it fails, make its `otherwise` link and return how it failed (no fallback: throw). */
function runCommand(a: RunCommandAction, ctx: Ctx): string | undefined {
  const runAs = ctx.runAs ?? runAsSync(selfCommand());
  const r = runAs({ user: a.user, argv: a.argv, cwd: a.path, env: { PATH: COMMAND_PATH, ...a.env } });
  if (!r.error && r.code === 0) return undefined;
  const how = `command ${JSON.stringify(a.argv[0])} as ${a.user} failed: ${r.error ?? (r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`)}`;
  if (!a.otherwise) throw new FoyerError(`${a.source ?? a.reason}: ${how}`);
  // as `ln -s` does: a link already there to the same target is fine; anything else there is not
  // replaced (no-follow walk to the parent, made as mkdir -p would: start.sh's mkdir came first)
  const link = a.otherwise;
  const st = observePath(link.path, false, ctx.dirs.fs);
  if (st.type === "symlink" && st.target === link.target) return how;
  if (st.type !== "missing") throw new FoyerError(`${a.source ?? a.reason}: ${how}, and ${link.path} exists: no link made`);
  atomicSymlink(ctx.dirs.get(parentOf(link.path), PARENT_MODE), nameOf(link.path), link.target);
  ctx.renamedIn.add(parentOf(link.path));
  return how;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
