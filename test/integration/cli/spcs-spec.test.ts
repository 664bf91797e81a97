// `foyer spcs-spec` through the binary: the three values files (Workbench, Connect, a Jupyter
// single-user image) give specs that pass the SPCS rule checker and foyer specs that pass
// `foyer validate` with the environment SPCS would give the container; broken inputs exit 78 naming
// the value (with line:col) and write nothing; --out follows render's rules for DIR.
import { spawnSync } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkServiceSpec } from "../../../src/generate/spcs/index.js";

const FOYER = join(__dirname, "../../../dist/foyer");
const FIXTURES = join(__dirname, "../../fixtures/spcs");
let dir = "";

function foyer(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(FOYER, args, { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "foyer-spcs-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What SPCS puts in the container's environment for each generated spec (secrets by value). */
function spcsEnvironment(name: string): Record<string, string> {
  if (name === "workbench") {
    // a generic_string secret at directoryPath is the file <dir>/secret_string
    const licDir = join(dir, "licensing");
    mkdirSync(licDir, { recursive: true });
    writeFileSync(join(licDir, "secret_string"), "-----BEGIN RSTUDIO LICENSE-----\nabc\n-----END-----\n");
    return { RSW_LICENSE_FILE_PATH: join(licDir, "secret_string"), WORKBENCH_DB_PASSWORD: "db-pass-from-snowflake", TZ: "Europe/Paris", RSW_LAUNCHER: "false" };
  }
  if (name === "connect") return { RSC_LICENSE: "LICENSE-KEY-FROM-SNOWFLAKE", CONNECT_POSTGRES_PASSWORD: "pg-pass-from-snowflake" };
  return { JPY_COOKIE_SECRET: "0123456789abcdef0123456789abcdef", MINIO_ACCESS_KEY: "minio-access-from-snowflake", MINIO_SECRET_KEY: "minio-secret-from-snowflake" };
}

/**
 * `foyer validate` as inside the image: its accounts (rstudio-server 999, jovyan 1000) in
 * /etc/passwd and /etc/group and jovyan's home, laid over this machine's in a private mount
 * namespace (root, like the other integration tests), so nothing outside the test changes.
 */
function validateInImage(spec: string, env: Record<string, string>) {
  const etc = join(dir, "image-etc");
  mkdirSync(etc, { recursive: true });
  writeFileSync(join(etc, "passwd"), readFileSync("/etc/passwd", "utf8") + "rstudio-server:x:999:999::/home/rstudio-server:/bin/sh\njovyan:x:1000:100::/home/jovyan:/bin/bash\n");
  const group = readFileSync("/etc/group", "utf8");
  writeFileSync(join(etc, "group"), group + "rstudio-server:x:999:\n" + (/^users:/m.test(group) ? "" : "users:x:100:\n"));
  const setup = 'mount --bind "$0/passwd" /etc/passwd && mount --bind "$0/group" /etc/group && mount -t tmpfs tmpfs /home && mkdir /home/jovyan && chown 1000:100 /home/jovyan && exec "$@"';
  const r = spawnSync("unshare", ["--mount", "--propagation", "private", "sh", "-c", setup, etc, FOYER, "validate", "--spec", spec], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("foyer spcs-spec: three values files", () => {
  it.each(["workbench", "connect", "jupyter"])("%s: spec.yaml passes the rules, foyer.yaml passes foyer validate", (name) => {
    const out = join(dir, `out-${name}`);
    const r = foyer(["spcs-spec", "--values", join(FIXTURES, `${name}.yaml`), "--out", out]);
    expect(r.stderr).not.toMatch(/✖/);
    expect(r.status).toBe(0);
    for (const f of ["spec.yaml", "foyer.yaml", "create-service.sql"]) expect(statSync(join(out, f)).mode & 0o777).toBe(0o644);
    const spec = parse(readFileSync(join(out, "spec.yaml"), "utf8"));
    expect(checkServiceSpec(spec)).toEqual([]);
    expect(spec.spec.containers[0].command.slice(0, 2)).toEqual(["/usr/local/bin/foyer", "run"]);
    // the SQL carries the same specification
    expect(readFileSync(join(out, "create-service.sql"), "utf8")).toContain(readFileSync(join(out, "spec.yaml"), "utf8").replace(/^#.*\n/, ""));
    // stdout without --out is the same spec
    expect(foyer(["spcs-spec", "--values", join(FIXTURES, `${name}.yaml`)]).stdout).toBe(readFileSync(join(out, "spec.yaml"), "utf8").replace(/^#.*\n/, ""));
    const v = validateInImage(join(out, "foyer.yaml"), spcsEnvironment(name));
    expect(v.stderr).toMatch(/is valid/);
    expect(v.status).toBe(0);
  });

  it("no literal from the values file reaches the output (Connect's license.key)", () => {
    const out = join(dir, "out-connect");
    for (const f of ["spec.yaml", "foyer.yaml", "create-service.sql"]) expect(readFileSync(join(out, f), "utf8")).not.toContain("set-in-a-snowflake-secret");
  });

  it("reports dropped Kubernetes keys and the 30 s stop window on stderr", () => {
    const r = foyer(["spcs-spec", "--values", join(FIXTURES, "workbench.yaml")]);
    expect(r.stderr).toMatch(/dropped initContainers: SPCS has no init containers/);
    expect(r.stderr).toMatch(/dropped pod.securityContext/);
    expect(r.stderr).toMatch(/120s cannot be honoured: SPCS sends KILL 30 s after SIGTERM .* at pod.terminationGracePeriodSeconds \(.*workbench.yaml:\d+:\d+\)/);
  });
});

describe("foyer spcs-spec --check", () => {
  it("a hand-written spec in the early singular form: valid, with advice about its literal licence key", () => {
    const f = join(dir, "hand.yaml");
    writeFileSync(f, "spec:\n  container:\n  - name: connect\n    image: /db/s/r/connect:1\n    env:\n      RSC_LICENSE: AAAA-BBBB-CCCC\n  endpoint:\n  - name: e1\n    port: 3939\n    public: true\n");
    const r = foyer(["spcs-spec", "--check", f]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/RSC_LICENSE looks like a secret written as a literal.*at spec.container\[0\].env.RSC_LICENSE \(.*hand.yaml:6:\d+\)/);
    expect(r.stderr).not.toContain("AAAA-BBBB");
  });

  it("every broken rule with its line:col, exit 78", () => {
    const f = join(dir, "bad-spec.yaml");
    writeFileSync(f, "spec:\n  containers:\n  - name: Web_App\n    image: x\n  endpoints:\n  - name: e1\n    port: 22\n    protocol: TCP\n    public: true\n  volumes:\n  - name: home\n    source: block\n    size: 10Gi\n    uid: 1000\n");
    const r = foyer(["spcs-spec", "--check", f]);
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/not an SPCS name.*\n\s+→ at spec.containers\[0\].name \(.*bad-spec.yaml:3:\d+\)/);
    expect(r.stderr).toMatch(/must be HTTP .*\n\s+→ at spec.endpoints\[0\].public \(.*:9:\d+\)/);
    expect(r.stderr).toMatch(/uid is for stage volumes only.*\n\s+→ at spec.volumes\[0\].uid \(.*:14:\d+\)/);
    expect(foyer(["spcs-spec", "--check", f, "--values", f]).status).toBe(2);
  });
});

describe("foyer spcs-spec: broken inputs", () => {
  const broken = (name: string, edit: (text: string) => string) => {
    const f = join(dir, `broken-${name}.yaml`);
    writeFileSync(f, edit(readFileSync(join(FIXTURES, `${name === "jupyter" ? "jupyter" : "workbench"}.yaml`), "utf8")));
    return f;
  };

  it("every value that cannot be mapped at once, with line:col, exit 78, nothing written", () => {
    const f = broken("workbench", (t) => t.replace("key: null", "key: ABCD-1234-LITERAL").replace("name: workbench-db", "name: no-such-secret").replace("size: 50Gi }", "size: 500Mi }"));
    const out = join(dir, "never");
    const r = foyer(["spcs-spec", "--values", f, "--out", out]);
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/a literal licence key is never copied .*\n\s+→ at license.key \(.*broken-workbench.yaml:7:\d+\)/);
    expect(r.stderr).toMatch(/Kubernetes Secret "no-such-secret" has no Snowflake secret.*\n\s+→ at pod.env\[0\].valueFrom.secretKeyRef.name \(.*:\d+:\d+\)/);
    expect(r.stderr).toMatch(/"500Mi": a block volume's size is a whole number of Gi.*\n\s+→ at spcs.storage.homeStorage.size/);
    expect(r.stderr).not.toContain("ABCD-1234-LITERAL");
    expect(r.stderr).toMatch(/invalid configuration \(3 problems\)/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it("SQLite on a stage volume is refused", () => {
    const f = broken("jupyter", (t) => t.replace("hub.db: { source: block, size: 1Gi }", 'hub.db: { source: stage, stage: "@hub" }'));
    const r = foyer(["spcs-spec", "--values", f]);
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/SQLite database and stage volumes do not support random writes.*\n\s+→ at spcs.storage.hub.db.source/);
    expect(r.stdout).toBe("");
  });

  it("a YAML syntax error, a missing file and a FIFO are exit 78; no --values is exit 2", () => {
    const bad = join(dir, "syntax.yaml");
    writeFileSync(bad, "image: [\n");
    expect(foyer(["spcs-spec", "--values", bad])).toMatchObject({ status: 78, stderr: expect.stringMatching(/YAML syntax/) });
    expect(foyer(["spcs-spec", "--values", join(dir, "absent.yaml")])).toMatchObject({ status: 78, stderr: expect.stringMatching(/--values/) });
    const fifo = join(dir, "fifo.yaml");
    execFileSync("mkfifo", [fifo]);
    expect(foyer(["spcs-spec", "--values", fifo])).toMatchObject({ status: 78, stderr: expect.stringMatching(/not a regular file/) });
    expect(foyer(["spcs-spec"]).status).toBe(2);
  });

  it("a values file name with a newline cannot add YAML to the output's header", () => {
    const f = join(dir, "odd\nprofile: evil.yaml");
    writeFileSync(f, readFileSync(join(FIXTURES, "connect.yaml")));
    const out = join(dir, "out-odd");
    expect(foyer(["spcs-spec", "--values", f, "--out", out]).status).toBe(0);
    expect(parse(readFileSync(join(out, "foyer.yaml"), "utf8")).profile).toBe("connect");
  });

  it("foyer.yaml holding a literal secret config file is written 0600, the others 0644", () => {
    const f = join(dir, "literal-secret.yaml");
    writeFileSync(f, readFileSync(join(FIXTURES, "workbench.yaml"), "utf8").replace("  secret:\n", "  secret:\n    openid-client-secret: |\n      client-secret=literal-client-secret\n"));
    const out = join(dir, "out-literal");
    const r = foyer(["spcs-spec", "--values", f, "--out", out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/config.secret.openid-client-secret/);
    expect(r.stderr).not.toContain("literal-client-secret");
    expect(statSync(join(out, "foyer.yaml")).mode & 0o777).toBe(0o600);
    expect(statSync(join(out, "spec.yaml")).mode & 0o777).toBe(0o644);
  });

  it("--out follows render's rules: a link where a file goes is refused and nothing is written", () => {
    const out = join(dir, "linked");
    mkdirSync(out, { mode: 0o755 });
    const victim = join(dir, "victim");
    writeFileSync(victim, "keep\n");
    symlinkSync(victim, join(out, "foyer.yaml"));
    const r = foyer(["spcs-spec", "--values", join(FIXTURES, "connect.yaml"), "--out", out]);
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/foyer.yaml is a symbolic link/);
    expect(readFileSync(victim, "utf8")).toBe("keep\n");
    expect(existsSync(join(out, "spec.yaml"))).toBe(false);
  });
});
