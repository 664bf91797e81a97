// A Workbench chart values file used as it is: `FOYER__profile=workbench foyer render --spec
// values.yaml` (YAML 1.1 octal modes and all) writes what the chart would mount, with its modes,
// plus the sections the chart mounts elsewhere (sssd, PAM); what supervisord would run differently
// is a warning, never an error.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
const FIXTURES = join(__dirname, "../../fixtures/charts");
const MODES: Record<string, number> = { server: 0o644, session: 0o644, serverDcf: 0o644, secret: 0o600, sessionSecret: 0o420 };

describe("a Workbench chart values file as the spec", () => {
  it("the chart's own values.yaml with profile: workbench gives exactly its golden files", () => {
    const out = join(mkdtempSync(join(tmpdir(), "foyer-wbvalues-")), "out");
    const r = spawnSync(FOYER, ["render", "--spec", join(FIXTURES, "workbench-values/values.yaml"), "--out", out], { encoding: "utf8", env: { PATH: "/usr/bin:/bin", FOYER__profile: "workbench" } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("warn");
    const expected = join(FIXTURES, "workbench-values/expected");
    const want = readdirSync(expected).flatMap((section) => readdirSync(join(expected, section)).map((f) => [section, f] as const));
    expect(readdirSync(join(out, "etc/rstudio")).filter((f) => !f.startsWith("launcher.p")).sort()).toEqual(want.map(([, f]) => f).sort());
    for (const [section, f] of want) expect({ f, text: readFileSync(join(out, "etc/rstudio", f), "utf8") }).toEqual({ f, text: readFileSync(join(expected, section, f), "utf8") });
  });

  it("workbench-ci-complex: golden files with the chart's modes, sssd and PAM files, one warning for the CI's fake startup file", () => {
    const out = join(mkdtempSync(join(tmpdir(), "foyer-wbvalues-")), "out");
    const r = spawnSync(FOYER, ["render", "--spec", join(FIXTURES, "workbench-ci-complex/values.yaml"), "--out", out], {
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin", FOYER__profile: "workbench" },
    });
    expect(r.status, r.stderr).toBe(0);
    const expected = join(FIXTURES, "workbench-ci-complex/expected");
    for (const section of readdirSync(expected)) {
      for (const f of readdirSync(join(expected, section))) {
        const path = join(out, "etc/rstudio", f);
        // the values merged over the chart's defaults (the preset), as Helm merges them: every line
        // the values render is there (theirs win), lists replace the defaults' (launcher-mounts)
        const text = readFileSync(path, "utf8");
        for (const line of readFileSync(join(expected, section, f), "utf8").split("\n").filter(Boolean)) expect(text, f).toContain(line);
        // render keeps secret files private to the caller (mode & 0700)
        const want = MODES[section]!;
        expect(statSync(path).mode & 0o777, f).toBe(section === "secret" || section === "sessionSecret" ? want & 0o700 : want);
      }
    }
    expect(readFileSync(join(out, "etc/sssd/conf.d/some-value.conf.test"), "utf8")).toBe("some-value\n");
    expect(readFileSync(join(out, "etc/pam.d/pam-example-2"), "utf8")).toBe("account some_thing.so\nsession something_else.so\n");
    const warnings = r.stderr.split("\n").filter((l) => l.includes("warn"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("config.startupCustom.somefile.conf.test");
  });
});
