import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { loadSpec } from "../../../src/spec/index.js";

/** An in-memory filesystem for the loader's reads. */
function fakeFs(files: Record<string, string>) {
  return {
    read: (p: string) => {
      if (p in files) return files[p]!;
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
    },
    exists: (p: string) => p in files,
  };
}

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadSpec", () => {
  it("finds the spec by --spec, then $FOYER_SPEC, then /etc/foyer/foyer.yaml", () => {
    const fs = fakeFs({ "/a.yaml": "env: {A: a}", "/b.yaml": "env: {B: b}", "/etc/foyer/foyer.yaml": "env: {C: c}" });
    expect(loadSpec({ specFlag: "/a.yaml", env: { FOYER_SPEC: "/b.yaml" }, ...fs }).spec.env).toEqual({ A: "a" });
    expect(loadSpec({ env: { FOYER_SPEC: "/b.yaml" }, ...fs }).spec.env).toEqual({ B: "b" });
    expect(loadSpec({ env: {}, ...fs }).spec.env).toEqual({ C: "c" });
    expect(loadSpec({ env: {}, ...fakeFs({}) }).specPath).toBeUndefined();
  });

  it("merges the profile under the spec, keeping profile values the spec does not touch", () => {
    const fs = fakeFs({ "/s.yaml": "profile: workbench\nprograms:\n  rserver:\n    stop: { grace: 30s }\n" });
    const { spec } = loadSpec({ specFlag: "/s.yaml", env: {}, ...fs });
    expect(spec.programs.rserver!.stop.grace).toBe(30_000);
    expect(spec.programs.rserver!.after).toEqual(["launcher"]);
    expect(spec.programs.launcher!.ready!.tcp).toEqual({ host: "127.0.0.1", port: 5559 });
  });

  it("null in the spec removes a profile key", () => {
    const fs = fakeFs({ "/s.yaml": "profile: workbench\nprograms:\n  launcher: null\n  rserver: { after: [] }\n" });
    const { spec } = loadSpec({ specFlag: "/s.yaml", env: {}, ...fs });
    expect(Object.keys(spec.programs)).toEqual(["rserver"]);
  });

  it("applies FOYER__ env overrides as YAML scalars", () => {
    const fs = fakeFs({ "/s.yaml": "programs:\n  app: { command: [x] }\n" });
    const { spec } = loadSpec({ specFlag: "/s.yaml", env: { FOYER__programs__app__restart: "always", FOYER__log__level: "debug" }, ...fs });
    expect(spec.programs.app!.restart).toBe("always");
    expect(spec.log.level).toBe("debug");
  });

  it("reports every problem at once with path, line:col and a did-you-mean", () => {
    const fs = fakeFs({
      "/s.yaml": "programs:\n  app:\n    command: [x]\n    restrat: always\n    stop: { grace: soon }\nprofil: x\n",
    });
    const issues = issuesOf(() => loadSpec({ specFlag: "/s.yaml", env: {}, ...fs }));
    const text = issues.map((i) => `${i.path} ${i.message} ${i.where}`);
    expect(text).toContainEqual(expect.stringMatching(/^programs\.app\.restrat unknown key "restrat" \(did you mean "restart"\?\) \/s\.yaml:4:5$/));
    expect(text).toContainEqual(expect.stringMatching(/^profil unknown key "profil" \(did you mean "profile"\?\) \/s\.yaml:6:1$/));
    expect(text).toContainEqual(expect.stringMatching(/^programs\.app\.stop\.grace expected a duration.*"soon".*\/s\.yaml:5/));
  });

  it("names an unknown profile with a suggestion", () => {
    const fs = fakeFs({ "/s.yaml": "profile: workbnch\n" });
    const [issue] = issuesOf(() => loadSpec({ specFlag: "/s.yaml", env: {}, ...fs }));
    expect(issue!.message).toMatch(/unknown profile "workbnch" \(did you mean "workbench"\?\)/);
    expect(issue!.where).toBe("/s.yaml:1:10");
  });

  it("reports YAML syntax errors with their position", () => {
    const fs = fakeFs({ "/s.yaml": "programs:\n  app: [unclosed\n" });
    const issues = issuesOf(() => loadSpec({ specFlag: "/s.yaml", env: {}, ...fs }));
    expect(issues[0]!.message).toMatch(/^YAML syntax/);
    expect(issues[0]!.where).toMatch(/^\/s\.yaml:\d+:\d+$/);
  });

  it("a missing spec file is a config error naming it", () => {
    const issues = issuesOf(() => loadSpec({ specFlag: "/nope.yaml", env: {}, ...fakeFs({}) }));
    expect(issues[0]!.message).toBe("spec file /nope.yaml does not exist");
  });
});

describe("secrets", () => {
  const spec = "secrets:\n  db: { env: DB_PASSWORD }\n  lic: { file: /run/secrets/lic }\n  tok: { k8s: /var/run/k8s, key: token }\n";

  it("reads env, VAR_FILE, files and Kubernetes secret dirs, and registers them for redaction", () => {
    const fs = fakeFs({ "/s.yaml": spec, "/run/secrets/lic": "LICENSE-KEY\n", "/var/run/k8s/token": "tok-12345", "/pw": "from-file\n" });
    const loaded = loadSpec({ specFlag: "/s.yaml", env: { DB_PASSWORD_FILE: "/pw" }, ...fs });
    expect(Object.fromEntries(loaded.secrets.values)).toEqual({ db: "from-file", lic: "LICENSE-KEY", tok: "tok-12345" });
    expect([...loaded.secrets.sourceEnvVars]).toEqual(["DB_PASSWORD", "DB_PASSWORD_FILE"]);
    expect(loaded.redactor.redact("pw=from-file key=LICENSE-KEY")).toBe("pw=<secret:db> key=<secret:lic>");
  });

  it("collects every missing or unreadable secret", () => {
    const fs = fakeFs({ "/s.yaml": spec });
    const issues = issuesOf(() => loadSpec({ specFlag: "/s.yaml", env: {}, ...fs }));
    expect(issues.map((i) => i.message)).toEqual([
      'secret "db": environment variable DB_PASSWORD is not set (nor DB_PASSWORD_FILE)',
      'secret "lic": file /run/secrets/lic does not exist',
      'secret "tok": key file /var/run/k8s/token does not exist',
    ]);
  });

  it("optional secrets may be absent", () => {
    const fs = fakeFs({ "/s.yaml": "secrets:\n  a: { env: A, optional: true }\n  b: { file: /b, optional: true }\n" });
    expect(loadSpec({ specFlag: "/s.yaml", env: {}, ...fs }).secrets.values.size).toBe(0);
  });
});
