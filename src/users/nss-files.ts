// /etc/passwd, group, shadow and gshadow as text: which entries foyer owns, and the new text with
// the accepted accounts merged in. Pure. Every line foyer does not own is kept byte for byte and in
// place (comments, NIS `+` lines, odd entries); foyer's own entries are updated where they stand,
// new ones appended, and those no source lists any more locked, deleted or kept by policy.
import type { Account, AccountGroup, AccountList } from "./accounts.js";
import type { LocalIds } from "./policy.js";

/** The four files' text ("" for a missing file). */
export interface AccountFiles {
  passwd: string;
  group: string;
  shadow: string;
  gshadow: string;
}

export const ACCOUNT_FILES = ["passwd", "group", "shadow", "gshadow"] as const;
export type AccountFileName = (typeof ACCOUNT_FILES)[number];

/** The names foyer created (kept in the record file): the only entries it ever changes. */
export interface AccountRecord {
  users: string[];
  groups: string[];
}

export type RemovedPolicy = "lock" | "delete" | "keep";

export interface MergeOptions {
  removed: RemovedPolicy;
  /** days since 1970-01-01, for shadow's last-change field of new or re-hashed entries */
  today: number;
  /** SHA-512 crypt of a plain password with the salt of `existing` if given (to keep a hash that still matches), else a fresh salt */
  hashPassword: (plain: string, existing: string | undefined) => string;
}

export interface MergeResult {
  files: AccountFiles;
  record: AccountRecord;
  added: string[];
  updated: string[];
  removed: string[];
  locked: string[];
}

/** Entries of the files that foyer did not create (the policy refuses to collide with them). */
export function localIds(files: AccountFiles, record: AccountRecord): LocalIds {
  const ours = new Set(record.users);
  const ourGroups = new Set(record.groups);
  const userNames = new Set<string>();
  const uids = new Set<number>();
  for (const f of entries(files.passwd)) {
    if (ours.has(f[0]!)) continue;
    userNames.add(f[0]!);
    if (/^\d+$/.test(f[2] ?? "")) uids.add(Number(f[2]));
  }
  const groupNames = new Set<string>();
  const gids = new Set<number>();
  for (const f of entries(files.group)) {
    if (ourGroups.has(f[0]!)) continue;
    groupNames.add(f[0]!);
    if (/^\d+$/.test(f[2] ?? "")) gids.add(Number(f[2]));
  }
  return { userNames, uids, groupNames, gids };
}

/** The files with `accepted` merged in; unchanged text where nothing differs. */
export function mergeAccountFiles(files: AccountFiles, record: AccountRecord, accepted: AccountList, opts: MergeOptions): MergeResult {
  const users = new Map(accepted.users.map((u) => [u.name, u]));
  const groups = new Map(accepted.groups.map((g) => [g.name, g]));
  const goneUsers = record.users.filter((n) => !users.has(n));
  const goneGroups = record.groups.filter((n) => !groups.has(n));
  const dropUsers = new Set(opts.removed === "delete" ? goneUsers : []);
  const lockUsers = new Set(opts.removed === "lock" ? goneUsers : []);
  const dropGroups = new Set(opts.removed === "delete" ? goneGroups : []);
  const emptyGroups = new Set(opts.removed === "lock" ? goneGroups : []);
  const present = new Set(entries(files.passwd).map((f) => f[0]!));

  const oldShadow = new Map(entries(files.shadow).map((f) => [f[0]!, f]));
  const passwd = mergeLines(files.passwd, users, dropUsers, new Set(record.users), (u) => passwdLine(u), () => undefined);
  const shadow = mergeLines(files.shadow, users, dropUsers, new Set(record.users), (u, old) => shadowLine(u, old, opts), (f) => (lockUsers.has(f[0]!) ? lockedShadow(f) : undefined));
  // a locked user was dropped from `accepted`, so no group of ours lists it any more
  const groupText = mergeLines(files.group, groups, dropGroups, new Set(record.groups), (g) => groupLine(g), (f) => (emptyGroups.has(f[0]!) ? [f[0]!, f[1]!, f[2]!, ""] : undefined));
  const gshadow = mergeLines(files.gshadow, groups, dropGroups, new Set(record.groups), (g, old) => gshadowLine(g, old), (f) => (emptyGroups.has(f[0]!) ? [f[0]!, f[1] ?? "!", f[2] ?? "", ""] : undefined));

  const keptUsers = opts.removed === "delete" ? [] : goneUsers;
  const keptGroups = opts.removed === "delete" ? [] : goneGroups;
  const newRecord = { users: sorted([...users.keys(), ...keptUsers]), groups: sorted([...groups.keys(), ...keptGroups]) };
  const oldPasswd = new Map(entries(files.passwd).map((f) => [f[0]!, f.join(":")]));
  return {
    files: { passwd, group: groupText, shadow, gshadow },
    record: newRecord,
    added: accepted.users.filter((u) => !present.has(u.name)).map((u) => u.name),
    updated: accepted.users
      .filter((u) => present.has(u.name) && (oldPasswd.get(u.name) !== passwdLine(u).join(":") || oldShadow.get(u.name)?.join(":") !== shadowLine(u, oldShadow.get(u.name), opts).join(":")))
      .map((u) => u.name),
    removed: [...dropUsers].filter((n) => present.has(n)),
    locked: [...lockUsers].filter((n) => present.has(n) && !isLocked(oldShadow.get(n))),
  };
}

/** Whether `text` (the old file) and the merged text differ. */
export function changedFiles(before: AccountFiles, after: AccountFiles): AccountFileName[] {
  return ACCOUNT_FILES.filter((f) => before[f] !== after[f]);
}

/**
 * One file merged: lines of ours are replaced in place (first occurrence; later copies dropped),
 * dropped, or changed by `onGone`; lines of others kept as they are; new entries appended in order.
 */
function mergeLines<T extends { name: string }>(
  text: string,
  wanted: Map<string, T>,
  drop: Set<string>,
  ours: Set<string>,
  line: (item: T, old: string[] | undefined) => string[],
  onGone: (old: string[]) => string[] | undefined,
): string {
  const out: string[] = [];
  const done = new Set<string>();
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  for (const raw of lines) {
    const name = raw.split(":", 1)[0]!;
    const item = wanted.get(name);
    if (item) {
      if (!done.has(name)) out.push(line(item, raw.split(":")).join(":"));
      done.add(name);
    } else if (ours.has(name) && drop.has(name)) {
      continue;
    } else if (ours.has(name)) {
      out.push((onGone(raw.split(":")) ?? raw.split(":")).join(":"));
    } else {
      out.push(raw);
    }
  }
  for (const [name, item] of wanted) if (!done.has(name)) out.push(line(item, undefined).join(":"));
  return out.length ? `${out.join("\n")}\n` : "";
}

function passwdLine(u: Account): string[] {
  return [u.name, "x", String(u.uid), String(u.gid), u.gecos, u.home, u.shell];
}

/**
 * name:hash:lastchg:min:max:warn:inactive:expire:reserved. The hash comes from the source (or "!":
 * locked, never invented); lastchg moves only when the hash does; the ageing fields an admin set
 * locally are kept.
 */
function shadowLine(u: Account, old: string[] | undefined, opts: MergeOptions): string[] {
  const oldHash = old?.[1];
  const hash = u.passwordHash ?? (u.plainPassword !== undefined ? opts.hashPassword(u.plainPassword, oldHash) : "!");
  const lastchg = old && oldHash === hash ? (old[2] ?? "") : String(opts.today);
  const [min, max, warn, inactive] = old ? [old[3] ?? "", old[4] ?? "", old[5] ?? "", old[6] ?? ""] : ["0", "99999", "7", ""];
  return [u.name, hash, lastchg, min, max, warn, inactive, u.expire === undefined ? "" : String(u.expire), ""];
}

/** A removed account, locked: "!" before the hash (passwd -l) and expired since day 1 (usermod -e 1). */
function lockedShadow(f: string[]): string[] {
  const out = [...f];
  while (out.length < 9) out.push("");
  if (!out[1]!.startsWith("!")) out[1] = `!${out[1]}`;
  out[7] = "1";
  return out;
}

function isLocked(f: string[] | undefined): boolean {
  return !!f && f[1]!.startsWith("!") && f[7] === "1";
}

function groupLine(g: AccountGroup): string[] {
  return [g.name, "x", String(g.gid), g.members.join(",")];
}

/** name:password:admins:members; a password or admins set locally are kept. */
function gshadowLine(g: AccountGroup, old: string[] | undefined): string[] {
  return [g.name, old?.[1] ?? "!", old?.[2] ?? "", g.members.join(",")];
}

/** The colon-split entries of a file, skipping blank, comment and NIS (+/-) lines. */
function entries(text: string): string[][] {
  return text
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#") && !l.startsWith("+") && !l.startsWith("-"))
    .map((l) => l.split(":"));
}

function sorted(names: string[]): string[] {
  return [...new Set(names)].sort();
}
