// `foyer run --spec` end to end through the binary: init first, then the spec's programs with the
// `-- CMD` main program; the container's exit code is the main program's; secrets stay out of
// programs that did not ask for them.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");

describe("foyer run --spec", () => {
  it("applies the plan, starts programs in order, runs -- CMD as main and exits with its code", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-runspec-"));
    const spec = join(dir, "spec.yaml");
    writeFileSync(
      spec,
      `secrets:
  db: { env: DB_PASSWORD }
files:
  - path: ${dir}/app.conf
    template: "db={{secret 'db'}}\\n"
programs:
  setup:
    oneshot: true
    command: [sh, -c, "echo prepared > ${dir}/setup.done"]
  helper:
    after: [setup]
    command: [sh, -c, "echo \\"helper sees DB_PASSWORD=[$DB_PASSWORD]\\"; touch ${dir}/helper.ready; exec sleep 60"]
    ready: { file: ${dir}/helper.ready }
  asker:
    after: [setup]
    secrets: { PW: db }
    command: [sh, -c, "echo \\"asker got $PW\\" > ${dir}/asker.out; exec sleep 60"]
`,
    );
    const r = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", FOYER, "run", "--spec", spec, "--", "sh", "-c", `cat ${dir}/setup.done; test -e ${dir}/helper.ready && echo "main: DB_PASSWORD=[$DB_PASSWORD]"; exit 42`], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", DB_PASSWORD: "pw-run-5a4b3c2d" },
      timeout: 30_000,
    });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(42);
    expect(readFileSync(join(dir, "app.conf"), "utf8")).toBe("db=pw-run-5a4b3c2d\n");
    expect(out).toContain("prepared"); // main started after the oneshot finished
    expect(out).toContain("main: DB_PASSWORD=[]"); // after helper was ready, without the secret
    expect(out).toContain("helper sees DB_PASSWORD=[]");
    expect(readFileSync(join(dir, "asker.out"), "utf8")).toBe("asker got pw-run-5a4b3c2d\n");
    expect(out).not.toContain("pw-run-5a4b3c2d");
  });

  it("a bad spec stops run before anything starts (exit 78)", () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-runspec-"));
    writeFileSync(join(dir, "spec.yaml"), `programs:\n  a: { command: [sh, -c, "touch ${dir}/started"], after: [b] }\n`);
    const r = spawnSync(FOYER, ["run", "--spec", join(dir, "spec.yaml")], { encoding: "utf8" });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/'b', which is not a program[\s\S]*at programs\.a\.after\[0\]/);
  });
});

describe("foyer run --spec shutdown signals", () => {
  it.each(["SIGTERM", "SIGINT", "SIGQUIT"] as const)("%s stops the programs in reverse order and exits 0", async (signal) => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-sig-"));
    writeFileSync(
      join(dir, "spec.yaml"),
      `control: { enabled: false }
programs:
  first:
    command: [sh, -c, "trap 'echo first got TERM; exit 0' TERM; touch ${dir}/first; while :; do sleep 0.1; done"]
    ready: { file: ${dir}/first }
  second:
    after: [first]
    command: [sh, -c, "trap 'echo second got TERM; exit 0' TERM; touch ${dir}/second; while :; do sleep 0.1; done"]
    ready: { file: ${dir}/second }
`,
    );
    const child = spawn(FOYER, ["run", "--spec", join(dir, "spec.yaml")], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const deadline = Date.now() + 10_000;
    while (!existsSync(join(dir, "second")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200)); // let foyer see "second" as ready
    child.kill(signal);
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code, out).toBe(0);
    expect(out).toMatch(new RegExp(`shutting down: received ${signal}`));
    expect(out.indexOf("second got TERM")).toBeGreaterThan(-1);
    expect(out.indexOf("second got TERM")).toBeLessThan(out.indexOf("first got TERM"));
  });
});
