// The command-line surface: --help everywhere, --version, schema, Kubernetes secret mounts, and how
// foyer fails: broken pipes, no spec, bytes that are not UTF-8 — never with a stack trace.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
const COMMANDS = ["run", "init", "plan", "validate", "render", "ctl", "exec-as", "schema", "spcs-spec"];

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

const STACK_TRACE = /\n\s+at |node:internal|Node\.js v/;

describe("foyer's own output going away (EPIPE)", () => {
  it("plan | head: exits 141 like a tool killed by SIGPIPE, without a stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-epipe-"));
    // 200 kB of plan: more than a pipe holds, so foyer is still writing when head exits
    const content = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join("\\n");
    writeFileSync(join(dir, "spec.yaml"), `files:\n  - path: ${dir}/out/big.txt\n    content: "${content}"\n`);
    const r = spawnSync("bash", ["-c", `"${FOYER}" plan --json --spec ${dir}/spec.yaml | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("141");
  });

  it("run keeps supervising when its stdout is closed, and stops the programs in order on TERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-epipe-"));
    writeFileSync(
      join(dir, "spec.yaml"),
      `control: { enabled: false }
programs:
  talker:
    command: [sh, -c, "trap 'echo talker got TERM >&2; exit 0' TERM; i=0; while :; do echo line $i; i=$((i+1)); sleep 0.01; done"]
`,
    );
    const child = spawn(FOYER, ["run", "--spec", join(dir, "spec.yaml")], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    const stderrHas = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => err.includes(text) && resolve();
        child.stderr.on("data", (d: Buffer) => ((err += d), check()));
        check();
      });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    child.stdout.once("data", () => child.stdout.destroy()); // the reader goes away
    await Promise.race([stderrHas("program output to stdout is dropped from now on"), exited]);
    child.kill("SIGTERM");
    expect(await exited, err).toBe(0);
    expect(err).toContain("talker got TERM");
    expect(err).toMatch(/talker stopped \(exited with code 0\)/);
    expect(err).not.toMatch(STACK_TRACE);
  });
});

describe("foyer's own stderr going away", () => {
  it("run keeps supervising (its log lines are lost, the programs are not) and stops in order on TERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-epipe-"));
    writeFileSync(
      join(dir, "spec.yaml"),
      `control: { enabled: false }
programs:
  talker:
    command: [sh, -c, "trap 'touch ${dir}/stopped; exit 0' TERM; i=0; while :; do echo line $i; echo err $i >&2; echo $i > ${dir}/count; i=$((i+1)); sleep 0.01; done"]
`,
    );
    const child = spawn(FOYER, ["run", "--spec", join(dir, "spec.yaml")], { stdio: ["ignore", "pipe", "pipe"] });
    let code: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => child.on("close", (c) => resolve((code = c))));
    child.stdout.destroy();
    child.stderr.destroy(); // foyer's next log line and every program line now meet EPIPE
    const count = () => Number(existsSync(join(dir, "count")) ? readFileSync(join(dir, "count"), "utf8") || 0 : 0);
    // 50 more lines through foyer's closed pipes (polling a file the program writes, not a timer)
    while (count() < 50 && code === undefined) await new Promise((r) => setTimeout(r, 20));
    expect(code, "foyer died on its closed stderr").toBeUndefined();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(existsSync(join(dir, "stopped"))).toBe(true);
  });
});

describe("validate with nothing to validate", () => {
  it("no spec at all is a configuration error (78), not 'valid'", () => {
    expect(existsSync("/etc/foyer/foyer.yaml")).toBe(false); // the test relies on the default being absent
    const r = foyer(["validate"]);
    expect(r.stderr).toContain("no spec found: give --spec F, set $FOYER_SPEC, or create /etc/foyer/foyer.yaml");
    expect(r.stderr).not.toContain("valid:");
    expect(r.status).toBe(78);
  });
});

describe("bytes that are not UTF-8", () => {
  it("in the spec: 78, naming the file and line:col of the first bad byte", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-utf8-"));
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, Buffer.concat([Buffer.from("log: { level: info }\n# café → ok\n# caf"), Buffer.from([0xe9]), Buffer.from(" latin-1\n")]));
    const r = foyer(["validate", "--spec", spec]);
    expect(r.stderr).toContain(`${spec} is not UTF-8 text: byte 0xe9 at line 3, column 6`);
    expect(r.stderr).toContain(`(${spec}:3:6)`);
    expect(r.status).toBe(78);
  });

  it("a spec that never ends (/dev/zero) is refused at 16 MiB, not read until memory runs out", () => {
    const r = spawnSync(FOYER, ["validate", "--spec", "/dev/zero"], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toContain("spec file /dev/zero is larger than 16 MiB");
    expect(r.status).toBe(78);
  });

  it("in a template file: 78 naming the file, line and column; nothing written", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-utf8-"));
    const tpl = join(dir, "app.conf.hbs");
    writeFileSync(tpl, Buffer.concat([Buffer.from("a=1\nb="), Buffer.from([0xff, 0xfe]), Buffer.from("\n")]));
    writeFileSync(join(dir, "spec.yaml"), `files:\n  - path: ${dir}/out/app.conf\n    templateFile: ${tpl}\n`);
    const r = foyer(["init", "--spec", join(dir, "spec.yaml")]);
    expect(r.stderr).toContain(`cannot read template file ${tpl}: it is not UTF-8 text: byte 0xff at line 2, column 3`);
    expect(r.status).toBe(78);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});
