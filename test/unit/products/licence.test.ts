// Licences of the three products: which variable wins (as Posit's startup.sh), what the spec gets
// (secrets, the activation oneshot with its down, the servers' order, the licence file), and what
// the loader does with it (values resolved through the secrets module, every licence variable kept
// from programs, short values refused).
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { CONNECT_LICENCE, licenceLayer, PACKAGE_MANAGER_LICENCE, WORKBENCH_LICENCE } from "../../../src/products/licence/index.js";
import { planInit } from "../../../src/plan/index.js";
import { loadSpec } from "../../../src/spec/index.js";

const KEY = "AAAA-BBBB-CCCC-DDDD-EEEE";
const none = (_path: string): boolean => false;
const layer = (def = WORKBENCH_LICENCE, env: Record<string, string> = {}, exists = none, declared: string[] = []) => licenceLayer(def, { env, exists, declared: new Set(declared) });

describe("which licence wins (first match, as Posit's startup.sh)", () => {
  it.each([
    [{ PWB_LICENSE: KEY, RSW_LICENSE: "x", RSP_LICENSE: "y" }, "key", "PWB_LICENSE"],
    [{ RSW_LICENSE: KEY, RSP_LICENSE: "y" }, "key", "RSW_LICENSE"],
    [{ RSP_LICENSE: KEY }, "key", "RSP_LICENSE"],
    [{ RSW_LICENSE_FILE: "/run/secrets/key" }, "key", "RSW_LICENSE"],
    [{ PWB_LICENSE: "", RSW_LICENSE_SERVER: "lic.example.com:8989" }, "server", "RSW_LICENSE_SERVER"],
    [{ RSW_LICENSE_SERVER: "a", RSW_LICENSE: KEY }, "key", "RSW_LICENSE"],
    [{ RSP_LICENSE_FILE_PATH: "/mnt/lic/x.lic" }, "file", "/mnt/lic/x.lic"],
    [{ PWB_LICENSE_FILE_PATH: "/a.lic", RSW_LICENSE_FILE_PATH: "/b.lic" }, "file", "/a.lic"],
    [{}, "none", undefined],
  ])("%j → %s from %s", (env, mode, from) => {
    const l = layer(WORKBENCH_LICENCE, env);
    expect(l.mode).toBe(mode);
    expect(l.from).toBe(from);
  });

  it.each([
    [CONNECT_LICENCE, { PCT_LICENSE: "PCT-KEY-0123", RSC_LICENSE: KEY }, "PCT_LICENSE"],
    [CONNECT_LICENCE, { RSC_LICENSE_SERVER: "lic:8989" }, "RSC_LICENSE_SERVER"],
    [PACKAGE_MANAGER_LICENCE, { PPM_LICENSE_SERVER: "a:1", RSPM_LICENSE_SERVER: "b:2" }, "PPM_LICENSE_SERVER"],
    [PACKAGE_MANAGER_LICENCE, { RSPM_LICENSE: KEY }, "RSPM_LICENSE"],
  ])("the successor images' prefixes first (PCT_ before RSC_, PPM_ before RSPM_): %#", (def, env, from) => {
    expect(layer(def, env).from).toBe(from);
  });

  it("a licence file already where the product reads it (a mounted Secret) is used in place: no copy, no secret", () => {
    expect(layer(PACKAGE_MANAGER_LICENCE, { PPM_LICENSE_FILE_PATH: "/var/lib/rstudio-pm/mounted.lic" })).toMatchObject({ mode: "file", secrets: {} });
    expect(layer(CONNECT_LICENCE, { RSC_LICENSE_FILE_PATH: "/var/lib/rstudio-connect/../other/x.lic" }).secrets).toEqual({ "license-file": { file: "/var/lib/rstudio-connect/../other/x.lic" } });
  });

  it("the default licence file counts only when it exists", () => {
    expect(layer(CONNECT_LICENCE, {}, (p) => p === "/etc/rstudio-connect/license.lic")).toMatchObject({ mode: "file", from: "/etc/rstudio-connect/license.lic" });
    expect(layer(CONNECT_LICENCE, {}, () => false).mode).toBe("none");
  });

  it("a `license` secret the spec declares itself is the key, whatever the variables say", () => {
    const l = layer(CONNECT_LICENCE, { RSC_LICENSE_SERVER: "lic:8989" }, none, ["license"]);
    expect(l).toMatchObject({ mode: "key", from: "secrets.license", secrets: {} });
    expect(l.program?.secrets).toEqual({ LICENSE_KEY: "license" });
  });

  it("every licence variable of the product (and its _FILE twin) is kept from programs, whichever wins", () => {
    expect(layer(CONNECT_LICENCE, { RSC_LICENSE: KEY }).envVars.sort()).toEqual(
      ["PCT_LICENSE", "PCT_LICENSE_FILE", "PCT_LICENSE_FILE_PATH", "PCT_LICENSE_FILE_PATH_FILE", "PCT_LICENSE_SERVER", "PCT_LICENSE_SERVER_FILE",
        "RSC_LICENSE", "RSC_LICENSE_FILE", "RSC_LICENSE_FILE_PATH", "RSC_LICENSE_FILE_PATH_FILE", "RSC_LICENSE_SERVER", "RSC_LICENSE_SERVER_FILE"],
    );
    expect(layer(WORKBENCH_LICENCE).envVars).toHaveLength(18);
  });
});

describe("what the spec gets", () => {
  it("a key: a secret from the product's variables in order, a oneshot that activates and deactivates", () => {
    const l = layer(WORKBENCH_LICENCE, { RSW_LICENSE: KEY });
    expect(l.secrets).toEqual({ license: { env: ["PWB_LICENSE", "RSW_LICENSE", "RSP_LICENSE"] } });
    expect(l.program).toEqual({
      oneshot: true,
      shell: true,
      command: 'exec /usr/lib/rstudio-server/bin/license-manager activate "$LICENSE_KEY"',
      secrets: { LICENSE_KEY: "license" },
      restart: "never",
      stop: { grace: "120s" },
      down: { command: ["/usr/lib/rstudio-server/bin/license-manager", "deactivate"], retries: 3 },
    });
    // the value itself is in no part of the layer
    expect(JSON.stringify(l)).not.toContain(KEY);
  });

  it("a licence server: license-server with the server's own variable", () => {
    const l = layer(CONNECT_LICENCE, { RSC_LICENSE_SERVER: "https://lic.example.com" });
    expect(l.secrets).toEqual({ "license-server": { env: ["PCT_LICENSE_SERVER", "RSC_LICENSE_SERVER"] } });
    expect(l.program?.command).toBe('exec /opt/rstudio-connect/bin/license-manager license-server "$LICENSE_SERVER"');
    expect(l.program?.secrets).toEqual({ LICENSE_SERVER: "license-server" });
    expect(l.program?.user).toBeUndefined();
  });

  it("Package Manager: userspace licensing as rstudio-pm, initialised first", () => {
    const l = layer(PACKAGE_MANAGER_LICENCE, { RSPM_LICENSE: KEY });
    expect(l.program).toMatchObject({
      user: "rstudio-pm",
      command: '/opt/rstudio-pm/bin/license-manager initialize --userspace || true; exec /opt/rstudio-pm/bin/license-manager activate "$LICENSE_KEY" --userspace',
      down: { command: ["/opt/rstudio-pm/bin/license-manager", "deactivate", "--userspace"] },
    });
  });

  it("a licence file: read as a secret (its copy is planned from it); no oneshot", () => {
    const l = layer(WORKBENCH_LICENCE, { RSW_LICENSE_FILE_PATH: "/mnt/lic/rsw.lic" });
    expect(l).toMatchObject({ mode: "file", secrets: { "license-file": { file: "/mnt/lic/rsw.lic" } } });
    expect(l.program).toBeUndefined();
  });
});

/** The loader on an in-memory filesystem. */
function load(spec: string, env: Record<string, string>, files: Record<string, string> = {}) {
  const all: Record<string, string> = { "/s.yaml": spec, ...files };
  return loadSpec({
    specFlag: "/s.yaml",
    env,
    read: (p) => {
      if (p in all) return all[p]!;
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
    },
    exists: (p) => p in all,
  });
}

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("through the loader (profile: connect / workbench / package-manager)", () => {
  it("RSC_LICENSE: the key is resolved, the oneshot is there, connect starts after it, every RSC_LICENSE* var is a secret source", () => {
    const loaded = load("profile: connect\n", { RSC_LICENSE: KEY, RSC_LICENSE_FILE_PATH: "/nowhere.lic" });
    const { spec, secrets } = loaded;
    expect(secrets.values.get("license")).toBe(KEY);
    expect(spec.programs.license).toMatchObject({ oneshot: true, secrets: { LICENSE_KEY: "license" }, stop: { grace: 120_000 } });
    expect(spec.programs.license!.down).toMatchObject({ command: ["/opt/rstudio-connect/bin/license-manager", "deactivate"], retries: 3 });
    expect(spec.programs.connect!.after).toEqual(["license"]);
    for (const v of ["RSC_LICENSE", "RSC_LICENSE_SERVER", "RSC_LICENSE_FILE_PATH", "RSC_LICENSE_FILE"]) expect(secrets.sourceEnvVars.has(v), v).toBe(true);
    expect(loaded.redactor.redact(`key ${KEY}`)).toBe("key <secret:license>");
  });

  it("the spec shapes the oneshot (merged over it) and keeps its own after: and files:", () => {
    const spec = load(
      `profile: workbench
programs:
  license: { stop: { grace: 25s }, down: { retries: 1 } }
  rserver: { after: [launcher] }
files:
  - { path: /etc/motd, content: hi }
`,
      { PWB_LICENSE_SERVER: "https://lic.example.com:8989" },
    ).spec;
    expect(spec.programs.license!.stop.grace).toBe(25_000);
    expect(spec.programs.license!.down!.retries).toBe(1);
    expect(spec.programs.license!.command).toContain("license-server");
    expect(spec.programs.rserver!.after).toEqual(["launcher", "license"]);
    expect(spec.programs.launcher!.after).toEqual([]);
    expect(spec.files.map((f) => f.path)).toEqual(["/etc/motd"]);
  });

  it("the _FILE convention: RSW_LICENSE_FILE names a file holding the key", () => {
    const { secrets } = load("profile: workbench\n", { RSW_LICENSE_FILE: "/run/secrets/rsw" }, { "/run/secrets/rsw": `${KEY}\n` });
    expect(secrets.values.get("license")).toBe(KEY);
  });

  it("a key shorter than 8 characters is refused, naming the secret, never the value", () => {
    const issues = issuesOf(() => load("profile: package-manager\n", { RSPM_LICENSE: "abc12" }));
    expect(issues).toEqual([expect.stringMatching(/^secrets\.license: secret "license" is shorter than 8 characters/)]);
    expect(issues.join("\n")).not.toContain("abc12");
  });

  it("a licence file named by a variable must exist", () => {
    expect(issuesOf(() => load("profile: connect\n", { RSC_LICENSE_FILE_PATH: "/mnt/none.lic" }))).toEqual([
      expect.stringMatching(/^secrets\.license-file: secret "license-file": file \/mnt\/none\.lic does not exist/),
    ]);
  });

  it.each([
    ["connect", {}, "/var/lib/rstudio-connect/license.lic", "root", "Posit Connect licence file, copied from /etc/rstudio-connect/license.lic"],
    ["package-manager", { RSPM_LICENSE_FILE_PATH: "/etc/rstudio-connect/license.lic" }, "/var/lib/rstudio-pm/license.lic", "rstudio-pm", "Posit Package Manager licence file"],
    ["workbench", { PWB_LICENSE_FILE_PATH: "/etc/rstudio-connect/license.lic" }, "/var/lib/rstudio-server/license.lic", "rstudio-server", "Posit Workbench licence file"],
  ])("%s, a licence file: its copy is planned 0600 for the service user, as a secret; no oneshot", (profile, env, path, owner, reason) => {
    const loaded = load(`profile: ${profile}\n`, env, { "/etc/rstudio-connect/license.lic": "LICENSE-FILE-CONTENTS-0123\n" });
    expect(loaded.secrets.values.get("license-file")).toBe("LICENSE-FILE-CONTENTS-0123");
    expect(loaded.spec.programs.license).toBeUndefined();
    expect(loaded.spec.files).toEqual([]);
    const plan = planInit({ spec: loaded.spec, secrets: loaded.secrets.values, env: {}, product: loaded.product });
    const copy = plan.actions.find((a) => a.path === path);
    expect(copy).toMatchObject({ kind: "write-file", content: "LICENSE-FILE-CONTENTS-0123\n", mode: 0o600, owner, secret: true, source: "secrets.license-file" });
    expect(copy!.reason).toContain(reason);
    expect(plan.secretsUsed.has("license-file")).toBe(true);
  });

  it("no licence at all: no secret, no oneshot (the product may have one activated already)", () => {
    const { spec } = load("profile: workbench\n", {});
    expect(Object.keys(spec.secrets)).toEqual([]);
    expect(spec.programs.license).toBeUndefined();
  });

  it("the licence layer comes before the image's own (test user, RSW_LAUNCHER=false): rserver waits for the licence, the launcher is dropped", () => {
    const { spec, secrets } = load("profile: workbench\n", { PWB_LICENSE: KEY, RSW_LAUNCHER: "false", RSW_TESTUSER: "demo", RSW_TESTUSER_PASSWD: "demo-password-1" });
    expect(spec.programs.rserver!.after).toEqual(["license"]);
    expect(spec.users!.sources).toEqual([expect.objectContaining({ type: "env-test-user", onInvalid: "fail" })]);
    expect(spec.programs.launcher!.autostart).toBe(false);
    for (const v of ["PWB_LICENSE", "RSW_LICENSE_SERVER", "RSW_TESTUSER_PASSWD"]) expect(secrets.sourceEnvVars.has(v), v).toBe(true);
  });

  it("no profile: no licence handling, whatever the environment says", () => {
    const { spec, secrets } = load("programs: { a: { command: [x] } }\n", { RSW_LICENSE: KEY });
    expect(spec.programs.license).toBeUndefined();
    expect(secrets.sourceEnvVars.has("RSW_LICENSE")).toBe(false);
  });
});
