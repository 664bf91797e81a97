// Printing a plan: one line per action with its reason (and, given the observed state, whether it
// would change anything), a short preview or diff for writes, and the `--json` form. Secret values
// never appear: every string passes through the Redactor. The old content of a file is shown (as a
// diff) only when anyone may read it anyway: never for a secret file or a file that is not
// world-readable (the previous password in database.conf, /etc/shadow): those say "content changed".
import { describeEdit } from "../users/edits.js";
import type { Redactor } from "../log/index.js";
import { HIDDEN_CONTENT, octal, type Action } from "./action.js";
import { compareAction, type FileState, type Verdict } from "./compare.js";
import { lineDiff, splitLines } from "./diff.js";
import type { Observed } from "./observe.js";

const PREVIEW_LINES = 4;
const MARK = { create: "+", update: "~", unchanged: "=", kept: "≠", run: "!", conflict: "✖" } as const;

/** Human-readable plan; with `observed`, each action says create/update/unchanged and diffs writes. */
export function formatPlan(actions: readonly Action[], redactor: Redactor, observed?: Observed): string {
  const out: string[] = [];
  const counts = new Map<string, number>();
  const made = new Set<string>(); // paths earlier actions make (a copy's `creates` too)
  for (const a of actions) {
    const before = observed?.paths.get(pathOf(a)) ?? { type: "missing" as const };
    let v = observed ? compareAction(a, before, ownerIds(a, observed)) : undefined;
    // a chown of a home an earlier action makes is no conflict: it acts on what that action made
    if (v?.state === "conflict" && before.type === "missing" && madeBy(made, a.path)) v = { state: "update", changes: ["on what an earlier action makes"] };
    made.add(a.path);
    if (a.kind === "run-command-as-user" && a.creates) made.add(a.creates);
    const state = v?.state ?? "planned";
    counts.set(state, (counts.get(state) ?? 0) + 1);
    out.push(`${v ? MARK[v.state] : "•"} ${a.kind} ${a.path}: ${summary(a, v, observed)}`);
    out.push(`    why: ${a.reason}`);
    for (const line of detail(a, v, observed, redactor)) out.push(`    ${line}`);
  }
  const tally = [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
  out.push(`${plural(actions.length, "action")}${tally ? ` (${tally})` : ""}`);
  // the previews were redacted before being split into lines; this pass catches everything else
  return redactor.redact(out.join("\n")) + "\n";
}


/**
 * `foyer plan --json`: exactly the actions array, with every secret value replaced by <secret:NAME>
 * (strings redacted before serialising, the result once more after). It holds only what the spec
 * asks for, never what is on disk now.
 */
export function planJson(actions: readonly Action[], redactor: Redactor): string {
  // a wholly secret file's values may be plain text in the spec (the charts' `secret:` section):
  // the Redactor does not know them, so the content is not printed at all
  const shown = actions.map((a) => (a.kind === "write-file" && a.hidden ? { ...a, content: HIDDEN_CONTENT } : a));
  return redactor.redact(JSON.stringify(redactor.redactDeep(shown), null, 2)) + "\n";
}

/**
 * Whether a file's old content may be shown: only a non-secret action over a file others can read
 * (world-readable, in directories others can search). Anything else could print a secret's previous
 * value (the Redactor only knows current values) or lines the plan's reader may not read (/etc/shadow).
 */
export function oldContentShown(a: Action, before: FileState | undefined, observed?: Observed): before is FileState & { type: "file"; content: Buffer } {
  if (a.kind !== "write-file" && a.kind !== "merge-json") return false;
  if (a.secret || observed?.unreachable?.has(a.path)) return false;
  return before?.type === "file" && before.content !== undefined && (before.mode & 0o004) !== 0;
}

function madeBy(made: ReadonlySet<string>, path: string): boolean {
  for (let p = path; p.length > 1; p = p.slice(0, p.lastIndexOf("/")) || "/") if (made.has(p)) return true;
  return false;
}

function pathOf(a: Action): string {
  return a.kind === "run-command-as-user" ? (a.creates ?? a.path) : a.path;
}

function ownerIds(a: Action, observed: Observed) {
  const spec = a.kind === "run-command-as-user" ? a.user : "owner" in a ? a.owner : undefined;
  return spec === undefined ? undefined : observed.owners.get(spec);
}

function summary(a: Action, v: Verdict | undefined, observed: Observed | undefined): string {
  if (v?.state === "conflict") return `cannot apply: ${v.problem}`;
  if (v?.state === "kept") return `kept: ${v.changes.join(", ")}`;
  const head = v ? v.state : "";
  const parts: string[] = [];
  if (a.kind === "write-file" || a.kind === "merge-json") {
    const before = observed?.paths.get(a.path);
    const text = v?.content ?? (a.kind === "write-file" ? a.content : undefined);
    if (v?.state === "update" && before?.type === "file" && v.changes.includes("content")) {
      if (text !== undefined && oldContentShown(a, before, observed)) {
        const d = lineDiff(before.content.toString("utf8"), text);
        parts.push(`+${d.added.length} -${d.removed.length} ${d.added.length + d.removed.length === 1 ? "line" : "lines"}`);
      } else parts.push("content changed");
    } else if (text !== undefined && v?.state !== "unchanged") parts.push(plural(splitLines(text).length, "line"));
    parts.push(...(v ? v.changes.filter((c) => c !== "content" && !(v.state === "create" && c.startsWith("mode"))) : []));
    if (!v || v.state === "create") parts.push(`mode ${octal(a.mode)}`);
    if (a.owner && (!v || v.state === "create")) parts.push(`owner ${a.owner}`);
    if (a.secret) parts.push("secret");
  } else if (a.kind === "run-command-as-user") {
    parts.push(`as ${a.user}: ${a.argv.join(" ")}`, ...(a.creates ? [`unless ${a.creates} exists`] : []), ...(a.otherwise ? [`if it fails: link ${a.otherwise.path} → ${a.otherwise.target}`] : []));
  } else if (v?.state !== "unchanged") {
    parts.push(...(v?.changes.length ? v.changes : staticDetails(a)));
  }
  return [head, parts.join(", ")].filter(Boolean).join(head && parts.length ? ": " : "");
}

function staticDetails(a: Action): string[] {
  switch (a.kind) {
    case "ensure-dir":
      return [`mode ${octal(a.mode)}`, ...(a.owner ? [`owner ${a.owner}`] : [])];
    case "symlink":
      return [`→ ${a.target}`];
    case "chown":
      return [`owner ${a.owner}${a.recursive ? " (recursive)" : ""}`];
    case "chmod":
      return [`mode ${octal(a.mode)}`];
    case "edit-accounts":
      return [a.edits.map(describeEdit).join("; ")];
    case "generate-file":
      return [`generated ${a.generator} if missing, never overwritten`, `mode ${octal(a.mode)}`, ...(a.publicPath ? [`public key ${a.publicPath}`] : []), ...(a.owner ? [`owner ${a.owner}`] : [])];
    default:
      return [];
  }
}

/**
 * Preview lines for writes: the changed lines when the old file may be shown, nothing when it may
 * not (a merged JSON file carries the old content too), else the first lines of the new content.
 * Texts are redacted whole, before splitting: a multi-line secret (a PEM key) split across preview
 * lines would no longer match as one value.
 */
function detail(a: Action, v: Verdict | undefined, observed: Observed | undefined, redactor: Redactor): string[] {
  if (a.kind !== "write-file" && a.kind !== "merge-json") return [];
  if (a.kind === "write-file" && a.hidden) return v?.state === "unchanged" || v?.state === "kept" || v?.state === "conflict" ? [] : [HIDDEN_CONTENT];
  if (v?.state === "unchanged" || v?.state === "kept" || v?.state === "conflict") return [];
  const before = observed?.paths.get(a.path);
  if (v?.state === "update" && before?.type === "file" && !oldContentShown(a, before, observed)) return [];
  const text = redactor.redact(v?.content ?? (a.kind === "write-file" ? a.content : JSON.stringify(a.patch)));
  if (v?.state === "update" && oldContentShown(a, before, observed)) {
    const d = lineDiff(redactor.redact(before.content.toString("utf8")), text);
    const lines = [...d.removed.map((l) => `- ${l}`), ...d.added.map((l) => `+ ${l}`)];
    return clip(lines);
  }
  return clip(splitLines(text).map((l) => `| ${l}`));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function clip(lines: string[]): string[] {
  return lines.length > PREVIEW_LINES ? [...lines.slice(0, PREVIEW_LINES), `… ${lines.length - PREVIEW_LINES} more`] : lines;
}
