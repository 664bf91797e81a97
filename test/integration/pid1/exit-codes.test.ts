// `foyer run -- CMD` passes CMD's exit code through and reports exec failures like a shell.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { FOYER, requireBinary, runFoyer } from "./harness.js";

beforeAll(requireBinary);

// Every code 0-255 through the real binary as PID 1, from one shell loop (a test process per code
// would take minutes): each line is "expected actual".
async function everyExitCode(foyerArgs: string): Promise<Array<[number, number]>> {
  const loop = `i=0; while [ $i -le 255 ]; do unshare --pid --fork --mount-proc ${FOYER} ${foyerArgs} sh -c "exit $i"; echo "$i $?"; i=$((i+1)); done`;
  const r = await new Promise<string>((resolve, reject) =>
    execFile("sh", ["-c", loop], { maxBuffer: 1 << 20 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
  return r.trim().split("\n").map((l) => l.split(" ").map(Number) as [number, number]);
}

describe("every exit code 0-255 passes through (as PID 1)", () => {
  it.concurrent.each([
    ["run -- CMD", "run --"],
    ["exec-as USER -- CMD", "exec-as nobody --"],
  ])("%s", async (_label, args) => {
    const codes = await everyExitCode(args);
    expect(codes).toHaveLength(256);
    expect(codes.filter(([want, got]) => want !== got)).toEqual([]);
  });
});

describe("foyer run -- CMD: exit codes (as PID 1)", () => {
  it("runs CMD without '--' (like dumb-init): options before it are foyer's, the rest is CMD's", async () => {
    expect((await runFoyer(["run", "sh", "-c", "exit 3"])).code).toBe(3);
    const ls = await runFoyer(["run", "--grace", "2s", "ls", "-la", "/"]);
    expect(ls.stderr).toBe("");
    expect(ls.stdout).toMatch(/^total \d+/);
    expect(ls.code).toBe(0);
    // --help after CMD is CMD's, not foyer's
    const help = await runFoyer(["run", "sh", "-c", 'echo "args:$*"', "sh", "--help", "--grace"]);
    expect(help.stdout).toBe("args:--help --grace\n");
    expect(help.code).toBe(0);
  });

  it("exec-as USER CMD works without '--' too (like gosu)", async () => {
    const r = await runFoyer(["exec-as", "nobody", "sh", "-c", "id -u; exit 4"]);
    expect(r.stdout).toBe("65534\n");
    expect(r.code).toBe(4);
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

describe("a working directory that is missing or closed is not 'command not found'", () => {
  // The spec is valid when foyer checks it; an init hook removes the program's cwd before it starts.
  function specWithCwd(dir: string, cwd: string, user?: string): string {
    const hooks = path.join(dir, "init.d");
    fs.mkdirSync(hooks);
    fs.writeFileSync(path.join(hooks, "10-rm.sh"), `rm -rf ${dir}/gone\n`);
    const spec = path.join(dir, "spec.yaml");
    fs.writeFileSync(
      spec,
      `control: { enabled: false }
hooks: { init: ${hooks} }
programs:
  app: { command: [sh, -c, "exit 0"], cwd: ${cwd}, critical: true, restart: never${user ? `, user: ${user}` : ""} }
`,
    );
    return spec;
  }

  it("a cwd that vanished: 126 and 'working directory ... does not exist'", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foyer-cwd-"));
    fs.mkdirSync(path.join(dir, "gone"));
    const r = await runFoyer(["run", "--spec", specWithCwd(dir, `${dir}/gone`)]);
    expect(r.stderr).toContain(`cannot execute 'sh': working directory ${dir}/gone does not exist`);
    expect(r.stderr).not.toMatch(/no such file or directory/i);
    expect(r.code).toBe(126);
    fs.rmSync(dir, { recursive: true });
  });

  it("a cwd the program's user cannot enter: 126 naming the directory (the trampoline path)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foyer-cwd-"));
    fs.mkdirSync(path.join(dir, "gone"));
    fs.mkdirSync(path.join(dir, "closed"), { mode: 0o700 });
    const r = await runFoyer(["run", "--spec", specWithCwd(dir, `${dir}/closed`, "nobody")]);
    expect(r.stderr).toMatch(new RegExp(`cannot execute 'sh': working directory ${dir}/closed: permission denied`, "i"));
    expect(r.code).toBe(126);
    fs.rmSync(dir, { recursive: true });
  });

  it("exec-as keeps the caller's working directory, like gosu", async () => {
    const cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "foyer-cwd-")));
    fs.chmodSync(cwd, 0o755);
    const r = await runFoyer(["exec-as", "nobody", "--", "sh", "-c", "pwd"], { cwd });
    expect(r.stdout).toBe(`${cwd}\n`);
    fs.rmSync(cwd, { recursive: true });
  });
});

describe("usage errors name the command that was used", () => {
  it.each([
    ["run", ["run", "--grace", "x", "--", "true"]],
    ["exec-as", ["exec-as", "--grace", "x", "nobody", "--", "true"]],
  ])("%s --grace x", async (command, args) => {
    const r = await runFoyer(args, { pidns: false });
    expect(r.stderr).toMatch(new RegExp(`^foyer ${command}: --grace expects a duration like 10s or 500ms, got 'x'`));
    expect(r.code).toBe(2);
  });
});
