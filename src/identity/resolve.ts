// The one resolver: USER[:GROUP] → ids (and, to run as the user, groups, home, shell, name).
// File owners and running programs use it alike, so `owner: 1000` and `user: 1000` mean the same
// account. Docker/OpenShift convention: a numeric uid without a passwd entry is fine and gets gid 0
// (unless a group is given) and HOME=/.
import type { UserDatabase } from "./database.js";
import { parseUserSpec, type UserSpec } from "./user-spec.js";

/** uid and primary gid: what chown needs. */
export interface OwnerIds {
  uid: number;
  gid: number;
}

/** Who a process runs as, with what its login variables say. */
export interface ResolvedUser extends OwnerIds {
  /** every group, primary gid first */
  groups: number[];
  /** passwd name; undefined for a numeric uid without an entry */
  name?: string;
  home: string;
  shell?: string;
}

/** A resolution, or why it failed (a configuration problem: the caller names the spec place). */
export type Resolved<T> = { ok: true; value: T } | { ok: false; error: string };

/** Resolve to ids only (no group-list lookup): file owners. */
export function resolveOwner(spec: string | UserSpec, db: UserDatabase): Resolved<OwnerIds> {
  const r = resolveEntry(spec, db);
  return r.ok ? { ok: true, value: { uid: r.value.uid, gid: r.value.gid } } : r;
}

/** Resolve everything a process needs to become the user. */
export function resolveUser(spec: string | UserSpec, db: UserDatabase): Resolved<ResolvedUser> {
  const r = resolveEntry(spec, db);
  if (!r.ok) return r;
  const { uid, gid, pw } = r.value;
  if (!pw) return { ok: true, value: { uid, gid, groups: [gid], home: "/" } };
  // like initgroups(name, gid): the memberships stay even when GROUP replaces the primary gid
  const groups = [gid, ...new Set(db.getgrouplist(pw.name, gid).filter((g) => g !== gid))];
  const value: ResolvedUser = { uid, gid, groups, name: pw.name, home: pw.home || "/" };
  if (pw.shell) value.shell = pw.shell;
  return { ok: true, value };
}

function resolveEntry(input: string | UserSpec, db: UserDatabase): Resolved<OwnerIds & { pw?: ReturnType<UserDatabase["getpw"]> }> {
  let spec: UserSpec;
  if (typeof input === "string") {
    const parsed = parseUserSpec(input);
    if (!parsed.ok) return { ok: false, error: `invalid user ${JSON.stringify(input)}: ${parsed.error}` };
    spec = parsed.spec;
  } else spec = input;
  const pw = db.getpw(spec.user);
  if (!pw && typeof spec.user === "string") {
    // both names at once: fixing the user must not reveal a second mistake on the next run
    const group = typeof spec.group === "string" && !db.getgr(spec.group) ? `; group ${JSON.stringify(spec.group)} does not exist (not in the group database) either` : "";
    return { ok: false, error: `user ${JSON.stringify(spec.user)} does not exist (not in the user database)${group}` };
  }
  const uid = pw ? pw.uid : (spec.user as number);
  let gid = pw ? pw.gid : 0;
  if (typeof spec.group === "number") gid = spec.group;
  else if (typeof spec.group === "string") {
    const gr = db.getgr(spec.group);
    if (!gr) return { ok: false, error: `group ${JSON.stringify(spec.group)} does not exist (not in the group database)` };
    gid = gr.gid;
  }
  return { ok: true, value: { uid, gid, ...(pw ? { pw } : {}) } };
}

/**
 * The login variables of a process running as `user`: HOME, USER, LOGNAME, SHELL from passwd. A
 * numeric uid without an entry gets HOME=/ and no USER/LOGNAME (a stale USER=root would be a lie).
 */
export function loginEnv(env: Record<string, string>, user: ResolvedUser): Record<string, string> {
  const out: Record<string, string> = { ...env, HOME: user.home };
  if (user.name) {
    out.USER = user.name;
    out.LOGNAME = user.name;
  } else {
    delete out.USER;
    delete out.LOGNAME;
  }
  if (user.shell) out.SHELL = user.shell;
  return out;
}
