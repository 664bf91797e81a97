// `foyer run --spec` end to end through the binary: init first, then the spec's programs with the
// `-- CMD` main program; the container's exit code is the main program's; secrets stay out of
// programs that did not ask for them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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
