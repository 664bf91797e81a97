// Checks of the spec against facts gathered from the system (users, directories, the health
// port). Pure: the facts are read beforehand by gather.ts.
import type { ConfigIssue } from "../errors.js";
import { resolveUser, type OwnerIds, type UserDatabase } from "../identity/index.js";
import type { Action } from "../plan/action.js";
import { ownerSpecOf } from "../plan/owners.js";
import type { Spec } from "../spec/schema.js";

/** What a path is on disk. */
export type PathKind = "dir" | "file" | "other" | "missing";

/** `user:` of every program and hook resolves (the same resolver the Spawner uses). */
export function checkRunAsUsers(spec: Spec, users: UserDatabase): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const check = (user: string | undefined, path: string): void => {
    if (user === undefined) return;
    const r = resolveUser(user, users);
    if (!r.ok) issues.push({ path, message: r.error });
  };
  for (const [name, p] of Object.entries(spec.programs)) check(p.user, `programs.${name}.user`);
  for (const phase of ["start", "init", "finish"] as const) for (const [i, h] of (spec.hooks[phase] ?? []).entries()) check(h.user, hookPath(spec, phase, i, ".user"));
  return issues;
}

/** Who foyer runs as (process ids and groups). */
export interface SelfIds {
  uid: number;
  gid: number;
  groups: readonly number[];
}

/**
 * Without root, foyer can run programs and hooks only as itself (the Spawner refuses anything
 * else) and chown only to itself and its own groups (chown(2) would fail mid-apply).
 */
export function checkPrivileges(spec: Spec, actions: readonly Action[], owners: ReadonlyMap<string, OwnerIds>, users: UserDatabase, self: SelfIds | undefined): ConfigIssue[] {
  if (!self || self.uid === 0) return [];
  const issues: ConfigIssue[] = [];
  const why = `foyer runs as uid ${self.uid}, not root`;
  const run = (user: string | undefined, path: string): void => {
    const r = user === undefined ? undefined : resolveUser(user, users);
    if (r?.ok && (r.value.uid !== self.uid || r.value.gid !== self.gid)) issues.push({ path, message: `cannot run as user '${user}': ${why}` });
  };
  for (const [name, p] of Object.entries(spec.programs)) run(p.user, `programs.${name}.user`);
  for (const phase of ["start", "init", "finish"] as const) for (const [i, h] of (spec.hooks[phase] ?? []).entries()) run(h.user, hookPath(spec, phase, i, ".user"));
  for (const a of actions) {
    const o = ownerSpecOf(a);
    const ids = o && owners.get(o.spec);
    if (!o || !ids) continue;
    if (o.field === "user") run(o.spec, `${a.source ?? a.path}.user`);
    else if (ids.uid !== self.uid || (ids.gid !== self.gid && !self.groups.includes(ids.gid))) {
      issues.push({ path: `${a.source ?? a.path}.owner`, message: `cannot give ${a.path} to ${o.spec} (${ids.uid}:${ids.gid}): ${why}` });
    }
  }
  return issues;
}

/** The directories programs and hooks need, for gathering. */
export function neededDirs(spec: Spec): string[] {
  const dirs = Object.values(spec.programs).flatMap((p) => (p.cwd ? [p.cwd] : []));
  for (const phase of ["start", "init", "finish"] as const) for (const h of spec.hooks[phase] ?? []) dirs.push(h.dir);
  return [...new Set(dirs)];
}

/** The hook directories of both phases. */
export function hookDirs(spec: Spec): string[] {
  return [...new Set((["init", "finish"] as const).flatMap((phase) => (spec.hooks[phase] ?? []).map((h) => h.dir)))];
}

/**
 * Warnings: a hook directory whose hooks run as root (foyer is root, the hook has no other `user:`)
 * while someone else may put files in it (another owner, or writable by group or others, sticky
 * or not: a new file is all it takes). Whoever that is runs code as root at every start. Not an
 * error: docker-stacks users mount their own hooks directory from the host.
 */
export function checkHookWriters(spec: Spec, dirs: ReadonlyMap<string, { uid: number; mode: number }>, self: SelfIds | undefined): ConfigIssue[] {
  if (self?.uid !== 0) return [];
  const warnings: ConfigIssue[] = [];
  for (const phase of ["init", "finish"] as const) {
    for (const [i, hook] of (spec.hooks[phase] ?? []).entries()) {
      const st = dirs.get(hook.dir);
      if (!st || (hook.user !== undefined && hook.user !== "root" && hook.user !== "0")) continue;
      const who = st.uid !== 0 ? `belongs to uid ${st.uid}` : st.mode & 0o022 ? `is writable by group or others (mode ${(st.mode & 0o7777).toString(8).padStart(4, "0")})` : undefined;
      if (who) warnings.push({ path: hookPath(spec, phase, i, ""), message: `${phase} hooks: ${hook.dir} ${who}, and its hooks run as root: whoever can add a file there runs code as root (give the hooks a user:, or make the directory root's alone)` });
    }
  }
  return warnings;
}

/** Facts for the directory checks. */
export interface DirFacts {
  kinds: ReadonlyMap<string, PathKind>;
  /** directories the plan creates (they need not exist yet) */
  planned: ReadonlySet<string>;
  /** true when the profile, not the user, named this hook (a convention that may be absent) */
  hookFromProfile: (phase: "start" | "init" | "finish") => boolean;
}

/** Hook directories and program `cwd`s exist (or the plan makes them) and are directories. */
export function checkDirs(spec: Spec, facts: DirFacts): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const problem = (dir: string): string | undefined => {
    const kind = facts.kinds.get(dir) ?? "missing";
    if (kind === "dir" || (kind === "missing" && facts.planned.has(dir))) return undefined;
    return kind === "missing" ? `directory ${dir} does not exist` : `${dir} is not a directory`;
  };
  for (const phase of ["start", "init", "finish"] as const) {
    for (const [i, hook] of (spec.hooks[phase] ?? []).entries()) {
      const why = problem(hook.dir);
      // a profile's conventional hook dir (docker-stacks' start-notebook.d) may be absent: skipped at run
      if (why && !(facts.kinds.get(hook.dir) === "missing" && facts.hookFromProfile(phase))) {
        issues.push({ path: hookPath(spec, phase, i, ""), message: `${phase} hooks: ${why} (create it, or remove hooks.${phase})` });
      }
    }
  }
  for (const [name, p] of Object.entries(spec.programs)) {
    const why = p.cwd ? problem(p.cwd) : undefined;
    if (why) issues.push({ path: `programs.${name}.cwd`, message: `${why}; program '${name}' could not start there` });
  }
  return issues;
}

/** The health port can be bound (probed by binding and closing); `problem` says why not. */
export interface PortFact {
  host: string;
  port: number;
  problem?: string;
}

export function checkHealthPort(fact: PortFact | undefined): ConfigIssue[] {
  if (!fact?.problem) return [];
  return [{ path: "health.listen", message: `cannot listen on ${fact.host}:${fact.port}: ${fact.problem}` }];
}

/** hooks.init (one dir) or hooks.init[i] (a list) */
function hookPath(spec: Spec, phase: "start" | "init" | "finish", i: number, rest: string): string {
  return (spec.hooks[phase]?.length ?? 0) > 1 ? `hooks.${phase}[${i}]${rest}` : `hooks.${phase}${rest}`;
}
