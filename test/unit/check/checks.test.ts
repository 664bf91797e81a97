// The validation stage's pure checks, one table per check, on specs parsed by the real schema.
import { describe, expect, it } from "vitest";
import {
  checkContradictions, checkDirs, checkEnvTemplates, checkHealthPort, checkMainName, checkPlanOnDisk, checkProgramOrder, checkProgramSecrets, checkRunAsUsers, checkUnusedSecrets, plannedDirs,
} from "../../../src/check/index.js";
import { filesDatabase } from "../../../src/identity/index.js";
import type { Action } from "../../../src/plan/index.js";
import { SpecSchema, type SpecInput } from "../../../src/spec/index.js";

const spec = (input: SpecInput) => SpecSchema.parse(input);
const prog = (extra: Record<string, unknown> = {}) => ({ command: ["x"], ...extra });
const paths = (issues: { path: string; message: string }[]) => issues.map((i) => `${i.path}: ${i.message}`);

describe("contradictions", () => {
  it.each([
    [{ oneshot: true, restart: "always" }, [/^programs\.a\.restart: restart: always contradicts oneshot: true/]],
    [{ oneshot: true, restart: "on-failure" }, []],
    [{ restart: "always" }, []],
    [{ backoff: { initial: "1m", max: "10s" } }, [/^programs\.a\.backoff\.initial: backoff\.initial \(60000 ms\) is longer than backoff\.max \(10000 ms\)/]],
    [{ backoff: { initial: "10s", max: "10s" } }, []],
    [{ backoff: { initial: "45s" } }, [/backoff\.initial \(45000 ms\) is longer than backoff\.max \(30000 ms\)/]],
  ])("%j", (extra, want) => {
    const got = paths(checkContradictions(spec({ programs: { a: prog(extra) } })));
    expect(got).toHaveLength(want.length);
    want.forEach((re, i) => expect(got[i]).toMatch(re));
  });
});

describe("templates in env:", () => {
  it.each([
    [{ env: { PW: "{{secret 'db'}}" } }, /^env\.PW: \{\{secret …\}\} is not expanded.*programs\.<name>\.secrets: \{ PW: <secret name> \}/],
    [{ programs: { a: prog({ env: { PW: "x{{ secret \"db\" }}" } }) } }, /^programs\.a\.env\.PW: .*programs\.a\.secrets: \{ PW: <secret name> \}/],
    [{ programs: { a: prog({ env: { H: "{{env 'HOME'}}" } }) } }, /^programs\.a\.env\.H: \{\{env …\}\} is not expanded.*inherit foyer's environment/],
    [{ env: { A: "{{literal}}", B: "$HOME" } }, undefined],
  ])("%j", (input, want) => {
    const got = paths(checkEnvTemplates(spec(input as SpecInput)));
    if (want) expect(got).toEqual([expect.stringMatching(want)]);
    else expect(got).toEqual([]);
  });
});

describe("program secrets", () => {
  const s = spec({
    secrets: { db: { env: "DB" }, opt: { env: "OPT", optional: true } },
    programs: { a: prog({ secrets: { PW: "db", O: "opt", X: "dbb" } }) },
  });
  it("declared with a value: fine; undeclared: did-you-mean; optional and absent: refused", () => {
    expect(paths(checkProgramSecrets(s, new Set(["db"])))).toEqual([
      "programs.a.secrets.O: secret 'opt' is optional and has no value here, but program 'a' asks for it",
      "programs.a.secrets.X: secret 'dbb' is not declared under secrets: (did you mean 'db'?)",
    ]);
    expect(paths(checkProgramSecrets(s, new Set(["db", "opt"])))).toHaveLength(1);
  });
});

describe("main name, order", () => {
  it("a program named main is refused only with -- CMD", () => {
    const s = spec({ programs: { main: prog() } });
    expect(paths(checkMainName(s, true))).toEqual(["programs.main: 'main' is the name of the program given after --; rename this program"]);
    expect(checkMainName(s, false)).toEqual([]);
  });
  it("unknown after: and cycles", () => {
    expect(paths(checkProgramOrder(spec({ programs: { a: prog({ after: ["bee"] }), b: prog() } })))).toEqual([expect.stringMatching(/^programs\.a\.after\[0\]: .*'bee'/)]);
    expect(paths(checkProgramOrder(spec({ programs: { a: prog({ after: ["b"] }), b: prog({ after: ["a"] }) } })))).toEqual([expect.stringMatching(/cycle/)]);
  });
});

const users = filesDatabase("root:x:0:0::/root:/bin/sh\nsvc:x:999:999::/srv:/bin/sh\n", "root:x:0:\nsvc:x:999:\n");

describe("users of programs and hooks", () => {
  it("resolves with the same resolver as the Spawner", () => {
    const s = spec({
      programs: { a: prog({ user: "svc" }), b: prog({ user: "ghost" }), c: prog({ user: "4242" }), d: prog({ user: "svc:nogroup" }) },
      hooks: { init: { dir: "/x", user: "phantom" }, finish: "/y" },
    });
    expect(paths(checkRunAsUsers(s, users))).toEqual([
      'programs.b.user: user "ghost" does not exist (not in the user database)',
      'programs.d.user: group "nogroup" does not exist (not in the group database)',
      'hooks.init.user: user "phantom" does not exist (not in the user database)',
    ]);
  });
});

describe("privileges without root", () => {
  it("programs, hooks and owners only as foyer itself (or its groups for owners)", async () => {
    const { checkPrivileges } = await import("../../../src/check/index.js");
    const s = spec({ programs: { a: prog({ user: "svc" }), b: prog({ user: "root" }), c: prog() }, hooks: { init: { dir: "/h", user: "root" } } });
    const actions: Action[] = [
      { kind: "write-file", path: "/x", reason: "t", source: "files[0]", content: "", mode: 0o644, secret: false, owner: "svc" },
      { kind: "write-file", path: "/y", reason: "t", source: "files[1]", content: "", mode: 0o644, secret: false, owner: "svc:0" },
      { kind: "write-file", path: "/z", reason: "t", source: "files[2]", content: "", mode: 0o644, secret: false, owner: "svc:7" },
    ];
    const owners = new Map([["svc", { uid: 999, gid: 999 }], ["svc:0", { uid: 999, gid: 0 }], ["svc:7", { uid: 999, gid: 7 }]]);
    const self = { uid: 999, gid: 999, groups: [999, 0] };
    expect(paths(checkPrivileges(s, actions, owners, users, self))).toEqual([
      "programs.b.user: cannot run as user 'root': foyer runs as uid 999, not root",
      "hooks.init.user: cannot run as user 'root': foyer runs as uid 999, not root",
      "files[2].owner: cannot give /z to svc:7 (999:7): foyer runs as uid 999, not root",
    ]);
    expect(checkPrivileges(s, actions, owners, users, { uid: 0, gid: 0, groups: [] })).toEqual([]);
  });
});

describe("directories", () => {
  const s = spec({ hooks: { init: "/hooks/init", finish: "/hooks/finish" }, programs: { a: prog({ cwd: "/srv/a" }), b: prog({ cwd: "/srv/b" }), c: prog({ cwd: "/etc/app" }) } });
  const kinds = new Map([["/hooks/init", "missing"], ["/hooks/finish", "file"], ["/srv/a", "dir"], ["/srv/b", "missing"], ["/etc/app", "missing"]] as const);
  const planned = plannedDirs([{ kind: "write-file", path: "/etc/app/app.conf", reason: "t", content: "", mode: 0o644, secret: false }]);
  it("missing or not a directory, unless the plan makes it", () => {
    expect(paths(checkDirs(s, { kinds, planned, hookFromProfile: () => false }))).toEqual([
      "hooks.init: init hooks: directory /hooks/init does not exist (create it, or remove hooks.init)",
      "hooks.finish: finish hooks: /hooks/finish is not a directory (create it, or remove hooks.finish)",
      "programs.b.cwd: directory /srv/b does not exist; program 'b' could not start there",
    ]);
  });
  it("a list of hook dirs: each checked, named by its place in the list", () => {
    const list = spec({ hooks: { init: ["/hooks/a", { dir: "/hooks/b", onFailure: "continue" }] } });
    const k = new Map([["/hooks/a", "dir"], ["/hooks/b", "missing"]] as const);
    expect(paths(checkDirs(list, { kinds: k, planned: new Set(), hookFromProfile: () => false }))).toEqual([
      "hooks.init[1]: init hooks: directory /hooks/b does not exist (create it, or remove hooks.init)",
    ]);
  });
  it("a profile's conventional hook dir may be absent", () => {
    expect(paths(checkDirs(s, { kinds, planned, hookFromProfile: (p) => p === "init" }))).not.toContainEqual(expect.stringMatching(/^hooks\.init/));
  });
});

describe("runChecks skips what reads a section the schema refused", () => {
  it("programs refused: no program checks (they would only echo the schema's issue)", async () => {
    const { runChecks } = await import("../../../src/check/index.js");
    const s = spec({ programs: { a: prog({ user: "ghost", oneshot: true, restart: "always" }) } });
    const input = { spec: s, resolvedSecrets: new Set<string>(), actions: [], scope: { main: false, system: false, ports: false }, facts: { users, kinds: new Map() }, origin: () => undefined };
    expect(runChecks(input).issues).toHaveLength(2);
    expect(runChecks({ ...input, incomplete: new Set(["programs"]) }).issues).toEqual([]);
    expect(runChecks({ ...input, incomplete: new Set(["hooks"]) }).issues.map((i) => i.path)).toEqual(["programs.a.restart"]);
  });
});

describe("health port, disk", () => {
  it("a probe problem is an issue at health.listen", () => {
    expect(paths(checkHealthPort({ host: "127.0.0.1", port: 4182, problem: "in use" }))).toEqual(["health.listen: cannot listen on 127.0.0.1:4182: in use"]);
    expect(checkHealthPort({ host: "127.0.0.1", port: 4182 })).toEqual([]);
    expect(checkHealthPort(undefined)).toEqual([]);
  });

  it("a file where a directory is, and a parent that is a file", () => {
    const actions: Action[] = [
      { kind: "write-file", path: "/etc/x", reason: "t", source: "files[0]", content: "", mode: 0o644, secret: false },
      { kind: "write-file", path: "/etc/f/y", reason: "t", source: "files[1]", content: "", mode: 0o644, secret: false },
      { kind: "ensure-dir", path: "/srv/new", reason: "t", mode: 0o755 },
      { kind: "chown", path: "/srv/new", reason: "t", owner: "svc", recursive: false },
      { kind: "chown", path: "/nothing", reason: "t", source: "home", owner: "svc", recursive: false },
    ];
    const disk = { states: new Map([["/etc/x", { type: "dir" as const, mode: 0o755, uid: 0, gid: 0 }]]), hiddenFromOthers: new Set<string>(), blockers: new Map([["/etc/f/y", "/etc/f"]]), linkBlocked: new Map<string, string>() };
    expect(paths(checkPlanOnDisk(actions, new Map([["svc", { uid: 999, gid: 999 }]]), disk))).toEqual([
      "files[0]: it is a directory; not replacing it with a file",
      "files[1]: cannot create /etc/f/y: /etc/f exists and is not a directory",
      "home: /nothing does not exist",
    ]);
  });
});

describe("unused secrets (a warning)", () => {
  const declared = { a: { env: "A_SECRET" }, b: { env: "B_SECRET" }, c: { file: "/run/c" } };
  it.each([
    [{}, [], ["a", "b", "c"]],
    [{ p: prog({ secrets: { A: "a" } }) }, [], ["b", "c"]],
    [{ p: prog({ secrets: { A: "a" } }) }, ["b"], ["c"]],
    [{ p: prog({ secrets: { A: "a", C: "c" } }) }, ["b"], []],
  ])("programs %j, templates use %j → unused %j", (programs, used, want) => {
    const issues = checkUnusedSecrets(spec({ secrets: declared, programs }), new Set(used));
    expect(issues.map((i) => i.path)).toEqual(want.map((n) => `secrets.${n}`));
    for (const i of issues) expect(i.message).toMatch(/is declared but nothing uses it/);
  });
});
