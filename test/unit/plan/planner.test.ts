import { describe, expect, test } from "vitest";
import * as z from "zod";
import { ActionSchema, planInit, planJson, templateFilePaths, type Action, type WriteFileAction } from "../../../src/plan/index.js";
import { Redactor } from "../../../src/log/index.js";
import { SpecSchema, type SpecInput } from "../../../src/spec/schema.js";
import { productFor } from "../../../src/products/registry.js";
import { specSchemaFor } from "../../../src/products/spec-schema.js";
import type { Spec } from "../../../src/spec/schema.js";

const secrets = new Map([["db", "pg-pa55word"], ["license", "LIC-KEY-123"]]);
const plan = (spec: SpecInput, extra: Partial<Parameters<typeof planInit>[0]> = {}) =>
  planInit({ spec: SpecSchema.parse(spec), secrets, env: { HOSTNAME: "wb-0" }, ...extra });
const writes = (actions: Action[]) => actions.filter((a): a is WriteFileAction => a.kind === "write-file");

describe("planInit", () => {
  test("config sections become files in config.dir with the section's format and mode", () => {
    const r = plan({
      secrets: { db: { env: "DB_PW" } },
      config: {
        dir: "/etc/rstudio",
        server: { "rserver.conf": { "www-port": 8787 }, "launcher.conf": { server: { port: 5559 } } },
        profiles: { "launcher.kubernetes.profiles.conf": { "*": { "max-cpus": 2 } } },
        serverDcf: { "launcher-mounts": { MountPath: "/home" } },
        secret: { "database.conf": { provider: "postgresql", password: "{{secret 'db'}}" } },
      },
    });
    expect(r.issues).toEqual([]);
    expect(r.actions[0]).toMatchObject({ kind: "ensure-dir", path: "/etc/rstudio", mode: 0o755 });
    expect(writes(r.actions).map((a) => [a.path, a.format, a.mode.toString(8), a.secret])).toEqual([
      ["/etc/rstudio/rserver.conf", "ini", "644", false],
      ["/etc/rstudio/launcher.conf", "ini", "644", false],
      ["/etc/rstudio/launcher-mounts", "dcf", "644", false],
      ["/etc/rstudio/launcher.kubernetes.profiles.conf", "profiles", "644", false],
      ["/etc/rstudio/database.conf", "ini", "600", true],
    ]);
    expect(writes(r.actions)[4]!.content).toBe("provider=postgresql\npassword=pg-pa55word\n");
    expect(writes(r.actions).every((a) => a.reason.includes(a.source!))).toBe(true);
  });

  test("the config dir is config.dir, else the profile's product's, else /etc/rstudio", () => {
    const spec = { config: { gcfg: { "rstudio-connect.gcfg": { HTTP: { Listen: ":3939" } } } } };
    expect(writes(plan(spec).actions)[0]!.path).toBe("/etc/rstudio/rstudio-connect.gcfg");
    expect(writes(plan({ ...spec, profile: "rstudio-session" }).actions)[0]!.path).toBe("/etc/rstudio/rstudio-connect.gcfg");
    expect(writes(plan({ config: { ...spec.config, dir: "/opt/conf" } }).actions)[0]!.path).toBe("/opt/conf/rstudio-connect.gcfg");
    // Connect and Package Manager: config: is the gcfg file's sections, written in the product's dir
    for (const [profile, path] of [["connect", "/etc/rstudio-connect/rstudio-connect.gcfg"], ["package-manager", "/etc/rstudio-pm/rstudio-pm.gcfg"]] as const) {
      const product = productFor(profile);
      const parsed = specSchemaFor(product).parse({ profile, config: { HTTP: { Listen: ":3939" } } }) as Spec;
      expect(writes(planInit({ spec: parsed, secrets, env: {}, product }).actions)[0]).toMatchObject({ path, content: "[HTTP]\nListen = :3939\n", mode: 0o644 });
    }
  });

  test("a server file that uses a secret gets the secret mode instead of leaking at 0644", () => {
    const r = plan({ secrets: { db: { env: "X" } }, config: { server: { "rserver.conf": { "db-password": "{{secret 'db'}}" } }, secretMode: "0640" } });
    expect(writes(r.actions)[0]).toMatchObject({ mode: 0o640, secret: true });
  });

  test("a file that holds a secret value by another route (the secret's own env var) is secret too", () => {
    const r = plan(
      { secrets: { db: { env: "DB_PW" } }, files: [{ path: "/etc/pgpass", template: "*:*:*:app:{{env 'DB_PW'}}\n" }, { path: "/etc/loud", content: "pg-pa55word", mode: "0644" }] },
      { env: { DB_PW: "pg-pa55word" } },
    );
    expect(writes(r.actions)[0]).toMatchObject({ secret: true, mode: 0o600 });
    expect(r.issues).toEqual([{ path: "files[1]", message: expect.stringMatching(/holds secrets and must not be world-readable/) }]);
  });

  test("reading a secret's source env var (or its _FILE twin) in any form uses the secret, whatever the value holds", () => {
    // the rendered text differs from the value (the template only takes part of it), so no scan
    // could find it: the file is secret because the template read the variable
    const env = { DB_PW: "pg-pa55word", DB_PW_FILE: "/run/secrets/db", OTHER: "plain" };
    const spec = (template: string): SpecInput => ({ secrets: { db: { env: "DB_PW" } }, files: [{ path: "/etc/x", template }] });
    for (const template of ["{{env 'DB_PW'}}", "{{env.DB_PW}}", "{{#with env}}{{DB_PW}}{{/with}}", "{{lookup env 'DB_PW'}}", "{{env 'DB_PW_FILE'}}", "{{#if env.DB_PW}}set{{/if}}"]) {
      const r = plan(spec(template), { env });
      expect(r.issues, template).toEqual([]);
      expect(writes(r.actions)[0], template).toMatchObject({ secret: true, mode: 0o600 });
    }
    expect(writes(plan(spec("{{env 'OTHER'}} {{env.OTHER}}"), { env }).actions)[0]).toMatchObject({ secret: false, mode: 0o644 });
  });

  test("a secret value is found in a file in every encoded form (JSON-escaped, gcfg-quoted, DCF continuation)", () => {
    const value = 'pa"ss\\word\nline-two';
    const r = planInit({
      spec: SpecSchema.parse({
        files: [
          { path: "/etc/a.json", content: JSON.stringify({ pw: value }) },
          { path: "/etc/b.gcfg", content: `[DB]\nPassword = "${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"\n` },
          { path: "/etc/c.dcf", content: `Password: ${value.replace(/\n/g, "\n    ")}\n` },
          { path: "/etc/d.txt", content: "nothing secret here\n" },
        ],
      }),
      secrets: new Map([["db", value]]),
      env: {},
    });
    expect(r.issues).toEqual([]);
    expect(writes(r.actions).map((a) => [a.path, a.secret, a.mode])).toEqual([
      ["/etc/a.json", true, 0o600],
      ["/etc/b.gcfg", true, 0o600],
      ["/etc/c.dcf", true, 0o600],
      ["/etc/d.txt", false, 0o644],
    ]);
  });

  test("an issue quoting a rendered value does not quote a secret", () => {
    const r = planInit({
      spec: SpecSchema.parse({
        secrets: { db: { env: "DB" } },
        config: { profiles: { "launcher.kubernetes.profiles.conf": { "*": { "job-json-overrides": [{ target: "/spec/x", name: "{{secret 'db'}}", json: { a: 1 } }] } } } },
      }),
      secrets: new Map([["db", "pa55/word-Zq7"]]),
      env: {},
    });
    expect(r.issues.map((i) => i.message)).toEqual([expect.stringContaining('override name "<secret:db>" must be usable as a file name')]);
  });

  test("inline job-json-overrides become their own JSON files beside the profiles file", () => {
    const r = plan({ config: { dir: "/etc/rstudio", profiles: { "launcher.kubernetes.profiles.conf": { "*": { "job-json-overrides": [{ target: "/spec/x", name: "x", json: { a: 1 } }] } } } } });
    expect(r.issues).toEqual([]);
    expect(writes(r.actions).map((a) => [a.path, a.format, a.source])).toEqual([
      ["/etc/rstudio/launcher.kubernetes.profiles.conf", "profiles", "config.profiles.launcher.kubernetes.profiles.conf"],
      ["/etc/rstudio/job-json-overrides/x.json", "json", "config.profiles.launcher.kubernetes.profiles.conf.job-json-overrides"],
    ]);
    expect(writes(r.actions)[0]!.content).toBe('[*]\njob-json-overrides="/spec/x":"/etc/rstudio/job-json-overrides/x.json"\n');
  });

  test(".json files with a map body are written as JSON", () => {
    const r = plan({ config: { session: { "rstudio-prefs.json": { save_workspace: "never" } } } });
    expect(writes(r.actions)[0]).toMatchObject({ format: "json", content: '{\n  "save_workspace": "never"\n}\n' });
  });

  test("files: inline templates, template files read by the caller, verbatim content", () => {
    const r = plan(
      {
        secrets: { license: { env: "L" } },
        files: [
          { path: "/etc/motd", template: "welcome to {{env 'HOSTNAME'}}\n" },
          { path: "/etc/rstudio/license.lic", templateFile: "/etc/foyer/license.tpl", owner: "rstudio-server" },
          { path: "/etc/verbatim", content: "{{not a template}}", mode: "0640" },
        ],
      },
      { templateFiles: new Map([["/etc/foyer/license.tpl", { ok: true as const, content: "key={{secret 'license'}}\n" }]]) },
    );
    expect(r.issues).toEqual([]);
    expect(writes(r.actions).map((a) => [a.path, a.content, a.mode.toString(8), a.secret, a.owner])).toEqual([
      ["/etc/motd", "welcome to wb-0\n", "644", false, undefined],
      ["/etc/rstudio/license.lic", "key=LIC-KEY-123\n", "600", true, "rstudio-server"],
      ["/etc/verbatim", "{{not a template}}", "640", false, undefined],
    ]);
  });

  test("spec.env is laid over the process env for templates", () => {
    const r = plan({ env: { HOSTNAME: "from-spec" }, files: [{ path: "/x", template: "{{env 'HOSTNAME'}}" }] });
    expect(writes(r.actions)[0]!.content).toBe("from-spec");
  });

  test("an unreadable or unread template file is an issue naming the file", () => {
    const r = plan(
      { files: [{ path: "/a", templateFile: "/t/missing.tpl" }, { path: "/b", templateFile: "/t/unread.tpl" }] },
      { templateFiles: new Map([["/t/missing.tpl", { ok: false as const, error: "no such file" }]]) },
    );
    expect(r.issues).toEqual([
      { path: "files[0].templateFile", message: "cannot read template file /t/missing.tpl: no such file" },
      { path: "files[1].templateFile", message: "cannot read template file /t/unread.tpl: it was not read before planning" },
    ]);
    expect(r.actions).toEqual([]);
  });

  test("all issues at once: template errors, render errors, plan checks", () => {
    const r = plan({
      config: { server: { "rserver.conf": { port: "{{env 'NOPE'}}", sec: { deep: { x: 1 } } } } },
      files: [
        { path: "/etc/rstudio/rserver.conf", content: "dup" },
        { path: "/etc/x", template: "{{missing}}", mode: "4755" },
        { path: "/etc/y", template: "{{secret 'nope'}}" },
      ],
    });
    expect(r.issues.map((i) => i.path)).toEqual([
      "config.server.rserver.conf.port",
      "config.server.rserver.conf.sec.deep",
      "files[1].template",
      "files[2].template",
      "files[0]",
      "files[1]",
    ]);
    expect(r.issues[4]!.message).toBe("/etc/rstudio/rserver.conf is also written by config.server.rserver.conf");
    expect(r.issues[5]!.message).toMatch(/no setuid/);
  });

  test("templateFilePaths lists each template file once", () => {
    const spec = SpecSchema.parse({ files: [{ path: "/a", templateFile: "/t.tpl" }, { path: "/b", templateFile: "/t.tpl" }, { path: "/c", content: "" }] });
    expect(templateFilePaths(spec)).toEqual(["/t.tpl"]);
  });

  test("the planner's output and `plan --json` both validate against ActionSchema", () => {
    const r = plan({
      secrets: { db: { env: "X" } },
      config: { server: { "rserver.conf": { a: 1 } }, secret: { "database.conf": { password: "{{secret 'db'}}" } }, profiles: { p: { "*": { "job-json-overrides": [{ target: "/t", name: "n", json: {} }] } } } },
      files: [{ path: "/etc/x", content: "x", owner: "root:root" }],
    });
    expect(z.array(ActionSchema).parse(r.actions)).toEqual(r.actions);
    const redactor = new Redactor();
    redactor.add("db", "pg-pa55word");
    const json = JSON.parse(planJson(r.actions, redactor)) as unknown;
    expect(z.array(ActionSchema).safeParse(json).success).toBe(true);
  });

  test("no config and no files: an empty plan", () => {
    expect(plan({})).toEqual({ actions: [], issues: [], secretsUsed: new Set() });
  });
});
