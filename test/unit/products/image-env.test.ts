// Posit Workbench images' environment variables through the loader with profile: workbench.
import { describe, expect, test } from "vitest";
import { loadSpecCollecting } from "../../../src/spec/load.js";
import { sharedEnv } from "../../../src/supervise/env.js";

const load = (env: Record<string, string>, yaml = "profile: workbench\n") =>
  loadSpecCollecting({ specFlag: "/s.yaml", env, read: (p) => (p === "/s.yaml" ? yaml : (() => { throw Object.assign(new Error("ENOENT"), { code: "ENOENT" }); })()), exists: (p) => p === "/s.yaml" });

describe("Workbench images' env vars", () => {
  test("RSW_TESTUSER: a test-user oneshot before rserver; the password only in its env, kept from every other program", () => {
    const env = { RSW_TESTUSER: "rstudio", RSW_TESTUSER_PASSWD: "rstudio", RSW_TESTUSER_UID: "10000" };
    const r = load(env);
    expect(r.issues).toEqual([]);
    const { spec, secrets } = r.loaded!;
    expect(spec.programs["test-user"]).toMatchObject({ oneshot: true, env: { TESTUSER: "rstudio", TESTUSER_UID: "10000", TESTUSER_PASSWD: "rstudio" } });
    expect(JSON.stringify(spec.programs["test-user"]!.command)).not.toContain("TESTUSER_PASSWD=rstudio");
    expect(spec.programs.rserver!.after).toContain("test-user");
    expect(sharedEnv({ ...env, PATH: "/bin" }, {}, secrets)).toEqual({ RSW_TESTUSER: "rstudio", RSW_TESTUSER_UID: "10000", PATH: "/bin" });
  });

  test("PWB_ names win over RSW_; an empty name (the successor image's default) means no test user", () => {
    const r = load({ PWB_TESTUSER: "alice", RSW_TESTUSER: "rstudio", PWB_TESTUSER_UID: "2000" });
    expect(r.loaded!.spec.programs["test-user"]!.env).toMatchObject({ TESTUSER: "alice", TESTUSER_UID: "2000" });
    expect(load({ PWB_TESTUSER: "", RSW_TESTUSER: "rstudio" }).loaded!.spec.programs["test-user"]).toBeUndefined();
  });

  test("bad values are config errors naming the variable", () => {
    const r = load({ RSW_TESTUSER: "Bad Name;rm", RSW_LAUNCHER: "yes", PWB_LAUNCHER_TIMEOUT: "30s" });
    expect(r.issues.map((i) => [i.path, i.where])).toEqual([
      ["RSW_TESTUSER", "env RSW_TESTUSER"],
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
    expect(diag.diagnostics).toMatchObject({ oneshot: true, env: { DIAGNOSTIC_DIR: "/diag", VERIFY_USER: "rstudio" }, after: ["test-user"] });
    expect(diag.rserver!.after).toContain("diagnostics");
    const only = load({ DIAGNOSTIC_ENABLE: "true", DIAGNOSTIC_ONLY: "true" }).loaded!.spec.programs;
    expect(only.diagnostics).toMatchObject({ critical: true, oneshot: false, restart: "never" });
    expect(only.rserver!.autostart).toBe(false);
    expect(only.launcher!.autostart).toBe(false);
    expect(load({ DIAGNOSTIC_ENABLE: "false" }).loaded!.spec.programs.diagnostics).toBeUndefined();
  });
});
