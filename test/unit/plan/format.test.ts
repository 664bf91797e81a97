import { describe, expect, test } from "vitest";
import { compareAction, formatPlan, planInit, planJson, type Action, type FileState, type Observed } from "../../../src/plan/index.js";
import { Redactor } from "../../../src/log/index.js";
import { SpecSchema } from "../../../src/spec/schema.js";

const SECRET = 'pg"pa55\\word\nline2';
const redactor = new Redactor();
redactor.add("db", SECRET);

const { actions, issues } = planInit({
  spec: SpecSchema.parse({
    secrets: { db: { env: "DB" } },
    config: { dir: "/etc/rstudio", server: { "rserver.conf": { "www-port": 8787, "auth-none": 0 } }, secret: { "database.conf": "password={{secret 'db'}}\n" } },
    files: [{ path: "/etc/app.json", template: '{"pw": "{{secret "db"}}"}' }],
  }),
  secrets: new Map([["db", SECRET]]),
  env: {},
});

const file = (content: string, mode = 0o644): FileState => ({ type: "file", mode, uid: 0, gid: 0, content: Buffer.from(content) });

describe("plan printing", () => {
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
        ["/etc/rstudio/rserver.conf", file("www-port=8080\nauth-none=0\n", 0o600)],
        ["/etc/rstudio/database.conf", file(`password=${SECRET}\n`, 0o600)],
      ]),
      owners: new Map(),
    };
    const text = formatPlan(actions, redactor, observed);
    expect(text).toContain("= ensure-dir /etc/rstudio: unchanged\n");
    expect(text).toContain("~ write-file /etc/rstudio/rserver.conf: update: +1 -1 lines, mode 0600 → 0644\n");
    expect(text).toContain("    - www-port=8080\n    + www-port=8787\n");
    expect(text).toContain("= write-file /etc/rstudio/database.conf: unchanged");
    expect(text).toContain("+ write-file /etc/app.json: create: 2 lines, mode 0600, secret");
    expect(text).not.toContain("pa55");
    expect(text.trimEnd().split("\n").at(-1)).toBe("4 actions (2 unchanged, 1 update, 1 create)");
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
