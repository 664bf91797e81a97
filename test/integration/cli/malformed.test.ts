// Every malformed input exits 78, names the place, prints no stack trace, and writes nothing.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CASES } from "./corpus.js";

const FOYER = join(__dirname, "../../../dist/foyer");

function setUp(c: (typeof CASES)[number]) {
  const dir = mkdtempSync(join(tmpdir(), "foyer-bad-"));
  chmodSync(dir, 0o755);
  const sub = (s: string) => s.replaceAll("@T@", dir);
  for (const [rel, f] of Object.entries(c.files ?? {})) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), f.content, { mode: f.mode ?? 0o644 });
  }
  const specPath = join(dir, "spec.yaml");
  writeFileSync(specPath, sub(c.spec));
  if (c.asNobody) chownSync(specPath, 65534, 65534);
  const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, sub(v)]));
  return { dir, specPath, env };
}

/** Every path under dir except the inputs we created. */
function written(dir: string, inputs: string[]): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((p) => !inputs.some((i) => p === i || i.startsWith(p + "/")));
}

describe("malformed-input corpus", () => {
  it("has at least 60 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { dir, specPath, env } = setUp(c);
    const command = c.command ?? "init";
    const argv = [command, "--spec", specPath, ...(command === "render" ? ["--out", join(dir, "render")] : []), ...(c.args ?? [])];
    const [file, args] = c.asNobody ? ["setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", FOYER, ...argv]] : [FOYER, argv];
    const r = spawnSync(file, args as string[], { encoding: "utf8", timeout: 20_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(78);
    for (const re of c.expect) expect(out).toMatch(re);
    expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // no stack trace
    expect(written(dir, ["spec.yaml", ...Object.keys(c.files ?? {})]), "nothing written").toEqual([]);
  });
});

describe("a template file that is not a regular file", () => {
  it("a FIFO: exit 78 at once naming it (no wait for a writer), nothing written", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-tplfifo-"));
    expect(spawnSync("mkfifo", [join(dir, "t.hbs")]).status).toBe(0);
    writeFileSync(join(dir, "spec.yaml"), `files:\n  - path: ${dir}/out/x.conf\n    templateFile: ${dir}/t.hbs\n`);
    for (const command of ["validate", "init"]) {
      const r = spawnSync(FOYER, [command, "--spec", join(dir, "spec.yaml")], { encoding: "utf8", timeout: 10_000 });
      expect(r.signal, "foyer hung on the FIFO").toBeNull();
      expect(r.status, r.stdout + r.stderr).toBe(78);
      expect(r.stderr).toContain(`cannot read template file ${dir}/t.hbs: it is a FIFO, not a regular file`);
    }
    expect(readdirSync(dir).sort()).toEqual(["spec.yaml", "t.hbs"]);
  });
});

describe("a big spec", () => {
  it("200,000 env entries with one key written twice: exit 78 in seconds (not minutes), the duplicate at its line", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-bigspec-"));
    const lines = ["env:", ...Array.from({ length: 200_000 }, (_, i) => `  K${i}: v${i}`), "  K7: again"];
    writeFileSync(join(dir, "spec.yaml"), lines.join("\n") + "\n");
    const t0 = Date.now();
    const r = spawnSync(FOYER, ["validate", "--spec", join(dir, "spec.yaml")], { encoding: "utf8", timeout: 60_000 });
    expect(r.signal, "still validating after 60 s").toBeNull();
    expect(r.status, r.stderr).toBe(78);
    expect(r.stderr).toContain(`YAML syntax: Map keys must be unique\n  → at (yaml) (${dir}/spec.yaml:200002:3)`);
    expect(Date.now() - t0).toBeLessThan(20_000);
  }, 70_000);
});
