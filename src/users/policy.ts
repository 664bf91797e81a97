// The security-first policy: which candidates become accounts. Pure. sssd serves all of the entries
// refused here (invalid names, homes with `..`, uid (uid_t)-1, duplicates, names shadowing local
// accounts, expired accounts); foyer writes local files that every program trusts, so it refuses
// each one and says why. Duplicates are refused in every copy: neither wins silently.
import type { Account, AccountGroup, AccountList, CandidateGroup, CandidateUser, Rejection, SourceResult } from "./accounts.js";

/** Accounts and groups already in the local files that foyer did not create. */
export interface LocalIds {
  userNames: ReadonlySet<string>;
  uids: ReadonlySet<number>;
  groupNames: ReadonlySet<string>;
  gids: ReadonlySet<number>;
}

export interface PolicyOptions {
  homeRoot: string;
  defaultShell: string;
  /** ids below this are the system's (default 1000) */
  minId: number;
  /** today, in days since 1970-01-01 (shadow's unit), for expiry */
  today: number;
}

export interface PolicyResult {
  accepted: AccountList;
  rejected: Rejection[];
  /** labels of sources whose policy is `fail` and which had a refused entry */
  failedSources: string[];
}

/** (uid_t)-1: "leave unchanged" to setresuid/chown, never an account. */
const NO_ID = 4294967295;
// Debian's adduser NAME_REGEX plus upper case and '.', at most 32 bytes (utmp's ut_user): never a
// leading '-' (an option to every tool) or digit (an all-digit name reads as a uid).
const LOGIN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

/** Decide every candidate of every source, in source order. */
export function decideAccounts(sources: readonly SourceResult[], local: LocalIds, opts: PolicyOptions): PolicyResult {
  const rejected: Rejection[] = [];
  const failed = new Set<string>();
  const onInvalid = new Map(sources.map((s) => [s.label, s.onInvalid]));
  const reject = (r: Rejection) => {
    rejected.push(r);
    if (onInvalid.get(r.source) === "fail") failed.add(r.source);
  };

  const userCandidates = sources.flatMap((s) => s.users);
  const dupUserNames = duplicates(userCandidates.map((u) => u.name));
  const dupUids = duplicates(userCandidates.map((u) => toId(u.uid)));
  const users: Account[] = [];
  for (const c of userCandidates) {
    const why = c.problem ?? userProblem(c, local, opts, dupUserNames, dupUids);
    if (why) reject({ source: c.source, kind: "user", name: c.name ?? c.origin, origin: c.origin, reason: why });
    else users.push(toAccount(c, opts));
  }

  const accepted = new Set(users.map((u) => u.name));
  const groupCandidates = sources.flatMap((s) => s.groups);
  const dupGroupNames = duplicates(groupCandidates.map((g) => g.name));
  const dupGids = duplicates(groupCandidates.map((g) => toId(g.gid)));
  const groups: AccountGroup[] = [];
  for (const c of groupCandidates) {
    const why = c.problem ?? groupProblem(c, local, opts, dupGroupNames, dupGids);
    if (why) reject({ source: c.source, kind: "group", name: c.name ?? c.origin, origin: c.origin, reason: why });
    else groups.push({ name: c.name!, gid: toId(c.gid)!, members: [...new Set(c.members.filter((m) => accepted.has(m)))], source: c.source });
  }
  return { accepted: { users, groups }, rejected, failedSources: [...failed] };
}

function userProblem(c: CandidateUser, local: LocalIds, opts: PolicyOptions, dupNames: Set<unknown>, dupUids: Set<unknown>): string | undefined {
  const nameWhy = nameProblem(c.name);
  if (nameWhy) return nameWhy;
  const name = c.name!;
  if (dupNames.has(name)) return `the name ${name} is given more than once (every copy is refused)`;
  if (local.userNames.has(name)) return `the name ${name} is a local account foyer did not create`;
  const uid = toId(c.uid);
  const uidWhy = idProblem("uid", c.uid, uid, opts.minId);
  if (uidWhy) return uidWhy;
  if (dupUids.has(uid)) return `uid ${uid} is given to more than one user (every copy is refused)`;
  if (local.uids.has(uid!)) return `uid ${uid} belongs to a local account foyer did not create`;
  const gidWhy = idProblem("gid", c.gid, toId(c.gid), opts.minId);
  if (gidWhy) return `primary group: ${gidWhy}`;
  if (c.home !== undefined) {
    const homeWhy = homeProblem(c.home, opts.homeRoot);
    if (homeWhy) return homeWhy;
  }
  if (c.shell !== undefined && c.shell !== "" && !/^\/[^:\n\0]*$/.test(c.shell)) return `the shell ${JSON.stringify(c.shell)} is not an absolute path without ':'`;
  if (c.passwordHash !== undefined && !/^[^:\n\0]*$/.test(c.passwordHash)) return "the password hash contains ':' or a newline";
  if (c.expire !== undefined && c.expire !== "") {
    const days = Number(c.expire);
    if (!Number.isInteger(days)) return `shadowExpire ${JSON.stringify(c.expire)} is not a number of days`;
    if (days >= 0 && days <= opts.today) return `the account expired (shadowExpire ${days} ≤ today ${opts.today})`;
  }
  return undefined;
}

function groupProblem(c: CandidateGroup, local: LocalIds, opts: PolicyOptions, dupNames: Set<unknown>, dupGids: Set<unknown>): string | undefined {
  const nameWhy = nameProblem(c.name);
  if (nameWhy) return nameWhy;
  const name = c.name!;
  if (dupNames.has(name)) return `the group name ${name} is given more than once (every copy is refused)`;
  if (local.groupNames.has(name)) return `the group name ${name} is a local group foyer did not create`;
  const gid = toId(c.gid);
  const gidWhy = idProblem("gid", c.gid, gid, opts.minId);
  if (gidWhy) return gidWhy;
  if (dupGids.has(gid)) return `gid ${gid} is given to more than one group (every copy is refused)`;
  if (local.gids.has(gid!)) return `gid ${gid} belongs to a local group foyer did not create`;
  return undefined;
}

/** Why `name` is not a login name foyer will write, or undefined. */
export function nameProblem(name: string | undefined): string | undefined {
  if (name === undefined || name === "") return "it has no name";
  if (!LOGIN_NAME.test(name)) {
    return `${JSON.stringify(name)} is not a valid login name (letters, digits, _ . -, at most 32, not starting with '-', '.' or a digit)`;
  }
  return undefined;
}

function idProblem(what: "uid" | "gid", raw: unknown, id: number | undefined, minId: number): string | undefined {
  if (id === undefined) return raw === undefined || raw === "" ? `it has no ${what}` : `${what} ${JSON.stringify(raw)} is not a number`;
  if (id === 0) return `${what} 0 is root's`;
  if (id >= NO_ID) return `${what} ${id} is (uid_t)-1 or beyond: "no change" to setresuid and chown`;
  if (id < minId) return `${what} ${id} is below ${minId}, the system's range`;
  return undefined;
}

/** Why `home` is not an acceptable home below `root`, or undefined. */
export function homeProblem(home: string, root: string): string | undefined {
  if (!home.startsWith("/")) return `the home ${JSON.stringify(home)} is not an absolute path`;
  if (/[:\n\0]/.test(home)) return `the home ${JSON.stringify(home)} contains ':' or a control character`;
  const parts = home.split("/").slice(1);
  if (parts.some((p) => p === ".." || p === "." || p === "")) return `the home ${JSON.stringify(home)} has '..', '.' or an empty segment`;
  const prefix = root === "/" ? "/" : `${root}/`;
  if (!home.startsWith(prefix) || home === root) return `the home ${home} is not strictly below ${root}`;
  return undefined;
}

function toAccount(c: CandidateUser, opts: PolicyOptions): Account {
  const expire = c.expire === undefined || c.expire === "" ? undefined : Number(c.expire);
  return {
    name: c.name!,
    uid: toId(c.uid)!,
    gid: toId(c.gid)!,
    // glibc's putpwent turns ':' into a space; a newline would split the line
    gecos: (c.gecos ?? "").replace(/[:\n\r\0]/g, " "),
    home: c.home ?? `${opts.homeRoot === "/" ? "" : opts.homeRoot}/${c.name}`,
    shell: c.shell || opts.defaultShell,
    passwordHash: c.passwordHash,
    plainPassword: c.plainPassword,
    expire: expire !== undefined && expire >= 0 ? expire : undefined,
    source: c.source,
  };
}

/** An id from a number or a decimal string; undefined when it is not one. */
function toId(v: string | number | undefined): number | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === "string" && /^\d{1,12}$/.test(v)) return Number(v);
  return undefined;
}

function duplicates<T>(values: readonly (T | undefined)[]): Set<T> {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const v of values) {
    if (v === undefined) continue;
    if (seen.has(v)) dup.add(v);
    seen.add(v);
  }
  return dup;
}
