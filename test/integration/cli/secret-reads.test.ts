// Secrets that could leak through what foyer reads rather than what it prints: files the spec names
// reached through a link a user planted, a template file others may not read, and foyer's own
// environment seen by a program running as its uid. Through the binary; every secret carries
// "Zq7" (or is checked with its Z lowered, so the Redactor cannot hide a leak from the test).
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");

function foyer(args: string[], env: Record<string, string> = {}, timeout = 20_000) {
  const r = spawnSync(FOYER, args, { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, timeout });
  return { status: r.status, out: (r.stdout ?? "") + (r.stderr ?? ""), stdout: r.stdout ?? "", signal: r.signal };
}

describe("files foyer reads for the spec, under a directory a user can write", () => {
  // a home where the user (65534) planted ~/.token -> a root-only file, and a second, root-made link
  const setUp = () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-readlinks-"));
    chmodSync(dir, 0o755);
    const rootOnly = join(dir, "root-only");
    writeFileSync(rootOnly, "root:Zq7-shadow-line:19000:0:99999:7:::\n", { mode: 0o600 });
    const home = join(dir, "home");
    mkdirSync(home, { mode: 0o755 });
    chownSync(home, 65534, 65534);
    symlinkSync(rootOnly, join(home, ".token"));
    lchownSync(join(home, ".token"), 65534, 65534);
    writeFileSync(join(dir, "real-token"), "a-real-token-value\n", { mode: 0o600 });
    symlinkSync(join(dir, "real-token"), join(dir, "root-link")); // root's own link (like a kubelet's ..data): followed
    return { dir, home };
  };

  it("a secret file: a link the user planted is not followed (exit 78, nothing started); root's own link is", () => {
    const { dir, home } = setUp();
    const spec = join(dir, "spec.yaml");
    const out = join(dir, "stolen");
    writeFileSync(spec, `secrets:\n  token: { file: ${home}/.token }\n  ok: { file: ${dir}/root-link }\nprograms:\n  lab: { command: [sh, -c, 'printf "%s" "$TOKEN" > ${out}'], secrets: { TOKEN: token }, critical: true, restart: never }\n`);
    const r = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", FOYER, "run", "--spec", spec], { encoding: "utf8", timeout: 20_000 });
    expect(r.status, r.stderr).toBe(78);
    expect(r.stderr).toContain(`secret "token": file ${home}/.token is a symbolic link foyer does not follow: it belongs to uid 65534`);
    expect(r.stderr).not.toContain(`secret "ok"`);
    expect(() => statSync(out)).toThrow();
  });

  it("a job-json-overrides file the launcher profiles name: a link the user planted is not read through (the check says so)", () => {
    const { dir, home } = setUp();
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, `config:\n  dir: ${dir}/etc\n  profiles:\n    launcher.kubernetes.profiles.conf:\n      "*":\n        job-json-overrides:\n          - { target: "/spec/x", file: ${home}/.token }\n`);
    const r = foyer(["validate", "--spec", spec]);
    expect(r.out).toContain(`file ${home}/.token is a symbolic link foyer does not follow: it belongs to uid 65534`);
    expect(r.out).not.toContain("not valid JSON"); // what root found when it read the root-only file through the link
  });

  it("a templateFile: a link the user planted is not followed (a root-only file never lands in a 0644 file)", () => {
    const { dir, home } = setUp();
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, `files:\n  - { path: ${dir}/out/notes.txt, templateFile: ${home}/.token }\n  - { path: ${dir}/out/ok.txt, templateFile: ${dir}/root-link }\n`);
    for (const cmd of ["plan", "init"]) {
      const r = foyer([cmd, "--spec", spec]);
      expect(r.status, r.out).toBe(78);
      expect(r.out).toContain(`cannot read template file ${home}/.token: it is a symbolic link foyer does not follow: it belongs to uid 65534`);
      expect(r.out).not.toContain("Zq7");
      expect(r.out).not.toContain("ok.txt");
    }
    expect(() => statSync(join(dir, "out"))).toThrow();
  });
});

describe("a program running as foyer's own uid (a non-root container: OpenShift, SPCS, docker run --user)", () => {
  it("cannot read the secrets it did not ask for out of foyer's /proc/PID/environ", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-environ-"));
    chmodSync(dir, 0o755);
    const spec = join(dir, "spec.yaml");
    // the program prints its own view, then tries foyer's environment (its parent: foyer is PID 1)
    writeFileSync(spec, `secrets:\n  db: { env: DB_PASSWORD }\nprograms:\n  app: { command: [sh, -c, 'echo "own=\${DB_PASSWORD:-none}"; tr "\\\\0" "\\\\n" < /proc/$PPID/environ | grep DB_PASSWORD | tr Z z; echo read-done'], critical: true, restart: never }\n`);
    chmodSync(spec, 0o644);
    const r = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "DB_PASSWORD=hunter2-Zq7-long", FOYER, "run", "--spec", spec], { encoding: "utf8", timeout: 20_000 });
    expect(r.stdout, r.stderr).toContain("app | own=none");
    expect(r.stdout).toContain("app | read-done");
    // the secret, its 'Z' turned to 'z' so the Redactor cannot hide a leak from this test
    expect(r.stdout).not.toContain("hunter2-zq7-long");
  });
});

describe("a templateFile others cannot read (a licence file 0600)", () => {
  const setUp = (mode?: string) => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-privtpl-"));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, "license.lic"), "LICENSE-KEY-Zq7-PRIVATE-0001\nExpires: 2027-01-01 Zq7\n", { mode: 0o600 });
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, `files:\n  - path: ${dir}/out/license.lic\n    templateFile: ${dir}/license.lic\n${mode ? `    mode: "${mode}"\n` : ""}`);
    return { dir, spec };
  };

  it("is shown by nobody (plan, plan --json, render --redact) and written 0600 like a secret", () => {
    const { dir, spec } = setUp();
    for (const args of [["plan"], ["plan", "--json"], ["render", "--redact", "--out", join(dir, "render")], ["init", "--log-level", "debug"]]) {
      const r = foyer([args[0]!, "--spec", spec, ...args.slice(1)]);
      expect(r.status, r.out).toBe(0);
      expect(r.out, args.join(" ")).not.toContain("Zq7");
    }
    expect(readFileSync(join(dir, "render", dir, "out/license.lic"), "utf8")).not.toContain("Zq7");
    expect(statSync(join(dir, "out/license.lic")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "out/license.lic"), "utf8")).toBe("LICENSE-KEY-Zq7-PRIVATE-0001\nExpires: 2027-01-01 Zq7\n");
  });

  it("copying it into a world-readable file is refused (exit 78), as for a secret", () => {
    const { dir, spec } = setUp("0644");
    const r = foyer(["validate", "--spec", spec]);
    expect(r.status, r.out).toBe(78);
    expect(r.out).toMatch(/mode 0644 is not allowed: the file holds secrets/);
    expect(() => statSync(join(dir, "out"))).toThrow();
  });
});
