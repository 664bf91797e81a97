// `foyer run -- CMD` passes CMD's exit code through and reports exec failures like a shell.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { requireBinary, runFoyer } from "./harness.js";

beforeAll(requireBinary);

describe("foyer run -- CMD: exit codes (as PID 1)", () => {
  it.each([0, 1, 2, 32, 64, 127, 254, 255])("passes exit code %i through", async (code) => {
    const r = await runFoyer(["run", "--", "sh", "-c", `exit ${code}`]);
    expect(r.code).toBe(code);
  });

  it("exits 127 with one line when CMD is not found", async () => {
    const r = await runFoyer(["run", "--", "no-such-command-xyz"]);
    expect(r.code).toBe(127);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/cannot execute 'no-such-command-xyz': no such file/i)]);
  });

  it("exits 126 with one line when CMD is not executable", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foyer-pid1-"));
    const file = path.join(dir, "not-executable.sh");
    fs.writeFileSync(file, "#!/bin/sh\necho should-not-run\n", { mode: 0o644 });
    const r = await runFoyer(["run", "--", file]);
    expect(r.code).toBe(126);
    expect(r.stdout).not.toContain("should-not-run");
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/cannot execute '.*not-executable.sh': permission denied/i)]);
    fs.rmSync(dir, { recursive: true });
  });

  it("looks CMD up in the child's PATH", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foyer-pid1-"));
    fs.writeFileSync(path.join(dir, "only-here"), "#!/bin/sh\nexit 42\n", { mode: 0o755 });
    const r = await runFoyer(["run", "--", "only-here"], { env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` } });
    expect(r.code).toBe(42);
    fs.rmSync(dir, { recursive: true });
  });

  it("passes stdout, cwd and the environment through", async () => {
    const cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "foyer-cwd-")));
    const env = { PATH: "/usr/bin:/bin", FOYER_TEST_VAR: "v1" };
    const r = await runFoyer(["run", "--", "sh", "-c", 'echo "$(readlink /proc/self/cwd) $FOYER_TEST_VAR"; env | sort'], { env, cwd });
    const [first, ...envLines] = r.stdout.trim().split("\n");
    expect(first).toBe(`${cwd} v1`);
    // nothing added by foyer except what sh itself sets (PWD, SHLVL, _)
    expect(envLines.filter((l) => !/^(PWD|SHLVL|_|OLDPWD)=/.test(l))).toEqual(["FOYER_TEST_VAR=v1", "PATH=/usr/bin:/bin"]);
    fs.rmSync(cwd, { recursive: true });
  });

  it("exits 128+9 when CMD is killed by SIGKILL", async () => {
    const r = await runFoyer(["run", "--", "sh", "-c", "kill -KILL $$"]);
    expect(r.code).toBe(137);
  });
});

describe("foyer exec-as: exec failures", () => {
  it("exits 127 when CMD is not found and 126 when not executable", async () => {
    const notFound = await runFoyer(["exec-as", "nobody", "--", "no-such-command-xyz"]);
    expect(notFound.code).toBe(127);
    expect(notFound.stderr).toMatch(/cannot execute 'no-such-command-xyz': no such file/i);
    const notExec = await runFoyer(["exec-as", "nobody", "--", "/etc/passwd"]);
    expect(notExec.code).toBe(126);
    expect(notExec.stderr).toMatch(/permission denied/i);
  });

  it("exits 126 and runs nothing when the user does not exist", async () => {
    const r = await runFoyer(["exec-as", "no-such-user-xyz", "--", "sh", "-c", "echo ran-as-root"]);
    expect(r.code).toBe(126);
    expect(r.stdout).not.toContain("ran-as-root");
    expect(r.stderr).toMatch(/cannot run as user 'no-such-user-xyz': user "no-such-user-xyz" does not exist/);
  });
});
