// What applying one action would change, given what is on disk: pure, shared by the executor (to
// skip unchanged work) and by `foyer plan` (to mark unchanged actions and summarise diffs).
import { createHash } from "node:crypto";
import { formatJson, mergeJson, parseJsonSettings } from "../render/index.js";
import { octal, type Action } from "./action.js";
import type { OwnerIds } from "./owners.js";

/** One path as observed: what it is, and for files their bytes (or only their digest). */
export type FileState =
  | { type: "missing" }
  | { type: "file"; mode: number; uid: number; gid: number; content?: Buffer; digest?: string }
  | { type: "dir"; mode: number; uid: number; gid: number }
  | { type: "symlink"; target: string; uid: number; gid: number; toDir?: boolean }
  | { type: "other"; mode: number; uid: number; gid: number };

/** The verdict for one action: what it would do, what differs, and for file writes the new bytes. */
export interface Verdict {
  /** kept: a file the user changed (or foyer never wrote) is left as it is; changes[0] says why */
  state: "create" | "update" | "unchanged" | "kept" | "run" | "conflict";
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
      return a.preserveEdits ? compareDotfile(a.content, a.mode, st, owner, a.preserveEdits.since) : compareFile(a.content, a.mode, st, owner);
    case "merge-json": {
      if (st.type === "file" && st.content === undefined && st.digest?.startsWith("too-large:")) {
        const why = `too large to merge (${st.digest.slice("too-large:".length)} bytes)`;
        return a.userDir ? kept(why) : conflict(`${a.path} is ${why}`);
      }
      if (st.type === "file" && st.content) {
        const parsed = parseJsonSettings(st.content.toString("utf8"));
        if (!parsed.ok) return a.userDir ? kept(`not valid JSON (${parsed.error}): left as the user wrote it`) : conflict(`${a.path} is not valid JSON (${parsed.error}); not merging into it`);
        return compareFile(formatJson(mergeJson(parsed.value, united(parsed.value, a.patch, a.unionBy))), a.mode, st, owner);
      }
      return compareFile(formatJson(a.patch), a.mode, st, owner);
    }
    case "ensure-dir":
      if (st.type === "missing") return { state: "create", changes: [`mode ${octal(a.mode)}`] };
      if (a.keepExisting && (st.type === "dir" || (st.type === "symlink" && st.toDir))) return verdict([]);
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
    case "generate-file":
      // generated state is never overwritten: whatever is there is kept (the executor still adds a
      // missing public key of a key pair)
      if (st.type === "missing") return { state: "create", changes: [`generated ${a.generator}`, `mode ${octal(a.mode)}`] };
      if (st.type === "dir") return conflict(`${a.path} is a directory; cannot keep generated state there`);
      return verdict([]);
  }
}

function compareFile(content: string, mode: number, st: FileState, owner: OwnerIds | undefined): Verdict {
  if (st.type === "missing") return { state: "create", changes: [`mode ${octal(mode)}`], content };
  if (st.type === "dir") return { ...conflict("it is a directory; not replacing it with a file"), content };
  if (st.type !== "file") return { state: "update", changes: [`replace ${st.type}`], content };
  // observe keeps only a digest of files whose old content must not be shown (see observe.ts)
  const same = st.content !== undefined ? st.content.equals(Buffer.from(content, "utf8")) : st.digest !== undefined && st.digest === contentDigest(content);
  return { ...verdict([...(same ? [] : ["content"]), ...modeChange(st.mode, mode), ...ownerChange(st, owner)]), content };
}

/**
 * A dotfile: created when missing, left alone when it already says the same, replaced when it still
 * holds the bytes foyer wrote last (`since`); anything else is the user's (edited, or there before
 * foyer) and is kept. A link is never followed nor replaced: it is the user's too.
 */
function compareDotfile(content: string, mode: number, st: FileState, owner: OwnerIds | undefined, since: string | undefined): Verdict {
  if (st.type === "missing") return compareFile(content, mode, st, owner);
  if (st.type !== "file") return kept(`a ${st.type === "symlink" ? "symbolic link" : st.type === "dir" ? "directory" : "special file"} is there`);
  const have = st.content !== undefined ? contentDigest(st.content) : st.digest;
  if (have === contentDigest(content)) return { state: "unchanged", changes: [], content };
  if (since === undefined) return kept("it was there before foyer wrote it");
  if (have !== since) return kept("changed since foyer wrote it");
  return compareFile(content, mode, st, owner);
}

/**
 * The patch with each `unionBy` array holding the file's entries first, as they are (a favorite the
 * user hid or renamed stays so), then the patch's entries whose id is not there yet.
 */
function united(base: unknown, patch: Record<string, unknown>, unionBy: Record<string, string> | undefined): Record<string, unknown> {
  if (!unionBy || typeof base !== "object" || base === null || Array.isArray(base)) return patch;
  const out = { ...patch };
  for (const [key, idField] of Object.entries(unionBy)) {
    const have = (base as Record<string, unknown>)[key];
    const want = patch[key];
    if (!Array.isArray(have) || !Array.isArray(want)) continue;
    const idOf = (e: unknown) => (typeof e === "object" && e !== null ? JSON.stringify((e as Record<string, unknown>)[idField]) : JSON.stringify(e));
    const ids = new Set(have.map(idOf));
    out[key] = [...have, ...want.filter((e) => !ids.has(idOf(e)))];
  }
  return out;
}

function kept(why: string): Verdict {
  return { state: "kept", changes: [why] };
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
