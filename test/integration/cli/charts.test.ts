// Chart values through the binary: a spec whose `config:` sections are the Posit charts' own values
// (test/fixtures/charts) rendered by `foyer render --out`, as a user migrating from the chart would.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const FOYER = join(__dirname, "../../../dist/foyer");
const FIXTURES = join(__dirname, "../../fixtures/charts");

function render(spec: unknown): { status: number | null; stderr: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "foyer-charts-"));
  const specPath = join(dir, "foyer.yaml");
  writeFileSync(specPath, stringify(spec));
  const out = join(dir, "out");
  const r = spawnSync(FOYER, ["render", "--spec", specPath, "--out", out], { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
  return { status: r.status, stderr: r.stderr, out };
}

function fixtureConfig(name: string): Record<string, unknown> {
  return (parse(readFileSync(join(FIXTURES, name, "values.yaml"), "utf8"), { version: "1.1" }) as { config: Record<string, unknown> }).config;
}

describe("foyer render of the Posit charts' values", () => {
  it("Workbench: the chart's CI values give the golden files under config.dir", () => {
    const c = fixtureConfig("workbench-ci-complex");
    const r = render({ config: { dir: "/etc/rstudio", server: c.server, session: c.session, secret: c.secret, sessionSecret: c.sessionSecret, serverDcf: c.serverDcf } });
    expect(r.stderr).not.toMatch(/error|warn/i);
    expect(r.status).toBe(0);
    const expected = join(FIXTURES, "workbench-ci-complex/expected");
    const written = readdirSync(join(r.out, "etc/rstudio")).sort();
    const want = readdirSync(expected).flatMap((section) => readdirSync(join(expected, section)).map((f) => [section, f] as const));
    expect(written).toEqual(want.map(([, f]) => f).sort());
    for (const [section, f] of want) expect({ f, text: readFileSync(join(r.out, "etc/rstudio", f), "utf8") }).toEqual({ f, text: readFileSync(join(expected, section, f), "utf8") });
  });

  it("Connect: the chart's `config:` block as the gcfg file's body gives the golden file", () => {
    const r = render({ config: { dir: "/etc/rstudio-connect", gcfg: { "rstudio-connect.gcfg": fixtureConfig("connect-values") } } });
    expect(r.status).toBe(0);
    expect(readFileSync(join(r.out, "etc/rstudio-connect/rstudio-connect.gcfg"), "utf8")).toBe(readFileSync(join(FIXTURES, "connect-values/expected/rstudio-connect.gcfg"), "utf8"));
  });

  it("what the chart would print as garbage is a config error naming each path, and nothing is written", () => {
    const r = render({
      config: {
        dir: "/etc/rstudio",
        server: {
          "logging.conf": { "*": { "log-level": ["info", "debug"] } },
          "rserver.conf": { "www-port": 8787, "max-bytes": 1000000 },
        },
        serverDcf: { "launcher-mounts": [{ MountType: "NFS", Hosts: ["a", "b"] }] },
        gcfg: { "rstudio-connect.gcfg": { RPackageRepository: { CRAN: { URL: "https://cran.example" } } } },
      },
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/config\.server\.logging\.conf\.\*\.log-level/);
    expect(r.stderr).toMatch(/config\.serverDcf\.launcher-mounts\[0\]\.Hosts/);
    expect(r.stderr).toMatch(/config\.gcfg\.rstudio-connect\.gcfg\.RPackageRepository\.CRAN/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(r.out)).toBe(false);
  });

  it("numbers are written as the user wrote them, not in Helm's exponent form", () => {
    const r = render({ config: { dir: "/etc/rstudio", server: { "rserver.conf": { "www-port": 8787, "max-bytes": 1000000 } } } });
    expect(r.status).toBe(0);
    expect(readFileSync(join(r.out, "etc/rstudio/rserver.conf"), "utf8")).toBe("www-port=8787\nmax-bytes=1000000\n");
  });
});
