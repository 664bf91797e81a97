// Posit Workbench images' environment variables through the loader with profile: workbench.
import { describe, expect, test } from "vitest";
import { loadSpecCollecting } from "../../../src/spec/load.js";
import { sharedEnv } from "../../../src/supervise/env.js";

const load = (env: Record<string, string>, yaml = "profile: workbench\n") =>
  loadSpecCollecting({ specFlag: "/s.yaml", env, read: (p) => (p === "/s.yaml" ? yaml : (() => { throw Object.assign(new Error("ENOENT"), { code: "ENOENT" }); })()), exists: (p) => p === "/s.yaml" });

describe("Workbench images' env vars", () => {
  test("RSW_TESTUSER: the users module's env-test-user source (no program of its own); the password is a secret, masked and kept from every program", () => {
    const env = { RSW_TESTUSER: "rstudio", RSW_TESTUSER_PASSWD: "a-long-passw0rd", RSW_TESTUSER_UID: "10000" };
    const r = load(env);
    expect(r.issues).toEqual([]);
    const { spec, secrets, redactor } = r.loaded!;
    expect(spec.users!.sources).toEqual([{ type: "env-test-user", onInvalid: "fail" }]);
    expect(Object.keys(spec.programs).sort()).toEqual(["launcher", "rserver"]);
    expect(spec.programs.rserver!.after ?? []).not.toContain("test-user");
    expect(sharedEnv({ ...env, PATH: "/bin" }, {}, secrets)).toEqual({ RSW_TESTUSER: "rstudio", RSW_TESTUSER_UID: "10000", PATH: "/bin" });
    expect(redactor.redact("pw=a-long-passw0rd")).toBe("pw=<secret:test-user-password>");
  });

  test("the spec's own users: sources are kept and the test user's source is added once", () => {
    const yaml = "profile: workbench\nusers:\n  sources:\n    - { type: static, users: [{ name: ann, uid: 5001 }] }\n";
    expect(load({ RSW_TESTUSER: "rstudio" }, yaml).loaded!.spec.users!.sources.map((s) => s.type)).toEqual(["static", "env-test-user"]);
    const own = "profile: workbench\nusers:\n  sources:\n    - { type: env-test-user }\n";
    expect(load({ RSW_TESTUSER: "rstudio" }, own).loaded!.spec.users!.sources).toEqual([{ type: "env-test-user", onInvalid: "skip" }]);
  });

  test("PWB_ names win over RSW_; an empty name (the successor image's default) means no test user and no users: section", () => {
    expect(load({ PWB_TESTUSER: "alice", RSW_TESTUSER: "rstudio" }).loaded!.spec.users!.sources).toHaveLength(1);
    expect(load({ PWB_TESTUSER: "", RSW_TESTUSER: "rstudio" }).loaded!.spec.users).toBeUndefined();
  });

  test("the test user's password: Posit's public default is a warning, not a secret; any other must be 8+ characters (naming the variable)", () => {
    const def = load({ RSW_TESTUSER: "rstudio", RSW_TESTUSER_PASSWD: "rstudio" });
    expect(def.issues).toEqual([]);
    expect(def.loaded!.warnings.map((w) => [w.path, w.where])).toEqual([["RSW_TESTUSER_PASSWD", "env RSW_TESTUSER_PASSWD"]]);
    expect(def.loaded!.warnings[0]!.message).toMatch(/public default "rstudio"/);
    expect(def.loaded!.redactor.redact("rstudio-server")).toBe("rstudio-server");
    expect(def.loaded!.secrets.sourceEnvVars.has("RSW_TESTUSER_PASSWD")).toBe(true);
    const short = load({ PWB_TESTUSER: "pwb", PWB_TESTUSER_PASSWD: "abc12", RSW_TESTUSER_PASSWD: "a-long-passw0rd" });
    expect(short.issues.map((i) => [i.path, i.where])).toEqual([["PWB_TESTUSER_PASSWD", "env PWB_TESTUSER_PASSWD"]]);
    expect(short.issues[0]!.message).toMatch(/shorter than 8 characters/);
    expect(short.issues[0]!.message).not.toContain("abc12");
  });

  test("bad values are config errors naming the variable", () => {
    const r = load({ RSW_LAUNCHER: "yes", PWB_LAUNCHER_TIMEOUT: "30s" });
    expect(r.issues.map((i) => [i.path, i.where])).toEqual([
      ["RSW_LAUNCHER", "env RSW_LAUNCHER"],
      ["PWB_LAUNCHER_TIMEOUT", "env PWB_LAUNCHER_TIMEOUT"],
    ]);
  });

  test("RSW_LAUNCHER=false: the launcher does not start and rserver does not wait; RSW_LAUNCHER_TIMEOUT is the launcher's ready timeout", () => {
    const off = load({ RSW_LAUNCHER: "false" }).loaded!.spec.programs;
    expect(off.launcher!.autostart).toBe(false);
    expect(off.rserver!.after).not.toContain("launcher");
    const slow = load({ RSW_LAUNCHER_TIMEOUT: "90" }).loaded!.spec.programs;
    expect(slow.launcher!.ready!.timeout).toBe(90_000);
    expect(slow.rserver!.after).toContain("launcher");
  });

  test("DIAGNOSTIC_ENABLE: verify-installation before rserver; DIAGNOSTIC_ONLY: only that, critical", () => {
    const diag = load({ DIAGNOSTIC_ENABLE: "true", DIAGNOSTIC_DIR: "/diag", RSW_TESTUSER: "rstudio" }).loaded!.spec.programs;
    expect(diag.diagnostics).toMatchObject({ oneshot: true, env: { DIAGNOSTIC_DIR: "/diag", VERIFY_USER: "rstudio" } });
    expect(diag.rserver!.after).toContain("diagnostics");
    const only = load({ DIAGNOSTIC_ENABLE: "true", DIAGNOSTIC_ONLY: "true" }).loaded!.spec.programs;
    expect(only.diagnostics).toMatchObject({ critical: true, oneshot: false, restart: "never" });
    expect(only.rserver!.autostart).toBe(false);
    expect(only.launcher!.autostart).toBe(false);
    expect(load({ DIAGNOSTIC_ENABLE: "false" }).loaded!.spec.programs.diagnostics).toBeUndefined();
  });
});
