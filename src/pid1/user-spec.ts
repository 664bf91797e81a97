// `USER[:GROUP]` as written in `foyer exec-as` and a program's `user:`; and its resolution to ids
// through an injected NSS (the addon in production, a table in tests). Pure: no I/O of its own.
import { FoyerError, ExitCode } from "../errors.js";
import type { GroupEntry, PasswdEntry } from "./native.js";

/** A parsed `USER[:GROUP]`: names stay strings, all-digit parts become ids. */
export interface UserSpec {
  user: string | number;
  group?: string | number;
}

/** Who a child runs as, with the login variables it gets. */
export interface ResolvedUser {
  uid: number;
  gid: number;
  /** supplementary groups, primary gid included */
  groups: number[];
  /** passwd name, undefined for a numeric uid without a passwd entry */
  name?: string;
  home: string;
  shell?: string;
}

/** The NSS lookups resolution needs (a subset of the addon). */
export interface Nss {
  getpw(nameOrUid: string | number): PasswdEntry | null;
  getgr(nameOrGid: string | number): GroupEntry | null;
  getgrouplist(user: string, gid: number): number[];
}

/** A user that cannot be parsed or found (a configuration problem, exit 78). */
export class UserSpecError extends FoyerError {
  constructor(message: string) {
    super(message, ExitCode.config);
  }
}

const ID = /^\d{1,10}$/;
const NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.@-]*\$?$/;

/** Parse "name", "name:group", "1000", "1000:0", "name:0"... */
export function parseUserSpec(text: string): UserSpec {
  const parts = text.split(":");
  if (parts.length > 2 || parts.some((p) => p === "")) {
    throw new UserSpecError(`invalid user '${text}': expected USER or USER:GROUP (names or numeric ids)`);
  }
  const [user, group] = parts.map((p) => parseIdOrName(p, text)) as [string | number, (string | number)?];
  return group === undefined ? { user } : { user, group };
}

function parseIdOrName(part: string, text: string): string | number {
  if (ID.test(part)) {
    const id = Number(part);
    if (id > 0xfffffffe) throw new UserSpecError(`invalid user '${text}': id ${part} is out of range`);
    return id;
  }
  if (!NAME.test(part)) throw new UserSpecError(`invalid user '${text}': '${part}' is not a valid name`);
  return part;
}

/**
 * Resolve ids like Docker's `--user`: a name must exist; a numeric uid may lack a passwd entry
 * (OpenShift), then gid 0, HOME=/ and groups [gid]. Supplementary groups come from the group
 * database for the passwd name (always including the primary gid), also when GROUP is given.
 */
export function resolveUser(spec: UserSpec, nss: Nss): ResolvedUser {
  const pw = nss.getpw(spec.user);
  if (!pw && typeof spec.user === "string") throw new UserSpecError(`user '${spec.user}' not found (passwd database)`);
  const uid = pw ? pw.uid : (spec.user as number);
  const gid = resolveGroup(spec.group, pw?.gid ?? 0, nss);
  const groups = pw ? withPrimary(nss.getgrouplist(pw.name, gid), gid) : [gid];
  if (!pw) return { uid, gid, groups, home: "/" };
  return { uid, gid, groups, name: pw.name, home: pw.home || "/", shell: pw.shell || undefined };
}

function resolveGroup(group: string | number | undefined, fallback: number, nss: Nss): number {
  if (group === undefined) return fallback;
  if (typeof group === "number") return group;
  const gr = nss.getgr(group);
  if (!gr) throw new UserSpecError(`group '${group}' not found (group database)`);
  return gr.gid;
}

function withPrimary(groups: number[], gid: number): number[] {
  const unique = [...new Set(groups)];
  return unique.includes(gid) ? unique : [gid, ...unique];
}

/**
 * The child's login variables: HOME, USER, LOGNAME, SHELL from passwd. A numeric uid without an
 * entry gets HOME=/ and no USER/LOGNAME (a stale USER=root would be a lie).
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
