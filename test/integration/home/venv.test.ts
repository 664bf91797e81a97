// home.venv through the binary: a real venv made by the user `nobody` with the system's Python,
// requirements installed once per requirements text, nothing done on a second start, rebuilt when
// the venv says it was made with another Python.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
const PYTHON = "/usr/bin/python3";
let dir = "";
let home = "";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "foyer-venv-"));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, "home"));
  home = join(dir, "home", "nobody");
  writeFileSync(join(dir, "requirements.txt"), "# nothing to install yet\n", { mode: 0o644 });
  writeFileSync(
    join(dir, "spec.yaml"),
    `home:
  root: ${join(dir, "home")}
  users: [nobody]
  venv: { python: ${PYTHON}, systemSitePackages: true, requirements: ${join(dir, "requirements.txt")} }
`,
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function init() {
  const r = spawnSync(FOYER, ["init", "--spec", join(dir, "spec.yaml")], { encoding: "utf8", timeout: 120_000, env: { PATH: "/usr/local/bin:/usr/bin:/bin" } });
  return { status: r.status, out: r.stdout + r.stderr };
}
const stamps = () => readdirSync(join(home, ".venv")).filter((n) => n.startsWith(".foyer-installed-"));

describe.skipIf(!existsSync(PYTHON))("home.venv", () => {
  it("made by the user, packages installed, a second start runs nothing; new requirements install again", () => {
    const r = init();
    expect(r.status, r.out).toBe(0);
    expect(lstatSync(join(home, ".venv/pyvenv.cfg")).uid).toBe(65534);
    expect(readFileSync(join(home, ".venv/pyvenv.cfg"), "utf8")).toContain("include-system-site-packages = true");
    expect(stamps()).toHaveLength(1);
    const again = init();
    expect(again.status, again.out).toBe(0);
    expect(again.out).toContain("nothing to change");
    writeFileSync(join(dir, "requirements.txt"), "# still nothing, but another text\n");
    const third = init();
    expect(third.out).toMatch(/run run-command-as-user .*packages for the venv/);
    expect(stamps()).toHaveLength(2);
  });

  it("rebuilt (--clear) when made with another Python; its packages installed again", () => {
    expect(init().status).toBe(0);
    const cfg = join(home, ".venv/pyvenv.cfg");
    spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "sed", "-i", "s/^version = .*/version = 3.9.1/", cfg]);
    const r = init();
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("rebuilt: made with Python 3.9.1");
    expect(readFileSync(cfg, "utf8")).not.toContain("3.9.1");
    expect(stamps()).toHaveLength(1);
  });
});
