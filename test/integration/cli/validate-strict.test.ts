// Product key validation through the binary: a misspelt Workbench option is a warning on stderr
// (exit 0) for validate and plan, an error with --strict (exit 78).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
const run = (args: string[]) => spawnSync(FOYER, args, { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });

describe("foyer validate --strict", () => {
  const dir = mkdtempSync(join(tmpdir(), "foyer-strict-"));
  const spec = join(dir, "spec.yaml");
  writeFileSync(spec, "profile: workbench\nconfig:\n  server:\n    rserver.conf:\n      www-prot: 8080\n");

  it("warns without failing, for validate and plan, with the did-you-mean and the line", () => {
    for (const cmd of ["validate", "plan"]) {
      const r = run([cmd, "--spec", spec]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`unknown option www-prot in rserver.conf; did you mean www-port? → at config.server.rserver.conf.www-prot (${spec}:5:17)`);
    }
  });

  it("--strict: the same warning is an error, exit 78", () => {
    const r = run(["validate", "--strict", "--spec", spec]);
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/✖ unknown option www-prot[\s\S]*--strict makes it an error/);
  });

  it("the chart's defaults: no warning, even with --strict", () => {
    const clean = join(dir, "clean.yaml");
    // generated state in the test's dir: the host's /var/lib/rstudio-server is none of its business
    writeFileSync(clean, `profile: workbench\nconfig:\n  dir: ${dir}/etc\n  server:\n    rserver.conf:\n      secure-cookie-key-file: ${dir}/secure-cookie-key\n`);
    const r = run(["validate", "--strict", "--spec", clean]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("warn");
  });
});
