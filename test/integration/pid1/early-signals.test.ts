// A signal that arrives while foyer is still starting (as PID 1: before it has handlers, the kernel
// drops it) is kept: TERM/INT/QUIT stop foyer before any program runs, with 128+n; other signals
// reach CMD once it runs. The gate (start-gate.ts) holds foyer at one instant of its start-up.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { constants } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STOP_SIGNALS } from "../../../src/pid1/index.js";
import { requireBinary, sleep, startFoyer } from "./harness.js";
import { buildGate, startGated } from "./start-gate.js";

const N = constants.signals;
let dir: string;
let gate: string;

beforeAll(() => {
  requireBinary();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "foyer-early-"));
  fs.chmodSync(dir, 0o777); // exec-as nobody writes its marker here
  gate = buildGate(dir);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// CMD leaves a marker when it starts, then would run for 30 s.
function marked(name: string): { marker: string; cmd: string[] } {
  const marker = path.join(dir, `${name}.started`);
  return { marker, cmd: ["sh", "-c", `touch ${marker}; sleep 30; exit 5`] };
}

describe("a stop signal while foyer starts: nothing starts, exit 128+n", () => {
  it.each(STOP_SIGNALS)("run -- CMD, %s", async (signal) => {
    const { marker, cmd } = marked(`run-${signal}`);
    const g = startGated(gate, ["run", "--", ...cmd]);
    await g.signalAtGate(signal);
    const r = await g.foyer.done;
    expect(r.code, r.stderr).toBe(128 + N[signal]);
    expect(fs.existsSync(marker)).toBe(false);
    expect(r.stderr).toContain(`received ${signal} before sh started; not starting it`);
  });

  it("run CMD (no --), SIGTERM", async () => {
    const { marker, cmd } = marked("run-no-dashes");
    const g = startGated(gate, ["run", ...cmd]);
    await g.signalAtGate("SIGTERM");
    const r = await g.foyer.done;
    expect(r.code, r.stderr).toBe(143);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("exec-as USER -- CMD, SIGTERM", async () => {
    const { marker, cmd } = marked("exec-as");
    const g = startGated(gate, ["exec-as", "nobody", "--", ...cmd]);
    await g.signalAtGate("SIGTERM");
    const r = await g.foyer.done;
    expect(r.code, r.stderr).toBe(143);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("run --spec: a SIGTERM while it validates writes nothing, runs no hook and no program", async () => {
    const spec = path.join(dir, "spec.yaml");
    const hooks = path.join(dir, "init.d");
    fs.mkdirSync(hooks);
    fs.writeFileSync(path.join(hooks, "10-mark.sh"), `touch ${dir}/hook.ran\n`);
    const { marker, cmd } = marked("spec-program");
    fs.writeFileSync(
      spec,
      `control: { enabled: false }
hooks: { init: ${hooks} }
files:
  - path: ${dir}/out/app.conf
    content: "x=1\\n"
programs:
  app: { command: ${JSON.stringify(cmd)} }
`,
    );
    const g = startGated(gate, ["run", "--spec", spec]);
    await g.signalAtGate("SIGTERM");
    const r = await g.foyer.done;
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toContain("received SIGTERM while validating; no program started");
    expect(fs.existsSync(`${dir}/out/app.conf`)).toBe(false);
    expect(fs.existsSync(`${dir}/hook.ran`)).toBe(false);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe("foyer init as PID 1 of an initContainer", () => {
  it("a SIGTERM while it validates: nothing is written, exit 143 (as PID 1 it was ignored, and init applied and exited 0)", async () => {
    const spec = path.join(dir, "init-spec.yaml");
    fs.writeFileSync(spec, `files:\n  - path: ${dir}/init-out/app.conf\n    content: "x=1\\n"\n`);
    const g = startGated(gate, ["init", "--spec", spec]);
    await g.signalAtGate("SIGTERM");
    const r = await g.foyer.done;
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toContain("received SIGTERM while validating; nothing applied");
    expect(fs.existsSync(`${dir}/init-out/app.conf`)).toBe(false);
  });
});

describe("another signal while foyer starts is not lost", () => {
  it("run -- CMD: SIGUSR2 reaches CMD as soon as it runs (like tini)", async () => {
    // sh has no handler yet: the replayed USR2 kills it, which shows it arrived
    const g = startGated(gate, ["run", "--", "sh", "-c", "sleep 30; exit 5"]);
    await g.signalAtGate("SIGUSR2");
    const r = await g.foyer.done;
    expect(r.code, r.stderr).toBe(128 + N.SIGUSR2);
  });
});

describe("a stop signal while init hooks run reaches the supervisor", () => {
  it("run --spec: the hook is interrupted, no program starts, foyer ends promptly (not KILLed)", async () => {
    const hooks = path.join(dir, "hooks-blocking");
    fs.mkdirSync(hooks);
    const fifo = path.join(dir, "hook.fifo");
    execFileSync("mkfifo", [fifo]);
    fs.writeFileSync(path.join(hooks, "10-wait.sh"), `cat ${fifo} >/dev/null\n`);
    const { marker, cmd } = marked("after-hooks");
    const spec = path.join(dir, "hooks-spec.yaml");
    fs.writeFileSync(spec, `control: { enabled: false }\nhooks: { init: ${hooks} }\nprograms:\n  app: { command: ${JSON.stringify(cmd)} }\n`);
    const f = startFoyer(["run", "--spec", spec]);
    // the hook holds the FIFO's read end open once it runs: an observable state, no timing guess
    let fd: number | undefined;
    while (fd === undefined) {
      try {
        fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
      } catch {
        await sleep(5);
      }
    }
    const t0 = Date.now();
    process.kill(await f.foyerPid(), "SIGTERM");
    const r = await f.done;
    fs.closeSync(fd);
    expect(r.stderr).toMatch(/init hook 10-wait\.sh interrupted/);
    expect(fs.existsSync(marker)).toBe(false);
    expect(r.code).not.toBe(137);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
