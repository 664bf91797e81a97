// No secret value reaches stdout, stderr, the plan or its JSON, whatever command runs; files that
// hold secrets are written 0600.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
const SECRETS = { db: "pw-Db-7f3a9c1e", lic: "LIC-KEY-0b1d2e3f", tok: "tok-5e6f7a8b" };

let dir = "";
let specPath = "";
const env = () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", DB_PASSWORD: SECRETS.db });

function foyer(...args: string[]) {
  const r = spawnSync(FOYER, args, { encoding: "utf8", env: env() });
  return { status: r.status, out: r.stdout + r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "foyer-secrets-"));
  writeFileSync(join(dir, "lic"), SECRETS.lic + "\n", { mode: 0o600 });
  writeFileSync(join(dir, "tok"), SECRETS.tok, { mode: 0o600 });
  specPath = join(dir, "spec.yaml");
  writeFileSync(
    specPath,
    `secrets:
  db: { env: DB_PASSWORD }
  lic: { file: ${dir}/lic }
  tok: { k8s: ${dir}, key: tok }
config:
  dir: ${dir}/etc
  server:
    rserver.conf: { www-port: 8787 }
  secret:
    database.conf: { provider: postgresql, password: "{{secret 'db'}}" }
files:
  - path: ${dir}/etc/app.env
    template: "LICENSE={{secret 'lic'}}\\nTOKEN={{secret 'tok'}}\\nDB={{secret 'db'}}\\n"
    mode: "0600"
`,
  );
});

describe("secrets never leak", () => {
  it.each([
    ["validate"],
    ["plan"],
    ["plan --json"],
    ["plan --log-format json --log-level debug"],
    ["init --log-level debug"],
    ["init --log-format json --log-level debug"],
    ["render --out RENDER"],
  ])("foyer %s", (cmd) => {
    const args = cmd.replace("RENDER", join(dir, "render")).split(" ");
    const { status, out } = foyer(args[0]!, "--spec", specPath, ...args.slice(1));
    expect(status, out).toBe(0);
    for (const [name, value] of Object.entries(SECRETS)) expect(out, `secret ${name} leaked`).not.toContain(value);
    if (cmd.startsWith("plan")) expect(out).toContain("<secret:db>");
  });

  it("writes the secret values only into the files, with mode 0600", () => {
    expect(foyer("init", "--spec", specPath).status).toBe(0);
    const db = join(dir, "etc/database.conf");
    expect(readFileSync(db, "utf8")).toContain(`password=${SECRETS.db}`);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "etc/app.env"), "utf8")).toBe(`LICENSE=${SECRETS.lic}\nTOKEN=${SECRETS.tok}\nDB=${SECRETS.db}\n`);
    expect(statSync(join(dir, "etc/app.env")).mode & 0o777).toBe(0o600);
  });
});

describe("a declared secret nothing uses", () => {
  it("is a warning from every command (validate, plan, render), with its place; the exit code stays 0", () => {
    const d = mkdtempSync(join(tmpdir(), "foyer-unused-"));
    const spec = join(d, "spec.yaml");
    writeFileSync(spec, `secrets:\n  db: { env: DB_PASSWORD }\n  licence: { env: DB_PASSWORD }\nprograms:\n  app: { command: [/bin/true], secrets: { PW: db } }\n`);
    for (const args of [["validate"], ["plan"], ["render", "--out", join(d, "out")]]) {
      const { status, out } = foyer(args[0]!, "--spec", spec, ...args.slice(1));
      expect(status, out).toBe(0);
      expect(out).toMatch(new RegExp(`secret 'licence' is declared but nothing uses it.*→ at secrets\\.licence \\(${spec}:3:`));
      expect(out).not.toMatch(/secret 'db' is declared/);
      expect(out).not.toContain(SECRETS.db);
    }
  });
});
