// Connect and Package Manager specs through the binary, as a user migrating from the charts writes
// them: `profile:` plus the chart's `config:` block; option typos warned (errors with --strict);
// a bad section refused with nothing written.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const FOYER = join(__dirname, "../../../dist/foyer");
const FIXTURES = join(__dirname, "../../fixtures/charts");

function foyer(spec: unknown, ...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "foyer-gcfg-"));
  const specPath = join(dir, "foyer.yaml");
  writeFileSync(specPath, typeof spec === "string" ? spec : stringify(spec));
  const out = join(dir, "out");
  const argv = args.map((a) => (a === "OUT" ? out : a));
  const r = spawnSync(FOYER, [argv[0]!, "--spec", specPath, ...argv.slice(1)], { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, out, specPath };
}

const config = (name: string) => (parse(readFileSync(join(FIXTURES, name, "values.yaml"), "utf8"), { version: "1.1" }) as { config: Record<string, unknown> }).config;

// this machine has no rstudio-pm account: the preset's `user:` is removed (null), or every command
// would refuse the spec (rightly: the program could not start)
const noUser = (profile: string) => (profile === "package-manager" ? "programs: { rspm: { user: null } }\n" : "");

describe.each([
  ["connect", "connect-values", "etc/rstudio-connect/rstudio-connect.gcfg"],
  ["package-manager", "pm-values", "etc/rstudio-pm/rstudio-pm.gcfg"],
])("profile: %s", (profile, fixture, file) => {
  it("the chart's values.yaml config: block over the preset renders the chart's file, without a warning", () => {
    const r = foyer({ profile, config: config(fixture), ...(profile === "package-manager" ? { programs: { rspm: { user: null } } } : {}) }, "render", "--out", "OUT");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warn/);
    expect(readFileSync(join(r.out, file), "utf8")).toBe(readFileSync(join(FIXTURES, fixture, "expected", file.slice(file.lastIndexOf("/") + 1)), "utf8"));
  });

  it("a misspelt option is a warning with a did-you-mean and its line; --strict makes it exit 78", () => {
    const spec = `profile: ${profile}\n${noUser(profile)}config:\n  HTTP:\n    Lisen: ":8080"\n`;
    const warned = foyer(spec, "render", "--out", "OUT");
    expect(warned.status, warned.stderr).toBe(0);
    expect(warned.stderr).toMatch(new RegExp(`unknown option Lisen in \\[HTTP\\].*did you mean Listen\\? → at config\\.HTTP\\.Lisen \\(${warned.specPath}:${noUser(profile) ? 5 : 4}:`));
    const strict = foyer(spec, "validate", "--strict");
    expect(strict.status).toBe(78);
    expect(strict.stderr).toMatch(/Lisen.*--strict makes it an error/);
  });

  it.each([
    ["a section that is not a map", "  Server: /opt/R\n", /✖ a gcfg section is a map of its keys.*\n {2}→ at config\.Server \(/],
    ["a value the chart would print as garbage (map[port:1])", "  HTTP:\n    Listen: { port: 1 }\n", /✖ .*\n {2}→ at config\.HTTP\.Listen/],
    ["a key outside any section", "  Listen: 3939\n", /✖ .*\n {2}→ at config\.Listen/],
  ])("%s: exit 78 naming the path, nothing written", (_what, body, want) => {
    const r = foyer(`profile: ${profile}\n${noUser(profile)}config:\n${body}`, "render", "--out", "OUT");
    expect(r.status, r.stderr).toBe(78);
    expect(r.stderr).toMatch(want);
    expect(r.stderr).not.toMatch(/\n\s+at [A-Za-z]/);
    expect(existsSync(r.out)).toBe(false);
  });
});
