// Secrets an attacker would probe, through the binary: values with quotes, backslashes, newlines and
// PEM keys in every file format and every output; the old contents of files in `plan`; short
// secrets; secret files that are FIFOs, devices or outside a Kubernetes secret directory; and a
// program printing its multi-line secret. Every secret value carries the marker "Zq7" (or "Wk5")
// on each of its lines, so no output may contain the marker at all.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");

const PEM = [
  "-----BEGIN PRIVATE KEY-----",
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCZq7BKcwggSjAgEAAoIBAQC7aBcDeFgH",
  "Zq7Uo2ExampleKeyMaterialForTestsOnly+/AbCdEfGhIjKlMnOpQrStUvWxYz",
  "Zq7w==",
  "-----END PRIVATE KEY-----",
].join("\n");

/** env-var secrets with every character an encoder touches */
const NASTY: Record<string, string> = {
  QUOTE: 'pa"ss\\word-Zq7',
  BACKSLASH: "C:\\Zq7\\new\\table",
  NEWLINE: "line-one-Zq7\nline-two-Zq7",
  TAB: "tab\there-Zq7",
  UNICODE: "pässwörd-Zq7-密码",
  HTML: "</script><b>&'Zq7'",
  GCFG: "a;b#c = Zq7 x",
};

function foyer(args: string[], env: Record<string, string> = {}, timeout = 20_000) {
  const r = spawnSync(FOYER, args, { encoding: "utf8", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, timeout });
  return { status: r.status, out: (r.stdout ?? "") + (r.stderr ?? ""), stdout: r.stdout ?? "", signal: r.signal };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

describe("nasty secrets in every format and every output", () => {
  const dir = mkdtempSync(join(tmpdir(), "foyer-leaks-"));
  writeFileSync(join(dir, "key.pem"), PEM + "\n", { mode: 0o600 });
  const names = Object.keys(NASTY).map((n) => n.toLowerCase());
  const ref = (n: string) => `{{secret '${n}'}}`;
  const spec = {
    secrets: { ...Object.fromEntries(names.map((n) => [n, { env: `S_${n.toUpperCase()}` }])), pem: { file: join(dir, "key.pem") } },
    config: {
      dir: join(dir, "etc"),
      secret: { "database.conf": { provider: "postgresql", password: ref("quote"), other: ref("gcfg") } },
      session: { "creds.json": Object.fromEntries([...names, "pem"].map((n) => [n, ref(n)])) },
      gcfg: { "rstudio-connect.gcfg": { Database: Object.fromEntries([...names, "pem"].map((n) => [n, ref(n)])) } },
      serverDcf: { "launcher-env": [{ Name: "x", ...Object.fromEntries([...names, "pem"].map((n) => [n, ref(n)])) }] },
    },
    files: [{ path: join(dir, "etc/tls/key.pem"), template: "{{secret 'pem'}}\n" }],
  };
  const specPath = join(dir, "spec.yaml");
  writeFileSync(specPath, JSON.stringify(spec, null, 2));
  const env = Object.fromEntries(Object.entries(NASTY).map(([k, v]) => [`S_${k}`, v]));

  it.each([
    ["validate"],
    ["plan"],
    ["plan --json"],
    ["plan --log-format json --log-level debug"],
    ["init --log-level debug"],
    ["init --log-format json --log-level debug"],
    ["plan"], // again, with the files now on disk
    ["render --redact --out RENDER"],
  ])("foyer %s prints no secret", (cmd) => {
    const args = cmd.replace("RENDER", join(dir, "render")).split(" ");
    const r = foyer([args[0]!, "--spec", specPath, ...args.slice(1)], env);
    expect(r.status, r.out).toBe(0);
    expect(r.out).not.toContain("Zq7");
    if (cmd === "plan --json") expect(JSON.parse(r.stdout)).toBeInstanceOf(Array);
  });

  it("render --redact writes no secret into any file, and plan --json shows each one as <secret:NAME>", () => {
    const files = filesUnder(join(dir, "render"));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(readFileSync(f, "utf8"), f).not.toContain("Zq7");
    const creds = JSON.parse(readFileSync(files.find((f) => f.endsWith("creds.json"))!, "utf8")) as Record<string, string>;
    expect(creds).toEqual(Object.fromEntries([...names, "pem"].map((n) => [n, `<secret:${n}>`])));
    const plan = JSON.parse(foyer(["plan", "--json", "--spec", specPath], env).stdout) as Array<{ path: string; content?: string }>;
    const planned = JSON.parse(plan.find((a) => a.path.endsWith("creds.json"))!.content!) as Record<string, string>;
    expect(planned).toEqual(creds);
  });

  it("init writes the real values, correctly encoded, into 0600 files", () => {
    const creds = JSON.parse(readFileSync(join(dir, "etc/creds.json"), "utf8")) as Record<string, string>;
    expect(creds).toEqual({ ...Object.fromEntries(Object.entries(NASTY).map(([k, v]) => [k.toLowerCase(), v])), pem: PEM });
    for (const f of ["database.conf", "creds.json", "rstudio-connect.gcfg", "launcher-env", "tls/key.pem"]) {
      expect(statSync(join(dir, "etc", f)).mode & 0o777, f).toBe(0o600);
    }
    expect(readFileSync(join(dir, "etc/tls/key.pem"), "utf8")).toBe(PEM + "\n");
  });
});

describe("plan never shows the old contents of a file it may not show", () => {
  it("a secret file's previous value, after the secret changed: 'content changed'", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-oldsecret-"));
    const specPath = join(dir, "spec.yaml");
    writeFileSync(specPath, `secrets:\n  db: { env: DB_PASSWORD }\nconfig:\n  dir: ${dir}/etc\n  secret:\n    database.conf: { password: "{{secret 'db'}}" }\n`);
    expect(foyer(["init", "--spec", specPath], { DB_PASSWORD: "old-pass-Zq7-1234" }).status).toBe(0);
    for (const args of [["plan"], ["plan", "--json"]]) {
      const r = foyer([...args, "--spec", specPath], { DB_PASSWORD: "new-pass-Wk5-5678" });
      expect(r.status, r.out).toBe(0);
      expect(r.out).not.toContain("Zq7");
      expect(r.out).not.toContain("Wk5");
      if (args.length === 1) expect(r.out).toMatch(/~ write-file \S+database\.conf: update: content changed, secret/);
    }
  });

  it("a file that is not world-readable (like /etc/shadow): none of its lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-shadow-"));
    chmodSync(dir, 0o755);
    const shadow = join(dir, "shadow");
    writeFileSync(shadow, "root:$6$Zq7salt$Zq7hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
    chmodSync(shadow, 0o640);
    const specPath = join(dir, "spec.yaml");
    writeFileSync(specPath, `files:\n  - path: ${shadow}\n    content: "root:*:19000:0:99999:7:::\\n"\n    mode: "0640"\n  - path: ${dir}/settings.json\n    content: "{}\\n"\n`);
    writeFileSync(join(dir, "settings.json"), '{"token": "Zq7-world-readable-but-fine"}\n', { mode: 0o644 });
    chmodSync(join(dir, "settings.json"), 0o644);
    const r = foyer(["plan", "--spec", specPath]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/~ write-file \S+shadow: update: content changed\n/);
    expect(r.out).not.toMatch(/\$6\$|Zq7salt|daemon/);
    // a world-readable, non-secret file still gets its diff
    expect(r.out).toContain('- {"token": "Zq7-world-readable-but-fine"}');
  });

  it("a world-readable file inside a directory others cannot enter (a 0700 home): none of its lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-home-"));
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, "home"), { mode: 0o700 });
    writeFileSync(join(dir, "home/.netrc"), "machine db login me password Zq7-old-password\n", { mode: 0o644 });
    const specPath = join(dir, "spec.yaml");
    writeFileSync(specPath, `files:\n  - path: ${dir}/home/.netrc\n    content: "machine db login me\\n"\n`);
    const r = foyer(["plan", "--spec", specPath]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/update: content changed/);
    expect(r.out).not.toContain("Zq7");
  });
});

describe("short secrets are refused at load time", () => {
  const dir = mkdtempSync(join(tmpdir(), "foyer-short-"));

  it.each([
    ["1 character", "x"],
    ["6 characters read through {{env}}", "s3cr3t"],
  ])("%s: exit 78 naming secrets.NAME, the value never printed, nothing written", (_what, value) => {
    const specPath = join(dir, "spec.yaml");
    writeFileSync(specPath, `secrets:\n  db: { env: DB_PASSWORD }\nfiles:\n  - path: ${dir}/out/app.conf\n    template: "password={{env 'DB_PASSWORD'}}\\nmode=text\\n"\n`);
    for (const cmd of ["validate", "plan", "init"]) {
      const r = foyer([cmd, "--spec", specPath], { DB_PASSWORD: value });
      expect(r.status, r.out).toBe(78);
      expect(r.out).toMatch(/secret "db" is shorter than 8 characters/);
      expect(r.out).toContain(`at secrets.db (${specPath}:2:7)`);
      if (value.length > 1) expect(r.out).not.toContain(value);
    }
    expect(() => statSync(join(dir, "out"))).toThrow();
  });

  it("a long secret read through {{env}} of its own variable makes the file secret even when no scan could find it", () => {
    const specPath = join(dir, "json.yaml");
    // JSON-escaped in the file: the raw value (with its quote) is not in the text, the reference is
    writeFileSync(specPath, `secrets:\n  db: { env: DB_PASSWORD }\nconfig:\n  dir: ${dir}/etc\n  session:\n    app.json: { pw: "{{env 'DB_PASSWORD'}}", note: "{{#if env.DB_PASSWORD}}set{{/if}}" }\n`);
    const r = foyer(["init", "--spec", specPath], { DB_PASSWORD: 'long"pass\\Zq7' });
    expect(r.status, r.out).toBe(0);
    expect(r.out).not.toContain("Zq7");
    expect(statSync(join(dir, "etc/app.json")).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, "etc/app.json"), "utf8"))).toEqual({ pw: 'long"pass\\Zq7', note: "set" });
  });
});

describe("secret files: only regular files, at most 1 MiB, Kubernetes keys inside their directory", () => {
  const dir = mkdtempSync(join(tmpdir(), "foyer-secretfiles-"));
  const specPath = join(dir, "spec.yaml");
  writeFileSync(specPath, `secrets:\n  db: { env: DB_PASSWORD }\nfiles:\n  - path: ${dir}/out/app.conf\n    template: "{{secret 'db'}}\\n"\n`);

  it("DB_PASSWORD_FILE pointing at a FIFO: exit 78 at once (no hang), naming the secret and the file", () => {
    const fifo = join(dir, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const r = foyer(["validate", "--spec", specPath], { DB_PASSWORD_FILE: fifo }, 10_000);
    expect(r.signal, "foyer hung on the FIFO").toBeNull();
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain(`secret "db": file DB_PASSWORD_FILE= ${fifo} is not a regular file (a FIFO)`);
  });

  it("DB_PASSWORD_FILE=/dev/zero: exit 78 (no unbounded read); a 2 MiB file: exit 78", () => {
    const r = foyer(["plan", "--spec", specPath], { DB_PASSWORD_FILE: "/dev/zero" }, 10_000);
    expect(r.signal).toBeNull();
    expect(r.status, r.out).toBe(78);
    expect(r.out).toContain("/dev/zero is not a regular file");
    const big = join(dir, "big");
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, 0x61));
    const b = foyer(["plan", "--spec", specPath], { DB_PASSWORD_FILE: big });
    expect(b.status, b.out).toBe(78);
    expect(b.out).toContain(`${big} is larger than 1 MiB`);
    expect(() => statSync(join(dir, "out"))).toThrow();
  });

  it("a Kubernetes key with ../ is refused by the schema; a planted link out of the directory at read time", () => {
    const mount = join(dir, "k8s");
    mkdirSync(join(mount, "..2026_11_30_05_00_00.1"), { recursive: true });
    writeFileSync(join(mount, "..2026_11_30_05_00_00.1", "token"), "k8s-token-0a1b2c3d");
    symlinkSync("..2026_11_30_05_00_00.1", join(mount, "..data"));
    symlinkSync("..data/token", join(mount, "token"));
    writeFileSync(join(dir, "outside"), "outside-Zq7-secret\n");
    symlinkSync(join(dir, "outside"), join(mount, "planted"));
    const k8sSpec = (key: string) => {
      const p = join(dir, `k8s-${key.replace(/\W/g, "_")}.yaml`);
      writeFileSync(p, `secrets:\n  tok: { k8s: ${mount}, key: "${key}" }\nfiles:\n  - path: ${dir}/k8s-out/tok\n    template: "{{secret 'tok'}}\\n"\n`);
      return p;
    };
    const traversal = foyer(["plan", "--spec", k8sSpec("../outside")]);
    expect(traversal.status, traversal.out).toBe(78);
    expect(traversal.out).toContain("a key is one file name inside the secret directory");
    expect(traversal.out).toContain("secrets.tok.key");
    const planted = foyer(["plan", "--spec", k8sSpec("planted")]);
    expect(planted.status, planted.out).toBe(78);
    expect(planted.out).toContain(`key file ${mount}/planted resolves outside the secret directory`);
    expect(planted.out).not.toContain("Zq7");
    // the kubelet's own ..data links keep working
    const ok = foyer(["init", "--spec", k8sSpec("token")]);
    expect(ok.status, ok.out).toBe(0);
    expect(readFileSync(join(dir, "k8s-out/tok"), "utf8")).toBe("k8s-token-0a1b2c3d\n");
  });
});

describe("a program printing its multi-line secret (a PEM key)", () => {
  it("is masked on every line in foyer's output, /status and the status page", async () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-pem-"));
    writeFileSync(join(dir, "key.pem"), PEM + "\n", { mode: 0o600 });
    const port = 42000 + Math.floor(Math.random() * 2000);
    const specPath = join(dir, "spec.yaml");
    writeFileSync(
      specPath,
      `secrets:\n  tls: { file: ${dir}/key.pem }\nhealth: { listen: "127.0.0.1:${port}" }\nprograms:\n  leaky:\n    secrets: { TLS_KEY: tls }\n    command: [sh, -c, 'echo "key is:"; printf "%s\\n" "$TLS_KEY"; printf "%s\\n" "$TLS_KEY" >&2; touch ${dir}/printed; exec sleep 60']\n`,
    );
    const proc = spawn("unshare", ["--pid", "--fork", "--mount-proc", FOYER, "run", "--spec", specPath], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    proc.stdout.on("data", (d: Buffer) => chunks.push(d));
    proc.stderr.on("data", (d: Buffer) => chunks.push(d));
    const closed = new Promise<void>((res) => proc.on("close", () => res()));
    try {
      const deadline = Date.now() + 20_000;
      let status = "";
      let page = "";
      while (Date.now() < deadline) {
        try {
          status = await (await fetch(`http://127.0.0.1:${port}/status`)).text();
          if (status.includes("END PRIVATE KEY")) {
            page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
            break;
          }
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(status, Buffer.concat(chunks).toString()).toContain("END PRIVATE KEY");
      expect(status).toContain("<secret:tls>");
      expect(status).not.toContain("Zq7");
      expect(page).toContain("&#60;secret:tls&#62;");
      expect(page).not.toContain("Zq7");
    } finally {
      // TERM foyer itself (PID 1 of the namespace), not unshare
      const foyerPid = Number(readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, "utf8").trim().split(" ")[0]);
      process.kill(foyerPid, "SIGTERM");
      await closed;
    }
    const out = Buffer.concat(chunks).toString();
    expect(out).toContain("key is:");
    expect(out).toContain("<secret:tls>");
    expect(out).not.toContain("Zq7");
  }, 40_000);
});
