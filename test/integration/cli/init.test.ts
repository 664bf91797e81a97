// `foyer init` on the real filesystem: renders the product files, and a second run on an unchanged
// spec writes nothing (mtimes kept) and says so.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
let dir = "";
let specPath = "";

function foyer(...args: string[]) {
  const r = spawnSync(FOYER, args, { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", RSW_LICENSE: "lic-1234-abcd" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** path → mtime (ns) of every regular file under dir (a directory's mtime moves with any rename in it). */
function mtimes(root: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const rel of readdirSync(root, { recursive: true, encoding: "utf8" })) {
    const st = statSync(join(root, rel), { bigint: true });
    if (st.isFile()) out.set(rel, st.mtimeNs);
  }
  return out;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "foyer-init-"));
  specPath = join(dir, "spec.yaml");
  const files = Array.from({ length: 5 }, (_, i) => `  - path: ${dir}/out/extra-${i}.conf\n    template: "n=${i} user={{env 'PATH'}}\\n"\n    mode: "0640"\n    owner: "1234:5678"\n`).join("");
  writeFileSync(
    specPath,
    `profile: workbench
config:
  dir: ${dir}/etc/rstudio
  server:
    rserver.conf:
      www-port: 8080
      auth-proxy: 1
      # generated state stays in the test's dir (the default is /var/lib/rstudio-server)
      secure-cookie-key-file: ${dir}/var/secure-cookie-key
  profiles:
    launcher.kubernetes.profiles.conf:
      "*": { default-cpus: 1, container-images: [r:4.3, r:4.4] }
      "@power-users": { max-cpus: 8 }
files:
${files}`,
  );
});

describe("foyer init", () => {
  it("renders the workbench files with the spec's values over the profile's, in the order written", () => {
    const r = foyer("init", "--spec", specPath);
    expect(r.status, r.stderr).toBe(0);
    const rserver = readFileSync(join(dir, "etc/rstudio/rserver.conf"), "utf8");
    expect(rserver).toMatch(/^server-health-check-enabled=1\n/);
    expect(rserver).toContain("\nwww-port=8080\n");
    expect(rserver).toMatch(/auth-proxy=1\nsecure-cookie-key-file=.*\n$/);
    expect(readFileSync(join(dir, "etc/rstudio/launcher.conf"), "utf8")).toContain("[server]\naddress=127.0.0.1\nport=5559\n");
    const profiles = readFileSync(join(dir, "etc/rstudio/launcher.kubernetes.profiles.conf"), "utf8");
    expect(profiles).toContain("[*]\ndefault-cpus=1\ncontainer-images=r:4.3,r:4.4\n");
    expect(profiles).toContain("[@power-users]\nmax-cpus=8\n");
    const extra = statSync(join(dir, "out/extra-3.conf"));
    expect([extra.mode & 0o777, extra.uid, extra.gid]).toEqual([0o640, 1234, 5678]);
  });

  it("a second init on an unchanged spec writes nothing, keeps every mtime, and says so", () => {
    expect(foyer("init", "--spec", specPath).status).toBe(0);
    // push every mtime into the past so a rewrite could not hide inside the same timestamp tick
    for (const rel of readdirSync(join(dir, "etc/rstudio"))) utimesSync(join(dir, "etc/rstudio", rel), 1_000_000, 1_000_000);
    const before = mtimes(dir);
    const second = foyer("init", "--spec", specPath);
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(/nothing to change: \d+ path\(s\) already up to date/);
    expect(mtimes(dir)).toEqual(before);
  });

  it("changes only the file whose input changed", () => {
    expect(foyer("init", "--spec", specPath).status).toBe(0);
    const before = mtimes(dir);
    writeFileSync(specPath, readFileSync(specPath, "utf8").replace("www-port: 8080", "www-port: 8081"));
    const r = foyer("init", "--spec", specPath);
    expect(r.stderr).toMatch(/applied 1 change\(s\)/);
    const after = mtimes(dir);
    const changed = [...after].filter(([p, t]) => before.get(p) !== t).map(([p]) => p);
    expect(changed.sort()).toEqual(["etc/rstudio/rserver.conf", "spec.yaml"]);
  });
});

describe("a target the container runtime bind-mounted (Docker's /etc/hosts, a Kubernetes subPath file)", () => {
  it("validate, plan and init refuse it up front (exit 78, naming it), instead of init failing mid-apply with EBUSY", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-mounted-"));
    writeFileSync(join(dir, "hosts"), "127.0.0.1 localhost\n");
    writeFileSync(join(dir, "hosts.src"), "from the runtime\n");
    writeFileSync(join(dir, "spec.yaml"), `files:\n  - { path: ${dir}/other.conf, content: "x\\n" }\n  - { path: ${dir}/hosts, content: "127.0.0.1 localhost\\n10.0.0.1 db\\n" }\n`);
    const script = `mount --bind ${dir}/hosts.src ${dir}/hosts && for c in validate plan init; do ${FOYER} $c --spec ${dir}/spec.yaml; echo "rc=$?"; done`;
    const r = spawnSync("unshare", ["--mount", "sh", "-c", script], { encoding: "utf8", timeout: 30_000 });
    expect(r.stdout.match(/rc=\d+/g)).toEqual(["rc=78", "rc=78", "rc=78"]);
    expect(r.stderr).toContain(`${dir}/hosts is a mount point`);
    expect(r.stderr).toMatch(/→ at files\[1\]/);
    expect(existsSync(join(dir, "other.conf")), "nothing written").toBe(false);
  });
});
