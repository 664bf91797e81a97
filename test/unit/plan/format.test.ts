import { filesDatabase } from "../../../src/identity/index.js";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compareAction, formatPlan, observe, planInit, planJson, renderTo, type Action, type FileState, type Observed } from "../../../src/plan/index.js";
import { Redactor } from "../../../src/log/index.js";
import { SpecSchema } from "../../../src/spec/schema.js";

const SECRET = 'pg"pa55\\word\nline2';
const redactor = new Redactor();
redactor.add("db", SECRET);

const { actions, issues } = planInit({
  spec: SpecSchema.parse({
    secrets: { db: { env: "DB" } },
    // database.conf in server: (secret because its template uses one): its preview is shown redacted
    config: { dir: "/etc/rstudio", server: { "rserver.conf": { "www-port": 8787, "auth-none": 0 }, "database.conf": "password={{secret 'db'}}\n" } },
    files: [{ path: "/etc/app.json", template: '{"pw": "{{secret "db"}}"}' }],
  }),
  secrets: new Map([["db", SECRET]]),
  env: {},
});

const file = (content: string, mode = 0o644): FileState => ({ type: "file", mode, uid: 0, gid: 0, content: Buffer.from(content) });

describe("plan printing", () => {
  test("a files: entry with hidden: true is never shown (a plain password), and is 0600", () => {
    const plain = planInit({ spec: SpecSchema.parse({ files: [{ path: "/etc/sssd/conf.d/bind.conf", content: "ldap_default_authtok = plain-Bind-pw\n", hidden: true }] }), secrets: new Map(), env: {} });
    const printed = formatPlan(plain.actions, new Redactor()) + planJson(plain.actions, new Redactor());
    expect(printed).not.toContain("plain-Bind-pw");
    expect(printed).toContain("<content not shown: the whole file is secret>");
    expect(plain.actions[0]).toMatchObject({ mode: 0o600, secret: true, hidden: true });
  });

  test("edit-accounts shows each edit, in order, as the command it stands for", () => {
    const edits: Action[] = [{ kind: "edit-accounts", path: "/etc", reason: "NB_USER", edits: [{ op: "rename-user", from: "jovyan", to: "ada", home: "/home/ada" }, { op: "add-group", name: "lab", gid: 2345 }] }];
    expect(formatPlan(edits, new Redactor())).toContain("edit-accounts /etc: rename user jovyan to ada, home /home/ada; group lab gid 2345 (unless it exists)");
  });

  test("a file of a secret section (plain values the Redactor does not know) is never shown: not in the preview, not in --json", () => {
    const plain = planInit({
      spec: SpecSchema.parse({ config: { dir: "/etc/rstudio", secret: { "database.conf": { password: "plaintext-Pass" } }, sessionSecret: { "odbc.ini": "[db]\nPWD=odbc-Plain-pw\n" } } }),
      secrets: new Map(),
      env: {},
    });
    const printed = formatPlan(plain.actions, new Redactor()) + planJson(plain.actions, new Redactor());
    for (const value of ["plaintext-Pass", "odbc-Plain-pw"]) expect(printed).not.toContain(value);
    expect(printed).toContain("<content not shown: the whole file is secret>");
    const out = mkdtempSync(join(tmpdir(), "foyer-hidden-"));
    renderTo(plain.actions, join(out, "r"), { redactor: new Redactor() });
    expect(readFileSync(join(out, "r/etc/rstudio/database.conf"), "utf8")).toBe("<content not shown: the whole file is secret>\n");
  });

  test("the planned actions exist and the plan has no issues", () => {
    expect(issues).toEqual([]);
    expect(actions.map((a) => a.kind)).toEqual(["ensure-dir", "write-file", "write-file", "write-file"]);
  });

  test("--json is exactly the actions array, with every secret value replaced by <secret:NAME>", () => {
    const json = planJson(actions, redactor);
    expect(json).not.toContain("pa55");
    const parsed = JSON.parse(json) as Action[];
    expect(parsed).toHaveLength(actions.length);
    expect(parsed.map((a) => a.kind)).toEqual(actions.map((a) => a.kind));
    expect(parsed[2]).toMatchObject({ path: "/etc/rstudio/database.conf", content: "password=<secret:db>\n", secret: true, mode: 0o600 });
    expect(parsed[3]).toMatchObject({ content: '{"pw": "<secret:db>"}' });
  });

  test("without observed state: one line per action with its reason and a short preview", () => {
    const text = formatPlan(actions, redactor);
    expect(text).not.toContain("pa55");
    expect(text).toContain("• write-file /etc/rstudio/rserver.conf: 2 lines, mode 0644\n    why: config file from config.server.rserver.conf\n    | www-port=8787\n    | auth-none=0\n");
    expect(text).toContain("• write-file /etc/rstudio/database.conf: 2 lines, mode 0600, secret");
    expect(text).toContain("| password=<secret:db>");
    expect(text.trimEnd().split("\n").at(-1)).toBe("4 actions (4 planned)");
  });

  test("with observed state: unchanged, updated (diff summary, mode change) and created are told apart", () => {
    const observed: Observed = {
      paths: new Map<string, FileState>([
        ["/etc/rstudio", { type: "dir", mode: 0o755, uid: 0, gid: 0 }],
        ["/etc/rstudio/rserver.conf", file("www-port=8080\nauth-none=0\n", 0o664)],
        ["/etc/rstudio/database.conf", file(`password=${SECRET}\n`, 0o600)],
      ]),
      owners: new Map(),
    };
    const text = formatPlan(actions, redactor, observed);
    expect(text).toContain("= ensure-dir /etc/rstudio: unchanged\n");
    expect(text).toContain("~ write-file /etc/rstudio/rserver.conf: update: +1 -1 lines, mode 0664 → 0644\n");
    expect(text).toContain("    - www-port=8080\n    + www-port=8787\n");
    expect(text).toContain("= write-file /etc/rstudio/database.conf: unchanged");
    expect(text).toContain("+ write-file /etc/app.json: create: 2 lines, mode 0600, secret");
    expect(text).not.toContain("pa55");
    expect(text.trimEnd().split("\n").at(-1)).toBe("4 actions (2 unchanged, 1 update, 1 create)");
  });
});

describe("old content is shown only when anyone may read it", () => {
  const OLD = "OLD-pa55word-0f9e8d";
  const write = (path: string, content: string, secret: boolean): Action => ({ kind: "write-file", path, reason: "t", content, mode: secret ? 0o600 : 0o644, secret });
  const plan = (a: Action, before: FileState) => formatPlan([a], redactor, { paths: new Map([[a.path, before]]), owners: new Map() });

  test("a secret file's previous value: 'content changed', no diff (the Redactor knows only the current value)", () => {
    const text = plan(write("/etc/rstudio/database.conf", "password=new-value-123\n", true), file(`password=${OLD}\n`, 0o644));
    expect(text).toContain("~ write-file /etc/rstudio/database.conf: update: content changed, mode 0644 → 0600, secret\n");
    expect(text).not.toContain(OLD);
    expect(text).not.toContain("password=");
  });

  test("a file that is not world-readable (/etc/shadow): 'content changed', none of its lines", () => {
    for (const mode of [0o640, 0o600, 0o000, 0o660]) {
      const text = plan(write("/etc/shadow", "root:*:1::::::\n", false), file("root:$6$salt$hash:19000:0:99999:7:::\ndaemon:*:19000::::::\n", mode));
      expect(text, mode.toString(8)).toMatch(/update: content changed/);
      expect(text).not.toMatch(/\$6\$|daemon|root:/);
    }
  });

  test("merge-json into a file that is not world-readable shows neither the old nor the merged content", () => {
    const a: Action = { kind: "merge-json", path: "/home/u/.jupyter/cfg.json", reason: "t", patch: { theme: "dark" }, mode: 0o600, secret: false };
    const text = plan(a, file(`{"token": "${OLD}"}`, 0o600));
    expect(text).toContain("content changed");
    expect(text).not.toContain(OLD);
    expect(text).not.toContain("theme");
    // world-readable: the diff is shown as before
    expect(plan({ ...a, mode: 0o644 }, file('{"theme": "light"}', 0o644))).toContain('- {"theme": "light"}');
  });

  test("a merge-json target that is not JSON: the conflict message quotes none of it", () => {
    const a: Action = { kind: "merge-json", path: "/etc/shadow", reason: "t", patch: { a: 1 }, mode: 0o644, secret: false };
    const text = plan(a, file("root:$6$salt$hash:19000:0:99999:7:::\n", 0o640));
    expect(text).toContain("cannot apply: /etc/shadow is not valid JSON");
    expect(text).not.toMatch(/root|\$6\$/);
  });

  test("plan --json holds only the planned actions, never the observed old content", () => {
    const json = planJson([write("/etc/rstudio/database.conf", "password=new-value-123\n", true)], redactor);
    expect(json).not.toContain(OLD);
    expect(JSON.parse(json)).toEqual([expect.objectContaining({ content: "password=new-value-123\n" })]);
  });
});

describe("observe", () => {
  const dir = mkdtempSync(join(tmpdir(), "foyer-observe-"));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, "private"), { mode: 0o700 });
  const put = (name: string, content: string, mode: number) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    chmodSync(p, mode);
    return p;
  };
  const users = filesDatabase("", "");

  test("keeps only a digest of a secret or unreadable file's bytes, and still tells unchanged from changed", () => {
    const open = put("open.conf", "a=1\n", 0o644);
    const closed = put("closed.conf", "b=2\n", 0o640);
    const secret = put("secret.conf", "c=3\n", 0o644);
    const inPrivate = put("private/open.conf", "d=4\n", 0o644);
    const actions: Action[] = [
      { kind: "write-file", path: open, reason: "t", content: "a=1\n", mode: 0o644, secret: false },
      { kind: "write-file", path: closed, reason: "t", content: "b=2\n", mode: 0o640, secret: false },
      { kind: "write-file", path: secret, reason: "t", content: "c=4\n", mode: 0o644, secret: true },
      { kind: "write-file", path: inPrivate, reason: "t", content: "d=5\n", mode: 0o644, secret: false },
    ];
    const observed = observe(actions, users);
    const st = (p: string) => observed.paths.get(p) as { content?: Buffer; digest?: string };
    expect(st(open).content?.toString()).toBe("a=1\n");
    // world-readable, but in a directory others cannot enter
    expect(st(inPrivate).content).toBeUndefined();
    expect(observed.unreachable?.has(inPrivate)).toBe(true);
    expect(formatPlan([actions[3]!], redactor, observed)).toMatch(/update: content changed\n/);
    expect(st(closed).content).toBeUndefined();
    expect(st(closed).digest).toMatch(/^[0-9a-f]{64}$/);
    expect(st(secret).content).toBeUndefined();
    expect(compareAction(actions[1]!, observed.paths.get(closed)!, undefined).state).toBe("unchanged");
    expect(compareAction(actions[2]!, observed.paths.get(secret)!, undefined).changes).toEqual(["content"]);
  });
});

describe("compareAction", () => {
  const owner = { uid: 1234, gid: 1234 };
  test("write-file: same bytes/mode/owner is unchanged; each difference is named", () => {
    const a: Action = { kind: "write-file", path: "/f", reason: "t", content: "x\n", mode: 0o640, secret: false, owner: "1234:1234" };
    const mine: FileState = { type: "file", mode: 0o640, uid: 1234, gid: 1234, content: Buffer.from("x\n") };
    expect(compareAction(a, mine, owner).state).toBe("unchanged");
    expect(compareAction(a, file("y\n", 0o600), owner).changes).toEqual(["content", "mode 0600 → 0640", "owner 0:0 → 1234:1234"]);
    expect(compareAction(a, { type: "dir", mode: 0o755, uid: 0, gid: 0 }, owner).state).toBe("conflict");
  });

  test("merge-json merges onto the existing file and is unchanged when the result is identical", () => {
    const a: Action = { kind: "merge-json", path: "/s.json", reason: "t", patch: { b: 2 }, mode: 0o644, secret: false };
    expect(compareAction(a, file('{\n  "a": 1,\n  "b": 2\n}\n'), undefined).state).toBe("unchanged");
    const v = compareAction(a, file('{"a": 1} // comment'), undefined);
    expect(v).toMatchObject({ state: "update", content: '{\n  "a": 1,\n  "b": 2\n}\n' });
    expect(compareAction(a, file("{ broken"), undefined)).toMatchObject({ state: "conflict", problem: expect.stringMatching(/not valid JSON/) });
  });

  test("symlink, chmod, run-command", () => {
    const link: Action = { kind: "symlink", path: "/l", reason: "t", target: "/x" };
    expect(compareAction(link, { type: "symlink", target: "/x", uid: 0, gid: 0 }, undefined).state).toBe("unchanged");
    expect(compareAction(link, { type: "symlink", target: "/y", uid: 0, gid: 0 }, undefined).state).toBe("update");
    const chmod: Action = { kind: "chmod", path: "/c", reason: "t", mode: 0o700 };
    expect(compareAction(chmod, { type: "missing" }, undefined).state).toBe("conflict");
    const run: Action = { kind: "run-command-as-user", path: "/", reason: "t", argv: ["x"], user: "0", env: {}, creates: "/done" };
    expect(compareAction(run, file(""), undefined).state).toBe("unchanged");
    expect(compareAction(run, { type: "missing" }, undefined).state).toBe("run");
  });
});

describe("plan printing of homes", () => {
  const owners = new Map([["ada", { uid: 1000, gid: 1000 }], ["1234:100", { uid: 1234, gid: 100 }]]);
  test("a chown of a directory an earlier action makes (a home copy) is no conflict; a kept dotfile says why", () => {
    const acts: Action[] = [
      { kind: "run-command-as-user", path: "/", reason: "copy", argv: ["cp", "-a", "/home/jovyan", "/home/ada"], user: "0:0", env: {}, creates: "/home/ada", otherwise: { kind: "symlink", path: "/home/ada/jovyan", target: "/home/jovyan", reason: "fallback" } },
      { kind: "chown", path: "/home/ada", reason: "CHOWN_HOME", owner: "1234:100", recursive: false },
      { kind: "write-file", path: "/home/x/.bashrc", reason: "dotfile", content: "new\n", mode: 0o644, owner: "ada", secret: false, preserveEdits: {}, userDir: true },
      { kind: "chown", path: "/nowhere", reason: "typo", owner: "ada", recursive: false },
    ];
    const obs: Observed = { paths: new Map([["/home/x/.bashrc", file("mine\n")]]), owners };
    const text = formatPlan(acts, new Redactor(), obs);
    expect(text).toContain("as 0:0: cp -a /home/jovyan /home/ada, unless /home/ada exists, if it fails: link /home/ada/jovyan → /home/jovyan");
    expect(text).toContain("~ chown /home/ada: update: on what an earlier action makes");
    expect(text).toContain("≠ write-file /home/x/.bashrc: kept: it was there before foyer wrote it");
    expect(text).toContain("✖ chown /nowhere: cannot apply: /nowhere does not exist");
  });
});
