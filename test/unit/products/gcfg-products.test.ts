// Connect and Package Manager as products: `config:` is the gcfg file's sections (the charts'
// shape), rendered to the product's file; the presets are the charts' values.yaml defaults,
// deep-merged under the spec's `config:` as Helm merges values; option names are checked.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigError } from "../../../src/errors.js";
import { planInit, type Action, type WriteFileAction } from "../../../src/plan/index.js";
import { productFor } from "../../../src/products/registry.js";
import { specSchemaFor } from "../../../src/products/spec-schema.js";
import { loadSpec } from "../../../src/spec/index.js";
import type { Spec } from "../../../src/spec/schema.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/charts");
const fixture = (name: string) => (parse(readFileSync(join(FIXTURES, name, "values.yaml"), "utf8"), { version: "1.1" }) as { config: Record<string, unknown> }).config;
const golden = (name: string, file: string) => readFileSync(join(FIXTURES, name, "expected", file), "utf8");
const writes = (actions: Action[]) => actions.filter((a): a is WriteFileAction => a.kind === "write-file");

const PRODUCTS = {
  connect: { file: "rstudio-connect.gcfg", path: "/etc/rstudio-connect/rstudio-connect.gcfg", fixtures: ["connect-values", "connect-ci-complex", "connect-example-oidc"] },
  "package-manager": { file: "rstudio-pm.gcfg", path: "/etc/rstudio-pm/rstudio-pm.gcfg", fixtures: ["pm-values", "pm-ci-all"] },
} as const;

/** Plan a spec for a profile's product, as the loader would type it (no preset). */
function planFor(profile: keyof typeof PRODUCTS, config: unknown, secrets = new Map<string, string>()) {
  const product = productFor(profile);
  const spec = specSchemaFor(product).parse({ config, secrets: Object.fromEntries([...secrets.keys()].map((k) => [k, { env: "X" }])) }) as Spec;
  return planInit({ spec, secrets, env: {}, product });
}

/** The loader on an in-memory filesystem (the preset merged under the spec). */
function load(spec: string) {
  return loadSpec({
    specFlag: "/s.yaml",
    env: {},
    read: (p) => {
      if (p === "/s.yaml") return spec;
      throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    },
    exists: (p) => p === "/s.yaml",
  });
}

describe.each(Object.entries(PRODUCTS))("%s: the charts' example values through the product", (profile, p) => {
  it.each(p.fixtures)("%s gives the golden file, 0644, in the product's config dir", (name) => {
    const r = planFor(profile as keyof typeof PRODUCTS, fixture(name));
    expect(r.issues).toEqual([]);
    expect(r.actions[0]).toMatchObject({ kind: "ensure-dir", path: p.path.slice(0, p.path.lastIndexOf("/")) });
    expect(writes(r.actions)).toEqual([expect.objectContaining({ path: p.path, mode: 0o644, secret: false, format: "gcfg", content: golden(name, p.file) })]);
  });

  it("the preset alone is the chart's values.yaml: `profile:` with no config: renders the chart's defaults", () => {
    const loaded = load(`profile: ${profile}\n`);
    const r = planInit({ spec: loaded.spec, secrets: new Map(), env: {}, product: loaded.product });
    expect(writes(r.actions)[0]!.content).toBe(golden(p.fixtures[0], p.file));
  });

  it("option names are checked against the product's catalog (a warning with a did-you-mean)", () => {
    const warnings = productFor(profile).checks!({ Server: { Adress: "x" }, HTTP: { Listen: ":1" } }, {});
    expect(warnings).toEqual([expect.objectContaining({ path: "config.Server.Adress", message: expect.stringMatching(/Address/) })]);
    expect(productFor(profile).checks!(fixture(p.fixtures[0]), {})).toEqual([]);
  });
});

describe("the images' startup debug switch", () => {
  it.each([
    ["connect", { PCT_STARTUP_DEBUG: "1" }, "debug"],
    ["connect", { STARTUP_DEBUG_MODE: "1" }, "debug"],
    ["connect", { PCT_STARTUP_DEBUG: "0", STARTUP_DEBUG_MODE: "1" }, "info"],
    ["connect", { PPM_STARTUP_DEBUG: "1" }, "info"],
    ["package-manager", { PPM_STARTUP_DEBUG: "1" }, "debug"],
    ["package-manager", { STARTUP_DEBUG_MODE: "1" }, "info"],
    ["package-manager", {}, "info"],
  ] as const)("%s %j → log level %s", (profile, env, level) => {
    const loaded = loadSpec({ specFlag: "/s.yaml", env, read: () => `profile: ${profile}\n`, exists: (p) => p === "/s.yaml" });
    expect(loaded.spec.log.level).toBe(level);
  });
});

describe("the readiness probe follows [HTTP] Listen", () => {
  it.each([
    ["connect", ":8080", undefined, ["config.HTTP.Listen: the server listens on port 8080 but programs.connect.ready.http probes port 3939"]],
    ["connect", ":8080", "http://127.0.0.1:8080/__ping__", []],
    ["connect", "0.0.0.0:3939", undefined, []],
    ["package-manager", ":80", "http://127.0.0.1/__ping__", []],
    ["package-manager", ":4243", undefined, ["config.HTTP.Listen: the server listens on port 4243 but programs.rspm.ready.http probes port 4242"]],
  ] as const)("%s, Listen %s, probe %s", (profile, listen, probe, want) => {
    const server = profile === "connect" ? "connect" : "rspm";
    const { spec, product } = load(`profile: ${profile}\nconfig: { HTTP: { Listen: "${listen}" } }\n${probe ? `programs: { ${server}: { ready: { http: "${probe}" } } }\n` : ""}`);
    const got = product.checks!(spec.config, { spec }).filter((w) => w.path === "config.HTTP.Listen");
    expect(got.map((w) => `${w.path}: ${w.message}`)).toEqual(want.map((m) => expect.stringContaining(m)));
  });
});

describe("the preset under the spec, merged as Helm merges values", () => {
  it("maps merge key by key, scalars and lists are replaced, null removes a section or a key, new sections come last", () => {
    const { spec } = load(`profile: connect
config:
  Server:
    Address: https://connect.example.com
    RVersion: [/opt/R/4.4.1]
  Metrics: ~
  Logging: { ServiceLogLevel: ~ }
  Python: { Enabled: true, Executable: [/opt/python/3.12/bin/python, /opt/python/3.11/bin/python] }
`);
    const config = spec.config as Record<string, Record<string, unknown>>;
    expect(config.Server).toEqual({ Address: "https://connect.example.com", DataDir: "/var/lib/rstudio-connect", RVersion: ["/opt/R/4.4.1"] });
    expect(config.Metrics).toBeUndefined();
    expect(config.Logging).not.toHaveProperty("ServiceLogLevel");
    expect(Object.keys(config).at(-1)).toBe("Python");
    const text = writes(planInit({ spec, secrets: new Map(), env: {}, product: productFor("connect") }).actions)[0]!.content;
    expect(text).toContain("[Python]\nEnabled = true\nExecutable = /opt/python/3.12/bin/python\nExecutable = /opt/python/3.11/bin/python\n");
    expect(text).not.toContain("[Metrics]");
  });

  it("a section that is not a map is a config error at its path; the generic sections are not Connect's shape", () => {
    const issues = (() => {
      try {
        load("profile: package-manager\nconfig:\n  Server: /opt/R\n  gcfg: { rstudio-pm.gcfg: {} }\n");
      } catch (err) {
        if (err instanceof ConfigError) return err.issues.map((i) => i.path);
      }
      return [];
    })();
    expect(issues).toEqual(expect.arrayContaining(["config.Server"]));
  });

  it("a value that uses a secret makes the file 0600 for the service user (Package Manager reads it as rstudio-pm)", () => {
    const r = planFor("package-manager", { S3Storage: { Bucket: "b", SecretAccessKey: "{{secret 's3'}}" } }, new Map([["s3", "AWS-SECRET-0123456789"]]));
    expect(r.issues).toEqual([]);
    expect(writes(r.actions)[0]).toMatchObject({ mode: 0o600, owner: "rstudio-pm", secret: true });
    const c = planFor("connect", { Database: { Provider: "postgres", PostgresPassword: "{{secret 'pg'}}" } }, new Map([["pg", "PG-SECRET-0123456789"]]));
    expect(writes(c.actions)[0]).toMatchObject({ mode: 0o600, secret: true });
    expect(writes(c.actions)[0]!.owner).toBeUndefined();
  });
});
