// Owners: parse "user", "user:group", "uid", "uid:gid" and resolve names through a UserLookup (the
// passwd/group files today; a native getpwnam later). Numeric ids need no entry: Kubernetes runs
// containers with arbitrary uids.
import type { ConfigIssue } from "../errors.js";
import type { Action } from "./action.js";

/** One account as the executor needs it. */
export interface UserEntry {
  uid: number;
  gid: number;
  home: string;
}

/** Name and id lookups; the only way the plan engine learns about users and groups. */
export interface UserLookup {
  userByName(name: string): UserEntry | undefined;
  userById(uid: number): (UserEntry & { name: string }) | undefined;
  groupByName(name: string): number | undefined;
  /** gids of the groups that list `user` as a member (its supplementary groups) */
  supplementaryGids(user: string): number[];
}

/** Resolved ids; gid undefined means "leave the group as it is" (a numeric uid with no entry). */
export interface OwnerIds {
  uid: number;
  gid: number | undefined;
}

const NUMERIC = /^\d+$/;

/**
 * Resolve an owner spec. A user without a group takes the user's primary group (like `chown user:`);
 * a numeric uid with no passwd entry leaves the group alone.
 */
export function resolveOwner(spec: string, users: UserLookup): { ok: true; ids: OwnerIds } | { ok: false; error: string } {
  const [user = "", group] = spec.split(":", 2);
  let uid: number;
  let primary: number | undefined;
  if (NUMERIC.test(user)) {
    uid = Number(user);
    primary = users.userById(uid)?.gid;
  } else {
    const entry = users.userByName(user);
    if (!entry) return { ok: false, error: `user ${JSON.stringify(user)} does not exist (not in the passwd database)` };
    uid = entry.uid;
    primary = entry.gid;
  }
  if (group === undefined || group === "") return { ok: true, ids: { uid, gid: primary } };
  if (NUMERIC.test(group)) return { ok: true, ids: { uid, gid: Number(group) } };
  const gid = users.groupByName(group);
  if (gid === undefined) return { ok: false, error: `group ${JSON.stringify(group)} does not exist (not in the group database)` };
  return { ok: true, ids: { uid, gid } };
}

/** The owner specs an action needs resolved. */
export function ownerSpecsOf(a: Action): string[] {
  if (a.kind === "run-command-as-user") return [a.user];
  return "owner" in a && a.owner !== undefined ? [a.owner] : [];
}

/** Resolve every owner in the plan: the ids by spec, and an issue for each that does not exist. */
export function checkOwners(actions: readonly Action[], users: UserLookup): { owners: Map<string, OwnerIds>; issues: ConfigIssue[] } {
  const owners = new Map<string, OwnerIds>();
  const issues: ConfigIssue[] = [];
  for (const a of actions) {
    for (const spec of ownerSpecsOf(a)) {
      const r = resolveOwner(spec, users);
      if (r.ok) owners.set(spec, r.ids);
      else issues.push({ path: `${a.source ?? a.path}.${a.kind === "run-command-as-user" ? "user" : "owner"}`, message: `${r.error}; needed for ${a.path}` });
    }
  }
  return { owners, issues };
}

/** Parse passwd(5) and group(5) text into a UserLookup (no system access: the caller reads them). */
export function lookupFromFiles(passwd: string, group: string): UserLookup {
  const byName = new Map<string, UserEntry & { name: string }>();
  const byId = new Map<number, UserEntry & { name: string }>();
  for (const line of passwd.split("\n")) {
    const f = line.split(":");
    if (f.length < 7 || line.startsWith("#") || !NUMERIC.test(f[2]!) || !NUMERIC.test(f[3]!)) continue;
    const e = { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]! };
    if (!byName.has(e.name)) byName.set(e.name, e);
    if (!byId.has(e.uid)) byId.set(e.uid, e);
  }
  const groups = new Map<string, number>();
  const memberOf = new Map<string, number[]>();
  for (const line of group.split("\n")) {
    const f = line.split(":");
    if (f.length < 3 || !NUMERIC.test(f[2]!) || groups.has(f[0]!)) continue;
    groups.set(f[0]!, Number(f[2]));
    for (const m of (f[3] ?? "").split(",").filter(Boolean)) memberOf.set(m, [...(memberOf.get(m) ?? []), Number(f[2])]);
  }
  return {
    userByName: (n) => byName.get(n),
    userById: (id) => byId.get(id),
    groupByName: (n) => groups.get(n),
    supplementaryGids: (u) => memberOf.get(u) ?? [],
  };
}
