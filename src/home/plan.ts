// Planning homes (pure): each account's home, the static dirs and dotfiles in it, JupyterLab
// favorites, and the record of what foyer wrote there. Everything inside a home is `userDir`: the
// user may have put a link or anything else anywhere in it, and that skips only that one action.
//
// The record (`.foyer-home.json` in the home, owned by foyer's own uid) maps each dotfile's path
// in the home to the SHA-256 of the bytes foyer last wrote there. A dotfile is replaced only while
// it still holds those bytes; any other content is the user's and is kept (the plan says so). The
// record is trusted only when foyer's uid owns it (facts.ts): a user can delete or replace it but
// cannot make one foyer trusts, and even a forged record names only dotfiles of the spec, whose
// writes go beneath the home without following links: the worst it could do is replace the user's
// own dotfile with the spec's.
import { posix } from "node:path";
import type { ConfigIssue } from "../errors.js";
import type { Action } from "../plan/action.js";
import { contentDigest } from "../plan/compare.js";
import type { TemplateEngine } from "../render/index.js";
import type { Dotfile, HomeSpec } from "./schema.js";
import { planVenv, type VenvFacts } from "./venv.js";

/** The record's name in each home. */
export const RECORD_NAME = ".foyer-home.json";
/** Where @jlab-enhanced/favorites keeps a user's settings, relative to the home. */
export const FAVORITES_SETTINGS = ".jupyter/lab/user-settings/@jlab-enhanced/favorites/favorites.jupyterlab-settings";
/** The settings id of the favorites plugin in overrides.json. */
export const FAVORITES_PLUGIN = "@jlab-enhanced/favorites:favorites";

/** A dotfile's state on disk before planning: its digest, missing, or something that is not a regular file (a link). */
export type DotfileNow = { type: "missing" } | { type: "file"; digest: string } | { type: "other" };

/** What was read before planning (facts.ts). */
export interface HomeFacts {
  /** image files (templateFile, file, skel entries) by absolute path */
  files: ReadonlyMap<string, { ok: true; content: string } | { ok: false; error: string }>;
  /** the regular files of `skel`, as paths relative to it */
  skel: readonly string[];
  /** home → its trusted record (absent: none, or one foyer does not trust) */
  records: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** absolute dotfile path → its state now */
  now: ReadonlyMap<string, DotfileNow>;
  /** why `skel` could not be listed (a typo in the path is an issue, not silently no dotfiles) */
  skelProblem?: string;
  /** existing home → its owner's uid (a volume mounted root-owned is worth a warning) */
  homeOwners?: ReadonlyMap<string, number>;
  /** `home.venv`: the base Python, and per home the version its venv was made with */
  venv?: { python: VenvFacts["python"]; builtWith: ReadonlyMap<string, string>; requirements?: string };
}

export interface HomePlanInput {
  home: HomeSpec;
  /** the accounts that get a home (names; owners resolve through src/identity later) */
  users: readonly string[];
  engine: TemplateEngine;
  facts: HomeFacts;
  /** foyer's own uid: the record's owner */
  selfUid: number;
  /** the environment (a venv's pip gets its proxy and index variables) */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Each home's path. */
export function homePath(root: string, user: string): string {
  return root === "/" ? `/${user}` : `${root}/${user}`;
}

/** The dotfiles every home gets: skel files first, the spec's dotfiles over them (same name: the spec's). */
export function dotfileSources(home: HomeSpec, skel: readonly string[]): Map<string, Dotfile & { origin: string }> {
  const out = new Map<string, Dotfile & { origin: string }>();
  if (home.skel) for (const rel of skel) out.set(rel, { file: posix.join(home.skel, rel), origin: `home.skel (${rel})` });
  for (const [rel, d] of Object.entries(home.dotfiles)) out.set(rel, { ...d, origin: `home.dotfiles[${JSON.stringify(rel)}]` });
  return out;
}

export function planHomes(input: HomePlanInput): { actions: Action[]; issues: ConfigIssue[] } {
  const { home, facts } = input;
  const actions: Action[] = [];
  const issues: ConfigIssue[] = [];
  const sources = dotfileSources(home, facts.skel);
  if (facts.skelProblem && input.users.length) issues.push({ path: "home.skel", message: facts.skelProblem });
  for (const user of [...new Set(input.users)]) {
    const dir = homePath(home.root, user);
    const made = new Set<string>();
    const inside = (rel: string) => `${dir}/${rel}`;
    actions.push({
      kind: "ensure-dir",
      path: dir,
      reason: `home of ${user}`,
      source: "home",
      mode: home.mode,
      owner: user,
      ...(home.existing === "keep" ? { keepExisting: true } : {}),
    });
    if (home.existing === "recursive") actions.push({ kind: "chown", path: dir, reason: `home of ${user} (existing: recursive)`, source: "home.existing", owner: user, recursive: true });
    // a missing directory on the way is the user's, made as `mkdir -p` would as that user
    const ensureParents = (rel: string, source: string) => {
      const parts = rel.split("/");
      for (let i = 1; i < parts.length; i++) ensureDir(parts.slice(0, i).join("/"), 0o755, source);
    };
    const ensureDir = (rel: string, mode: number, source: string) => {
      if (made.has(rel)) return;
      ensureParents(rel, source);
      made.add(rel);
      actions.push({ kind: "ensure-dir", path: inside(rel), reason: `${source} for ${user}`, source, mode, owner: user, keepExisting: true, userDir: true });
    };
    home.dirs.forEach((d, i) => (typeof d === "string" ? ensureDir(d, 0o755, `home.dirs[${i}]`) : ensureDir(d.path, d.mode, `home.dirs[${i}]`)));

    const recorded = facts.records.get(dir) ?? {};
    const record: Record<string, string> = {};
    for (const [rel, src] of sources) {
      const body = dotfileBody(src, rel, { user, home: dir }, input.engine, facts);
      issues.push(...body.issues);
      if (body.text === undefined) continue;
      ensureParents(rel, src.origin);
      const path = inside(rel);
      const secret = body.secretsUsed.length > 0;
      actions.push({
        kind: "write-file",
        path,
        reason: `${src.origin} for ${user}`,
        source: src.origin,
        content: body.text,
        mode: src.mode ?? (secret ? 0o600 : 0o644),
        owner: user,
        secret,
        format: src.file ? "file" : src.content !== undefined ? "content" : "template",
        preserveEdits: recorded[rel] === undefined ? {} : { since: recorded[rel] },
        userDir: true,
      });
      const entry = nextRecordEntry(contentDigest(body.text), facts.now.get(path) ?? { type: "missing" }, recorded[rel]);
      if (entry !== undefined) record[rel] = entry;
    }
    if (sources.size > 0) {
      actions.push({
        kind: "write-file",
        path: inside(RECORD_NAME),
        reason: `what foyer wrote in the home of ${user} (dotfiles are updated only while they still hold it)`,
        source: "home.dotfiles",
        content: JSON.stringify({ written: sortedKeys(record) }, null, 2) + "\n",
        // hashes of files that may hold a secret: nobody else needs to read them
        mode: 0o600,
        owner: String(input.selfUid),
        secret: false,
        format: "record",
        userDir: true,
      });
    }
    if (home.jupyterlabFavorites.length > 0 && !home.favoritesOverrides) {
      ensureParents(FAVORITES_SETTINGS, "home.jupyterlabFavorites");
      actions.push({
        kind: "merge-json",
        path: inside(FAVORITES_SETTINGS),
        reason: `JupyterLab favorites for ${user} (the user's own entries are kept)`,
        source: "home.jupyterlabFavorites",
        patch: { favorites: home.jupyterlabFavorites },
        unionBy: { favorites: "path" },
        mode: 0o644,
        owner: user,
        secret: false,
        userDir: true,
      });
    }
    if (home.venv && facts.venv) {
      const builtWith = facts.venv.builtWith.get(dir);
      const vf: VenvFacts = { python: facts.venv.python, ...(builtWith ? { builtWith } : {}), ...(facts.venv.requirements !== undefined ? { requirements: facts.venv.requirements } : {}) };
      actions.push(...planVenv(home.venv, user, dir, vf, input.env ?? {}));
    }
  }
  if (home.venv && facts.venv && !facts.venv.python.ok) issues.push({ path: "home.venv.python", message: `cannot use ${home.venv.python}: ${facts.venv.python.error}` });
  if (home.venv?.requirements && facts.venv?.requirements === undefined) issues.push({ path: "home.venv.requirements", message: `cannot read ${home.venv.requirements}` });
  if (home.jupyterlabFavorites.length > 0 && home.favoritesOverrides) {
    actions.push({
      kind: "merge-json",
      path: home.favoritesOverrides,
      reason: "JupyterLab favorites for everybody (site defaults; a user's own list replaces them)",
      source: "home.favoritesOverrides",
      patch: { [FAVORITES_PLUGIN]: { favorites: home.jupyterlabFavorites } },
      mode: 0o644,
      secret: false,
    });
  }
  return { actions, issues };
}

/**
 * What the record says after this apply: the new bytes for a dotfile foyer creates, finds already
 * right, or replaces (it still holds what foyer wrote); the old entry for one it keeps. If the user
 * edits the file between plan and apply, the executor keeps it anyway (preserveEdits) and the
 * record's entry then differs from the file: it is kept again next time. The record errs only
 * towards keeping.
 */
function nextRecordEntry(want: string, now: { type: string; digest?: string }, recorded: string | undefined): string | undefined {
  if (now.type === "missing") return want;
  if (now.type === "file" && (now.digest === want || now.digest === recorded)) return want;
  return recorded;
}

function dotfileBody(
  d: Dotfile & { origin: string },
  rel: string,
  vars: { user: string; home: string },
  engine: TemplateEngine,
  facts: HomeFacts,
): { text?: string; issues: ConfigIssue[]; secretsUsed: string[] } {
  if (d.content !== undefined) return { text: d.content, issues: [], secretsUsed: [] };
  if (d.template !== undefined) return engine.render(d.template, `home.dotfiles[${JSON.stringify(rel)}].template`, undefined, vars);
  const path = (d.templateFile ?? d.file)!;
  const read = facts.files.get(path);
  const place = d.file && d.origin.startsWith("home.skel") ? "home.skel" : `home.dotfiles[${JSON.stringify(rel)}].${d.templateFile ? "templateFile" : "file"}`;
  if (!read || !read.ok) return { issues: [{ path: place, message: `cannot read ${path}: ${read ? read.error : "it was not read before planning"}` }], secretsUsed: [] };
  if (d.file) return { text: read.content, issues: [], secretsUsed: [] };
  return engine.render(read.content, place, path, vars);
}

function sortedKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
