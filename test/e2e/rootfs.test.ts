// The binary copied alone into a Debian root with no Node at all, run as PID 1 there with /tmp,
// /run and /dev/shm mounted noexec (as container runtimes often do).
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "../..");
const ROOTFS = process.env.ROOTFS ?? "/tmp/foyer-testkit/rootfs";
const haveRootfs = existsSync(join(ROOTFS, "bin/sh"));

function inRootfs(script: string, keep: string) {
  const app = mkdtempSync(join(tmpdir(), "foyer-app-"));
  copyFileSync(join(ROOT, "dist/foyer"), join(app, "foyer"));
  writeFileSync(
    join(app, "spec.yaml"),
    `profile: workbench
secrets:
  license: { env: RSW_LICENSE }
config:
  secret:
    license.conf: { key: "{{secret 'license'}}" }
files:
  - path: /home/demo/.Rprofile
    content: "options(repos = c(CRAN = 'https://cloud.r-project.org'))\\n"
    owner: "4242:4242"
    mode: "0640"
`,
  );
  return spawnSync("sh", [join(ROOT, "test/e2e/run-in-rootfs.sh"), "sh", "-c", script], {
    encoding: "utf8",
    env: { ...process.env, ROOTFS, APP: app, KEEP: keep, NOEXEC: "1", INIT_ENV: "RSW_LICENSE=lic-e2e-9f8e7d" },
    timeout: 60_000,
  });
}

// CI builds the root in .ci/run, so there a missing root is a failure, not a skip
describe.skipIf(!haveRootfs && !process.env.CI)("single binary in a Debian root without Node", () => {
  it("inits the workbench files and runs a main program as PID 1", () => {
    const keep = join(mkdtempSync(join(tmpdir(), "foyer-upper-")), "upper");
    const r = inRootfs(
      `set -e
       if command -v node || ls /usr/local/bin/node /usr/bin/node* 2>/dev/null; then echo "node found"; exit 99; fi
       mount | grep -E ' /tmp | /run | /dev/shm ' | grep -c noexec
       /opt/app/foyer init --spec /opt/app/spec.yaml
       /opt/app/foyer init --spec /opt/app/spec.yaml
       rc=0; /opt/app/foyer run -- sh -c 'echo "main pid $$"; exit 3' || rc=$?
       echo "run rc=$rc"`,
      keep,
    );
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(0);
    expect(out).not.toContain("node found");
    expect(out).toMatch(/^3$/m); // three noexec mounts
    expect(out).toMatch(/nothing to change/);
    expect(out).toContain("run rc=3");
    expect(out).not.toContain("lic-e2e-9f8e7d");
    const rserver = readFileSync(join(keep, "etc/rstudio/rserver.conf"), "utf8");
    expect(rserver).toContain("www-port=8787\n");
    const lic = statSync(join(keep, "etc/rstudio/license.conf"));
    expect(lic.mode & 0o777).toBe(0o600);
    expect(readFileSync(join(keep, "etc/rstudio/license.conf"), "utf8")).toBe("key=lic-e2e-9f8e7d\n");
    const rprofile = statSync(join(keep, "home/demo/.Rprofile"));
    expect([rprofile.mode & 0o777, rprofile.uid, rprofile.gid]).toEqual([0o640, 4242, 4242]);
  });
});
