// Spec loading defects: FOYER__ overrides take the field's type and errors name the variable;
// unquoted modes get a hint; a null that removes nothing is reported.
import { describe, expect, it } from "vitest";
import { loadSpecCollecting } from "../../../src/spec/index.js";
import { specKeys } from "../../../src/spec/load.js";
import { overridesFromEnv } from "../../../src/spec/overrides.js";
import { fieldTypesAt } from "../../../src/spec/validate.js";

const files = (map: Record<string, string>) => ({
  read: (p: string) => {
    if (p in map) return map[p]!;
    throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
  },
  exists: (p: string) => p in map,
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reaching into the parsed spec by test case
type Loose = Record<string, any>;
const load = (yaml: string, env: Record<string, string> = {}) => loadSpecCollecting({ specFlag: "/s.yaml", env, ...files({ "/s.yaml": yaml }) });
const text = (r: ReturnType<typeof load>) => r.issues.map((i) => `${i.path} | ${i.message} | ${i.where}`);

describe("FOYER__ overrides take the type of the field they set", () => {
  it.each([
    ["FOYER__programs__a__user", "1000", (s: Loose) => s.programs.a.user, "1000"],
    ["FOYER__env__DEBUG", "true", (s: Loose) => s.env.DEBUG, "true"],
    ["FOYER__env__PORT", "8787", (s: Loose) => s.env.PORT, "8787"],
    ["FOYER__programs__a__env__X", "no", (s: Loose) => s.programs.a.env.X, "no"],
    ["FOYER__programs__a__critical", "true", (s: Loose) => s.programs.a.critical, true],
    ["FOYER__programs__a__backoff__retries", "3", (s: Loose) => s.programs.a.backoff.retries, 3],
    ["FOYER__programs__a__stop__grace", "30", (s: Loose) => s.programs.a.stop.grace, 30_000],
    ["FOYER__programs__a__umask", "022", (s: Loose) => s.programs.a.umask, 0o22],
    ["FOYER__health__listen", "9000", (s: Loose) => s.health.listen, { host: "127.0.0.1", port: 9000 }],
    ["FOYER__config__defaultMode", "0644", (s: Loose) => s.config.defaultMode, 0o644],
    ["FOYER__programs__a__ready__userAgent", "true", (s: Loose) => s.programs.a.ready.userAgent, true],
    // a text field gets the text as written, not what YAML makes of it
    ["FOYER__env__JAVA_OPTS", "-Xmx1g #gc", (s: Loose) => s.env.JAVA_OPTS, "-Xmx1g #gc"],
    ["FOYER__env__A", "key: value", (s: Loose) => s.env.A, "key: value"],
    ["FOYER__env__B", "- verbose", (s: Loose) => s.env.B, "- verbose"],
    ["FOYER__env__C", "", (s: Loose) => s.env.C, ""],
    ["FOYER__env__D", "'single'", (s: Loose) => s.env.D, "'single'"],
    ["FOYER__env__E", "!!binary aGk=", (s: Loose) => s.env.E, "!!binary aGk="],
    ["FOYER__programs__a__cwd", "/srv/app #1", (s: Loose) => s.programs.a.cwd, "/srv/app #1"],
    // a map or a boolean the field also takes is still read as YAML
    ["FOYER__hooks__init", "{ dir: /h, onFailure: continue }", (s: Loose) => [s.hooks.init].flat()[0].onFailure, "continue"],
  ])("%s=%s", (name, value, pick, want) => {
    const r = load("programs:\n  a: { command: [x], ready: { tcp: 80 } }\n", { [name]: value });
    expect(text(r)).toEqual([]);
    expect(pick(r.loaded!.spec as unknown as Loose)).toEqual(want);
  });

  it("knows the JSON types of fields", () => {
    expect([...fieldTypesAt(["programs", "x", "user"])!]).toEqual(["string"]);
    expect(fieldTypesAt(["programs", "x", "critical"])).toEqual(new Set(["boolean"]));
    expect(fieldTypesAt(["env", "ANY"])).toEqual(new Set(["string"]));
    expect(fieldTypesAt(["config", "server", "rserver.conf", "www-port"])).toBeUndefined(); // free-form: YAML scalar kept
    expect(fieldTypesAt(["nope"])).toBeUndefined();
    expect(overridesFromEnv({ FOYER__a__b: "1" }).data).toEqual({ a: { b: 1 } });
  });

  it("an error in an override value names the variable, not an unrelated spec line", () => {
    const r = load("programs:\n  a:\n    command: [x]\n", { FOYER__programs__a__user: "a b", FOYER__programs__a__oneshot: "maybe", FOYER__programs__b__cwd: "rel" });
    expect(text(r)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^programs\.a\.user \| invalid user "a b".* \| env FOYER__programs__a__user$/),
        expect.stringMatching(/^programs\.a\.oneshot \| .*boolean.* \| env FOYER__programs__a__oneshot$/),
        expect.stringMatching(/^programs\.b\.cwd \| .*absolute.* \| env FOYER__programs__b__cwd$/),
        // program b was created by a variable: its missing command is located there too
        expect.stringMatching(/^programs\.b\.command \| .* \| env FOYER__programs__b__cwd$/),
      ]),
    );
  });
});

describe("modes written unquoted", () => {
  it.each([
    ["644", '"0644"'],
    ["0644", '"0644"'],
    ["755", '"0755"'],
    ["1777", '"1777"'],
  ])("mode: %s gets a hint to quote it", (mode, quoted) => {
    const r = load(`files:\n  - path: /x\n    content: a\n    mode: ${mode}\n`);
    expect(text(r)).toEqual([expect.stringMatching(new RegExp(`^files\\[0\\]\\.mode \\| YAML reads \\d+ as the decimal number .*write it quoted, ${quoted} \\| /s\\.yaml:4:11$`))]);
  });

  it("quoted octal and small decimal modes (Kubernetes' 420) are fine", () => {
    const r = load('files:\n  - { path: /x, content: a, mode: "0640" }\n  - { path: /y, content: a, mode: 420 }\n');
    expect(text(r)).toEqual([]);
    expect(r.loaded!.spec.files.map((f) => f.mode)).toEqual([0o640, 0o644]);
  });
});

describe("a null that removes nothing", () => {
  it.each([
    ["programs:\n", "programs", "/s.yaml:1:1"],
    ["hooks: ~\n", "hooks", "/s.yaml:1:1"],
    ["env:\n  A: a\n  B:\n", "env.B", "/s.yaml:3:3"],
    ["programs:\n  a:\n    command: [x]\n    stop:\n", "programs.a.stop", "/s.yaml:4:5"],
  ])("%j is reported at its line", (yaml, path, where) => {
    const r = load(yaml);
    expect(r.issues).toEqual([{ path, message: expect.stringMatching(/has no value \(null\); give it one or remove the line/), where }]);
  });

  it("still removes what the profile sets (the documented merge rule)", () => {
    const r = load("profile: workbench\nprograms:\n  launcher: ~\n  rserver: { after: [] }\n");
    expect(r.issues).toEqual([]);
    expect(Object.keys(r.loaded!.spec.programs)).toEqual(["rserver"]);
  });

  it("an empty override value that removes nothing names the variable", () => {
    const r = load("env: {}\n", { FOYER__hooks: "" });
    expect(text(r)).toEqual([expect.stringMatching(/^hooks \| .*null.* \| env FOYER__hooks$/)]);
  });
});

describe("a section the schema refuses does not hide the rest", () => {
  it("types the other sections (for the later checks) and marks the refused ones", () => {
    const r = load("log: { levle: debug }\nbogus: 1\nprograms:\n  a: { command: [x], user: ghost }\n");
    expect(text(r)).toEqual([
      expect.stringMatching(/^log\.levle \| unknown key/),
      expect.stringMatching(/^bogus \| unknown key/),
    ]);
    expect(r.loaded!.incomplete).toEqual(new Set(["log", "bogus"]));
    expect(r.loaded!.spec.programs.a!.user).toBe("ghost");
    expect(r.loaded!.spec.log.level).toBe("info"); // the refused section stands at its default
  });
});

describe("locating dotted paths", () => {
  it("matches names with dots (config file names) against the data", () => {
    const data = { config: { server: { "rserver.conf": { "www-port": 1 } } }, files: [{ path: "/x" }] };
    expect(specKeys("config.server.rserver.conf.www-port", data)).toEqual(["config", "server", "rserver.conf", "www-port"]);
    expect(specKeys("files[0].owner", data)).toEqual(["files", 0, "owner"]);
  });

  it("whereIs finds the line of an issue raised after the schema", () => {
    const r = load("profile: workbench\nconfig:\n  server:\n    rserver.conf:\n      www-port: 8787\n");
    expect(r.loaded!.whereIs("config.server.rserver.conf.www-port")).toBe("/s.yaml:5:17");
    expect(r.loaded!.origin(["config", "server"])).toBe("spec");
    expect(r.loaded!.origin(["programs", "launcher"])).toBe("profile");
  });
});
