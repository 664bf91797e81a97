// The command-line surface: --help everywhere, --version, schema, and Kubernetes secret mounts.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
const COMMANDS = ["run", "init", "plan", "validate", "render", "ctl", "exec-as", "schema"];

function foyer(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(FOYER, args, { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("foyer CLI", () => {
  it("lists every command in --help and prints a version", () => {
    const help = foyer(["--help"]);
    expect(help.status).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    expect(foyer(["--version"]).stdout).toMatch(/^foyer \d+\.\d+\.\d+ \(node v24\./);
  });

  it.each(COMMANDS)("foyer %s --help prints its usage and exits 0", (c) => {
    const r = foyer([c, "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: foyer ${c}`));
  });

  it("rejects unknown commands and flags with exit 2 and no stack trace", () => {
    expect(foyer(["frobnicate"]).status).toBe(2);
    const r = foyer(["plan", "--inspect"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--inspect/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("schema is a JSON Schema that describes the spec", () => {
    const schema = JSON.parse(foyer(["schema"]).stdout);
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["profile", "secrets", "config", "files", "programs", "hooks", "health"]));
    expect(schema.additionalProperties).toBe(false);
  });

  it("reads a Kubernetes secret directory through its ..data symlinks, and sees rotation", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-k8s-"));
    const mount = join(dir, "secret");
    // the layout the kubelet makes: ..2026_11_23_..../token, ..data -> that dir, token -> ..data/token
    mkdirSync(join(mount, "..2026_11_23_17_00_00.1"), { recursive: true });
    writeFileSync(join(mount, "..2026_11_23_17_00_00.1", "token"), "k8s-token-1a2b3c4d");
    symlinkSync("..2026_11_23_17_00_00.1", join(mount, "..data"));
    symlinkSync("..data/token", join(mount, "token"));
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, `secrets:\n  token: { k8s: ${mount} }\nfiles:\n  - path: ${dir}/out/token.env\n    template: "TOKEN={{secret 'token'}}\\n"\n`);
    const r = foyer(["init", "--spec", spec]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "out/token.env"), "utf8")).toBe("TOKEN=k8s-token-1a2b3c4d\n");
    expect(r.stdout + r.stderr).not.toContain("k8s-token-1a2b3c4d");
  });
});
