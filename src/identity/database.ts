// The user database behind every identity question. Production asks NSS through the native addon
// (files, sssd, LDAP: the accounts the products will see); tests and image roots read passwd/group
// text. An overlay adds the accounts a later phase of the same plan will create, so a spec that
// provisions alice and owns /home/alice by her validates before alice exists.
import type { GroupEntry, PasswdEntry } from "../pid1/native.js";

export type { GroupEntry, PasswdEntry };

/** The three NSS questions foyer asks (the native addon has exactly these). */
export interface UserDatabase {
  getpw(nameOrUid: string | number): PasswdEntry | null;
  getgr(nameOrGid: string | number): GroupEntry | null;
  /** every gid of `user`: `gid` plus the groups that list the user as a member */
  getgrouplist(user: string, gid: number): number[];
}

/** Accounts a later phase will create (user provisioning); they win over the system's. */
export interface PlannedAccounts {
  users?: ReadonlyArray<PasswdEntry>;
  groups?: ReadonlyArray<GroupEntry & { members?: readonly string[] }>;
}

const NUMERIC = /^\d+$/;

/** A database from passwd(5) and group(5) text (first entry wins, like NSS files). */
export function filesDatabase(passwd: string, group: string): UserDatabase {
  const users: PasswdEntry[] = [];
  for (const line of passwd.split("\n")) {
    const f = line.split(":");
    if (f.length < 7 || line.startsWith("#") || !NUMERIC.test(f[2]!) || !NUMERIC.test(f[3]!)) continue;
    users.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f[6]! });
  }
  const groups: Array<GroupEntry & { members: string[] }> = [];
  for (const line of group.split("\n")) {
    const f = line.split(":");
    if (f.length < 3 || line.startsWith("#") || !NUMERIC.test(f[2]!)) continue;
    groups.push({ name: f[0]!, gid: Number(f[2]), members: (f[3] ?? "").split(",").filter(Boolean) });
  }
  return tableDatabase(users, groups);
}

/** `db` with planned accounts laid over it (planned entries are found first). */
export function withPlanned(db: UserDatabase, planned: PlannedAccounts): UserDatabase {
  const users = planned.users ?? [];
  const groups = (planned.groups ?? []).map((g) => ({ ...g, members: [...(g.members ?? [])] }));
  if (users.length === 0 && groups.length === 0) return db;
  const overlay = tableDatabase(users, groups);
  return {
    getpw: (k) => overlay.getpw(k) ?? db.getpw(k),
    getgr: (k) => overlay.getgr(k) ?? db.getgr(k),
    getgrouplist: (user, gid) => [...new Set([...db.getgrouplist(user, gid), ...overlay.getgrouplist(user, gid)])],
  };
}

function tableDatabase(users: readonly PasswdEntry[], groups: ReadonlyArray<GroupEntry & { members: readonly string[] }>): UserDatabase {
  return {
    getpw: (k) => users.find((u) => (typeof k === "number" ? u.uid === k : u.name === k)) ?? null,
    getgr: (k) => {
      const g = groups.find((x) => (typeof k === "number" ? x.gid === k : x.name === k));
      return g ? { name: g.name, gid: g.gid } : null;
    },
    getgrouplist: (user, gid) => [...new Set([gid, ...groups.filter((g) => g.members.includes(user)).map((g) => g.gid)])],
  };
}
