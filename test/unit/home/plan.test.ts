// planHomes (pure) and the verdicts of its actions: what a home gets, what the record says next,
// and when a dotfile is kept.
import { describe, expect, it } from "vitest";
import { homePathWarnings } from "../../../src/home/checks.js";
import { planHomes, type HomeFacts } from "../../../src/home/plan.js";
import { filesDatabase } from "../../../src/identity/index.js";
import { SpecSchema } from "../../../src/spec/schema.js";
import { HomeSchema } from "../../../src/home/schema.js";
import { compareAction, contentDigest } from "../../../src/plan/compare.js";
import type { Action } from "../../../src/plan/action.js";
import { createTemplateEngine } from "../../../src/render/index.js";

const engine = createTemplateEngine({ env: { SITE: "lab" }, secrets: new Map() });
const noFacts: HomeFacts = { files: new Map(), skel: [], records: new Map(), now: new Map() };

function plan(home: unknown, facts: Partial<HomeFacts> = {}, users = ["ada"]) {
  return planHomes({ home: HomeSchema.parse(home), users, engine, facts: { ...noFacts, ...facts }, selfUid: 0 });
}
const byPath = (actions: Action[], suffix: string) => actions.find((a) => a.path.endsWith(suffix))!;
const file = (content: string) => ({ type: "file" as const, mode: 0o644, uid: 1000, gid: 1000, content: Buffer.from(content) });

describe("planHomes", () => {
  it("a home per user, 0700 and theirs; parents of dotfiles and dirs made once, each the user's, kept when they exist", () => {
    const { actions, issues } = plan({ users: ["ada"], dirs: [".jupyter/runtime"], dotfiles: { ".jupyter/jupyter_server_config.py": { content: "c = 1\n" } } }, {}, ["ada", "bob"]);
    expect(issues).toEqual([]);
    const ada = actions.filter((a) => a.path.startsWith("/home/ada"));
    expect(ada.map((a) => `${a.kind} ${a.path}`)).toEqual([
      "ensure-dir /home/ada",
      "ensure-dir /home/ada/.jupyter",
      "ensure-dir /home/ada/.jupyter/runtime",
      "write-file /home/ada/.jupyter/jupyter_server_config.py",
      "write-file /home/ada/.foyer-home.json",
    ]);
    expect(ada[0]).toMatchObject({ mode: 0o700, owner: "ada", keepExisting: true });
    expect(ada[1]).toMatchObject({ owner: "ada", userDir: true, keepExisting: true });
    expect(actions.filter((a) => a.path.startsWith("/home/bob"))).toHaveLength(5);
  });

  it("templates see user, home and env", () => {
    const { actions } = plan({ dotfiles: { ".profile": { template: "{{user}} {{home}} {{env 'SITE'}}" } } });
    expect(byPath(actions, ".profile")).toMatchObject({ content: "ada /home/ada lab" });
  });

  it("the record: new bytes for created, equal and still-foyer's files; the old entry for files it keeps", () => {
    const d = { ".a": { content: "A2" }, ".b": { content: "B2" }, ".c": { content: "C2" }, ".d": { content: "D2" } };
    const facts: Partial<HomeFacts> = {
      records: new Map([["/home/ada", { ".b": contentDigest("B1"), ".c": contentDigest("C1") }]]),
      now: new Map([
        ["/home/ada/.a", { type: "missing" as const }],
        ["/home/ada/.b", { type: "file" as const, digest: contentDigest("B1") }], // foyer's: updated
        ["/home/ada/.c", { type: "file" as const, digest: contentDigest("edited") }], // edited: kept
        ["/home/ada/.d", { type: "file" as const, digest: contentDigest("theirs") }], // not foyer's: kept, not recorded
      ]),
    };
    const { actions } = plan({ dotfiles: d }, facts);
    const record = JSON.parse((byPath(actions, ".foyer-home.json") as { content: string }).content) as { written: Record<string, string> };
    expect(record.written).toEqual({ ".a": contentDigest("A2"), ".b": contentDigest("B2"), ".c": contentDigest("C1") });
    expect(byPath(actions, "/.b")).toMatchObject({ preserveEdits: { since: contentDigest("B1") } });
    expect(byPath(actions, "/.a")).toMatchObject({ preserveEdits: {} });
  });

  it("an unreadable image file is an issue naming the dotfile", () => {
    const { issues } = plan({ dotfiles: { ".vimrc": { file: "/nope/vimrc" } } }, { files: new Map([["/nope/vimrc", { ok: false, error: "no such file" }]]) });
    expect(issues).toEqual([{ path: 'home.dotfiles[".vimrc"].file', message: "cannot read /nope/vimrc: no such file" }]);
  });

  it("paths that leave the home are refused by the schema", () => {
    for (const bad of ["../x", "/etc/x", "a//b", "./a"]) expect(HomeSchema.safeParse({ dotfiles: { [bad]: { content: "" } } }).success, bad).toBe(false);
    expect(HomeSchema.safeParse({ dirs: ["a/../../etc"] }).success).toBe(false);
  });
});

describe("verdicts of home actions", () => {
  const dot = (since?: string): Action => ({ kind: "write-file", path: "/home/ada/.x", reason: "r", content: "new\n", mode: 0o644, secret: false, preserveEdits: since ? { since } : {}, userDir: true });
  it("a dotfile is created when missing, unchanged when equal, replaced only while it holds what foyer wrote", () => {
    expect(compareAction(dot(), { type: "missing" }, undefined).state).toBe("create");
    expect(compareAction(dot(), file("new\n"), undefined).state).toBe("unchanged");
    expect(compareAction(dot(contentDigest("old\n")), file("old\n"), undefined).state).toBe("update");
    expect(compareAction(dot(contentDigest("old\n")), file("edited\n"), undefined)).toEqual({ state: "kept", changes: ["changed since foyer wrote it"] });
    expect(compareAction(dot(), file("theirs\n"), undefined)).toEqual({ state: "kept", changes: ["it was there before foyer wrote it"] });
    expect(compareAction(dot(contentDigest("old\n")), { type: "symlink", target: "/etc/shadow", uid: 1000, gid: 1000 }, undefined).state).toBe("kept");
    expect(compareAction(dot(), { type: "other", mode: 0o644, uid: 1000, gid: 1000 }, undefined).state).toBe("kept");
  });

  it("favorites: the file's entries first, as they are; the spec's appended when their path is new", () => {
    const a: Action = { kind: "merge-json", path: "/h/f", reason: "r", patch: { favorites: [{ path: "a", default: true }, { path: "b", default: true }] }, unionBy: { favorites: "path" }, mode: 0o644, secret: false };
    const v = compareAction(a, file('{ // c\n "favorites": [{"path": "mine"}, {"path": "a", "hidden": true},], "x": 1 }'), undefined);
    expect(JSON.parse(v.content!)).toEqual({ favorites: [{ path: "mine" }, { path: "a", hidden: true }, { path: "b", default: true }], x: 1 });
  });

  it("an existing home is kept as it is (keepExisting), a new one made", () => {
    const a: Action = { kind: "ensure-dir", path: "/home/ada", reason: "r", mode: 0o700, owner: "ada", keepExisting: true };
    expect(compareAction(a, { type: "dir", mode: 0o755, uid: 0, gid: 0 }, { uid: 1000, gid: 1000 }).state).toBe("unchanged");
    expect(compareAction({ ...a, keepExisting: false }, { type: "dir", mode: 0o755, uid: 0, gid: 0 }, { uid: 1000, gid: 1000 }).state).toBe("update");
  });
});

describe("home.venv", () => {
  const venvFacts = (builtWith?: string) => ({
    venv: { python: { ok: true as const, version: "3.11.7" }, builtWith: new Map(builtWith ? [["/home/ada", builtWith]] : []), requirements: "pandas==2.2\n" },
  });
  const venvActions = (v: unknown, facts: Partial<HomeFacts>, env: Record<string, string> = {}) =>
    planHomes({ home: HomeSchema.parse({ venv: v }), users: ["ada"], engine, facts: { ...noFacts, ...facts }, selfUid: 0, env }).actions.filter((a) => a.kind === "run-command-as-user");

  it("made as the user once (pyvenv.cfg), packages once per requirements text, the kernel once", () => {
    const acts = venvActions({ systemSitePackages: true, requirements: "/opt/req.txt", kernel: { name: "Base", displayName: "Python (base)" } }, venvFacts(), { PIP_INDEX_URL: "https://pypi.example/simple", AWS_SECRET_ACCESS_KEY: "nope-not-for-pip" });
    expect(acts.map((a) => a.kind === "run-command-as-user" && [a.user, a.argv.join(" "), a.creates])).toEqual([
      ["ada", "python3 -m venv --system-site-packages /home/ada/.venv", "/home/ada/.venv/pyvenv.cfg"],
      ["ada", expect.stringMatching(/^sh -c .* sh \/home\/ada\/\.venv\/\.foyer-installed-[0-9a-f]{16} \/home\/ada\/\.venv\/bin\/python -m pip install --disable-pip-version-check -r \/opt\/req\.txt$/), expect.stringMatching(/\.foyer-installed-/)],
      ["ada", "/home/ada/.venv/bin/python -m ipykernel install --user --name Base --display-name Python (base)", "/home/ada/.local/share/jupyter/kernels/base/kernel.json"],
    ]);
    expect(acts[1]).toMatchObject({ env: { PIP_INDEX_URL: "https://pypi.example/simple" } });
    expect((acts[1] as { env: Record<string, string> }).env).not.toHaveProperty("AWS_SECRET_ACCESS_KEY");
  });

  it("a new requirements text is a new stamp (installed again); the same one is not", () => {
    const stamp = (req: string) => (venvActions({ requirements: "/opt/req.txt" }, { venv: { ...venvFacts().venv, requirements: req } })[1] as { creates: string }).creates;
    expect(stamp("a\n")).toBe(stamp("a\n"));
    expect(stamp("a\n")).not.toBe(stamp("b\n"));
  });

  it("rebuilt with --clear (no creates) when the base Python's major.minor changed; a patch release is not a change", () => {
    expect((venvActions({}, venvFacts("3.10.4"))[0] as { argv: string[]; creates?: string }).argv).toContain("--clear");
    expect(venvActions({}, venvFacts("3.10.4"))[0]).not.toHaveProperty("creates");
    expect((venvActions({}, venvFacts("3.11.2"))[0] as { argv: string[] }).argv).not.toContain("--clear");
  });

  it("a base Python that cannot run is an issue naming home.venv.python", () => {
    const r = planHomes({ home: HomeSchema.parse({ venv: { python: "/nope/python" } }), users: ["ada"], engine, facts: { ...noFacts, venv: { python: { ok: false, error: "spawnSync /nope/python ENOENT" }, builtWith: new Map() } }, selfUid: 0 });
    expect(r.issues).toEqual([{ path: "home.venv.python", message: "cannot use /nope/python: spawnSync /nope/python ENOENT" }]);
  });
});

describe("homePathWarnings", () => {
  it("an account whose database home is elsewhere is named; a matching one or one made later is not", () => {
    const db = filesDatabase("ada:x:1000:1000::/home/ada:/bin/bash\nbob:x:1001:1001::/mnt/homes/bob:/bin/bash\n", "");
    const spec = SpecSchema.parse({ home: { users: ["ada", "bob", "cy"] } });
    expect(homePathWarnings(spec, db)).toEqual([
      "home.users: bob's home in the user database is /mnt/homes/bob, not /home/bob: the shell, Workbench and Jupyter use /mnt/homes/bob (set home.root, or fix the account)",
    ]);
  });
});

describe("home owner warning", () => {
  it("an existing home kept as it is but owned by someone else (a root-owned volume) is named, unless existing: owner", () => {
    const db = filesDatabase("ada:x:1000:1000::/home/ada:/bin/bash\n", "");
    const owners = new Map([["/home/ada", 0]]);
    expect(homePathWarnings(SpecSchema.parse({ home: { users: ["ada"] } }), db, undefined, owners)).toEqual([
      "home.existing: /home/ada belongs to uid 0, not ada (1000), and is kept as it is: set home.existing: owner (or CHOWN_HOME=yes) if ada must write in it",
    ]);
    expect(homePathWarnings(SpecSchema.parse({ home: { users: ["ada"], existing: "owner" } }), db, undefined, owners)).toEqual([]);
    expect(homePathWarnings(SpecSchema.parse({ home: { users: ["ada"] } }), db, undefined, new Map([["/home/ada", 1000]]))).toEqual([]);
  });
});
