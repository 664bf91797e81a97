// Edits of existing local accounts, as data and as a pure function over the four files' text: what
// shadow-utils' usermod --login/--home, groupadd --force and userdel + useradd leave in the files,
// so callers that must reproduce those commands (docker-stacks' start.sh) write through the one
// account writer (local-files.ts: lckpwdf lock, atomic replace, owners and modes kept) instead of
// running the commands. Every line an edit does not name is kept byte for byte and in place.
import * as z from "zod";
import type { AccountFiles } from "./nss-files.js";

const Name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/, "a login name");
const Id = z.number().int().min(0).max(0xfffffffe);
const Abs = z.string().regex(/^\/[^:\n\0]*$/, "an absolute path without ':' or newlines");

/** One edit; they apply in order. */
export const AccountEditSchema = z.discriminatedUnion("op", [
  /** usermod --login TO --home HOME FROM: the entry renamed in passwd and shadow, and in every member list */
  z.strictObject({ op: z.literal("rename-user"), from: Name, to: Name, home: Abs }),
  /** groupadd --force --non-unique --gid GID NAME: nothing when a group of that name exists */
  z.strictObject({ op: z.literal("add-group"), name: Name, gid: Id }),
  /**
   * userdel NAME + useradd --uid --gid --home --shell --groups: the user's lines and memberships
   * dropped, then new ones appended (empty gecos, password locked, member of exactly `groups`)
   */
  z.strictObject({ op: z.literal("recreate-user"), name: Name, uid: Id, gid: Id, home: Abs, shell: Abs, groups: z.array(Id) }),
]);
export type AccountEdit = z.infer<typeof AccountEditSchema>;

/** An edit that cannot be made (the user to rename is gone, the new name is taken): usermod's own refusals. */
export class AccountEditError extends Error {}

/**
 * The files after `edits` (pure). `today` is days since 1970-01-01 (shadow's last change of a new
 * entry, as useradd writes it). Throws AccountEditError when an edit cannot be made.
 */
export function editAccountFiles(files: AccountFiles, edits: readonly AccountEdit[], today: number): AccountFiles {
  let f = { ...files };
  for (const e of edits) f = applyEdit(f, e, today);
  return f;
}

function applyEdit(f: AccountFiles, e: AccountEdit, today: number): AccountFiles {
  switch (e.op) {
    case "rename-user": {
      if (!has(f.passwd, e.from)) throw new AccountEditError(`user ${e.from} does not exist`);
      if (e.from !== e.to && has(f.passwd, e.to)) throw new AccountEditError(`user ${e.to} exists already`);
      return {
        passwd: mapEntries(f.passwd, (x) => (x[0] === e.from ? set(set(x, 0, e.to), 5, e.home) : x)),
        shadow: mapEntries(f.shadow, (x) => (x[0] === e.from ? set(x, 0, e.to) : x)),
        group: mapEntries(f.group, (x) => renameIn(x, [3], e.from, e.to)),
        gshadow: mapEntries(f.gshadow, (x) => renameIn(x, [2, 3], e.from, e.to)),
      };
    }
    case "add-group":
      if (has(f.group, e.name)) return f;
      return { ...f, group: append(f.group, [e.name, "x", String(e.gid), ""]), gshadow: f.gshadow === "" ? "" : append(f.gshadow, [e.name, "!", "", ""]) };
    case "recreate-user": {
      const joins = new Set(e.groups);
      const joined = new Set<string>(); // useradd --groups adds to one group per gid: the first
      const members = (x: string[], at: number[], isWanted: boolean) => {
        const y = [...x];
        for (const i of at) {
          const list = (y[i] ?? "").split(",").filter((m) => m !== "" && m !== e.name);
          if (isWanted && i === at[at.length - 1]) list.push(e.name);
          y[i] = list.join(",");
        }
        return y.join(":") === x.join(":") ? x : y;
      };
      const group = mapEntries(f.group, (x) => {
        const gid = Number(x[2]);
        const wanted = joins.has(gid) && !joined.has(String(gid));
        if (wanted) joined.add(String(gid));
        return members(x, [3], wanted);
      });
      const wantedNames = new Set(entriesOf(group).filter((x) => (x[3] ?? "").split(",").includes(e.name)).map((x) => x[0]));
      return {
        passwd: append(dropEntry(f.passwd, e.name), [e.name, "x", String(e.uid), String(e.gid), "", e.home, e.shell]),
        shadow: f.shadow === "" ? "" : append(dropEntry(f.shadow, e.name), [e.name, "!", String(today), "0", "99999", "7", "", "", ""]),
        group,
        gshadow: mapEntries(f.gshadow, (x) => members(x, [2, 3], wantedNames.has(x[0]!))),
      };
    }
  }
}

/** Lines that are entries (not blank, comments or NIS +/- lines), split on ':'. */
function isEntry(line: string): boolean {
  return line !== "" && !line.startsWith("#") && !line.startsWith("+") && !line.startsWith("-");
}

function entriesOf(text: string): string[][] {
  return text.split("\n").filter(isEntry).map((l) => l.split(":"));
}

function has(text: string, name: string): boolean {
  return entriesOf(text).some((x) => x[0] === name);
}

/** Each entry line through `fn`; lines it returns unchanged stay byte for byte. */
function mapEntries(text: string, fn: (x: string[]) => string[]): string {
  if (text === "") return text;
  return text
    .split("\n")
    .map((line) => {
      if (!isEntry(line)) return line;
      const x = line.split(":");
      const y = fn(x);
      return y === x ? line : y.join(":");
    })
    .join("\n");
}

function dropEntry(text: string, name: string): string {
  return text
    .split("\n")
    .filter((line) => !(isEntry(line) && line.split(":", 1)[0] === name))
    .join("\n");
}

function append(text: string, fields: string[]): string {
  const base = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  return `${base}${fields.join(":")}\n`;
}

function set(x: string[], i: number, value: string): string[] {
  const y = [...x];
  y[i] = value;
  return y;
}

/** `from` renamed to `to` in the comma lists at `at`; the same array when it is in none of them. */
function renameIn(x: string[], at: number[], from: string, to: string): string[] {
  if (!at.some((i) => (x[i] ?? "").split(",").includes(from))) return x;
  const y = [...x];
  for (const i of at) y[i] = (y[i] ?? "").split(",").map((m) => (m === from ? to : m)).join(",");
  return y;
}

/** One edit in words, for `foyer plan` (the shadow-utils command it stands for). */
export function describeEdit(e: AccountEdit): string {
  switch (e.op) {
    case "rename-user":
      return e.from === e.to ? `user ${e.from} home ${e.home}` : `rename user ${e.from} to ${e.to}, home ${e.home}`;
    case "add-group":
      return `group ${e.name} gid ${e.gid} (unless it exists)`;
    case "recreate-user":
      return `user ${e.name} uid ${e.uid} gid ${e.gid}, home ${e.home}, shell ${e.shell}, groups ${e.groups.join(",") || "none"}`;
  }
}
