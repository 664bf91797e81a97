// What applying one action would change, given what is on disk: pure, shared by the executor (to
// skip unchanged work) and by `foyer plan` (to mark unchanged actions and summarise diffs).
import { createHash } from "node:crypto";
import { formatJson, mergeJson, parseJsonSettings } from "../render/index.js";
import { octal, type Action } from "./action.js";
import type { OwnerIds } from "./owners.js";

/**
 * One path as observed: what it is, and for files their bytes (or only their digest; or, past
 * MAX_COMPARED_BYTES, only their size in `tooLarge`: such a file differs from anything foyer writes).
 */
export type FileState =
  | { type: "missing" }
  | { type: "file"; mode: number; uid: number; gid: number; content?: Buffer; digest?: string; tooLarge?: number }
  | { type: "dir"; mode: number; uid: number; gid: number }
  | { type: "symlink"; target: string; uid: number; gid: number; toDir?: boolean }
  | { type: "other"; mode: number; uid: number; gid: number };

/**
 * A file foyer writes or merges into is read to be compared only up to this size (foyer's own
 * files are at most a spec's 16 MiB): past it, it is replaced unread. A user who owns a file foyer
 * manages (`~/.bashrc`) could otherwise make it a sparse 1.5 GB file and make root's foyer hold it
 * all, or fail, at every start.
 */
export const MAX_COMPARED_BYTES = 16 * 1024 * 1024;

/** The verdict for one action: what it would do, what differs, and for file writes the new bytes. */
export interface Verdict {
  state: "create" | "update" | "unchanged" | "run" | "conflict";
  /** e.g. ["content", "mode 0644 → 0600", "owner 0:0 → 1234:1234"] */
  changes: string[];
  /** for write-file/merge-json: the bytes to write */
  content?: string;
  /** for conflicts: why the action cannot be applied */
  problem?: string;
}

/** Compare an action with the observed state of its path (owner = the action's resolved owner). */
export function compareAction(a: Action, st: FileState, owner: OwnerIds | undefined): Verdict {
  switch (a.kind) {
    case "write-file":
      return compareFile(a.content, a.mode, st, owner);
    case "merge-json": {
      if (st.type === "file" && st.tooLarge !== undefined) return conflict(`${a.path} is larger than ${MAX_COMPARED_BYTES / 1024 / 1024} MiB; not merging into it`);
      if (st.type === "file" && st.content) {
        const parsed = parseJsonSettings(st.content.toString("utf8"));
        if (!parsed.ok) return conflict(`${a.path} is not valid JSON (${parsed.error}); not merging into it`);
        return compareFile(formatJson(mergeJson(parsed.value, a.patch)), a.mode, st, owner);
      }
      return compareFile(formatJson(a.patch), a.mode, st, owner);
    }
    case "ensure-dir":
      if (st.type === "missing") return { state: "create", changes: [`mode ${octal(a.mode)}`] };
      // a link to a directory (a mounted volume) is accepted as is: chmod/chown through a link
      // someone else placed could reach anything
      if (st.type === "symlink" && st.toDir) return verdict([]);
      if (st.type !== "dir") return conflict(`${a.path} exists and is not a directory`);
      return verdict([...modeChange(st.mode, a.mode), ...ownerChange(st, owner)]);
    case "symlink":
      if (st.type === "missing") return { state: "create", changes: [`→ ${a.target}`] };
      if (st.type === "dir") return conflict(`${a.path} is a directory; not replacing it with a symlink`);
      return verdict(st.type === "symlink" && st.target === a.target ? [] : [`→ ${a.target}`]);
    case "chown":
      if (st.type === "missing") return conflict(`${a.path} does not exist`);
      // a tree is only walked at apply time; the top shows whether anything is known to differ
      return a.recursive ? { state: "update", changes: [`recursive (checked at apply)`, ...ownerChange(st, owner)] } : verdict(ownerChange(st, owner));
    case "chmod":
      if (st.type === "missing") return conflict(`${a.path} does not exist`);
      if (st.type === "symlink") return verdict([]);
      return verdict(modeChange(st.mode, a.mode));
    case "run-command-as-user":
      return { state: a.creates && st.type !== "missing" ? "unchanged" : "run", changes: [] };
  }
}

function compareFile(content: string, mode: number, st: FileState, owner: OwnerIds | undefined): Verdict {
  if (st.type === "missing") return { state: "create", changes: [`mode ${octal(mode)}`], content };
  if (st.type === "dir") return { ...conflict("it is a directory; not replacing it with a file"), content };
  if (st.type !== "file") return { state: "update", changes: [`replace ${st.type}`], content };
  // observe keeps only a digest of files whose old content must not be shown (see observe.ts)
  const same = st.tooLarge === undefined && (st.content !== undefined ? st.content.equals(Buffer.from(content, "utf8")) : st.digest !== undefined && st.digest === contentDigest(content));
  return { ...verdict([...(same ? [] : ["content"]), ...modeChange(st.mode, mode), ...ownerChange(st, owner)]), content };
}

/** SHA-256 of a file's bytes: how an observed file is compared when its bytes are not kept. */
export function contentDigest(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

function modeChange(have: number, want: number): string[] {
  return (have & 0o7777) === want ? [] : [`mode ${octal(have & 0o7777)} → ${octal(want)}`];
}

/** Owner differences; an unset owner (or unset gid) is not compared. */
export function ownerChange(st: { uid: number; gid: number }, owner: OwnerIds | undefined): string[] {
  if (!owner) return [];
  const wantGid = owner.gid ?? st.gid;
  return st.uid === owner.uid && st.gid === wantGid ? [] : [`owner ${st.uid}:${st.gid} → ${owner.uid}:${wantGid}`];
}

function verdict(changes: string[]): Verdict {
  return { state: changes.length ? "update" : "unchanged", changes };
}

function conflict(problem: string): Verdict {
  return { state: "conflict", changes: [], problem };
}
