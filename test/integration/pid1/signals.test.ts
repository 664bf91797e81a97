// Signals sent to foyer (as PID 1) reach the main program's whole process group.
import * as fs from "node:fs";
import { constants } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { FORWARDED_SIGNALS } from "../../../src/pid1/index.js";
import { requireBinary, startFoyer } from "./harness.js";

beforeAll(requireBinary);

const N = constants.signals;

async function signalAndWait(args: string[], script: string, signal: string) {
  const f = startFoyer([...args, "sh", "-c", script]);
  await f.waitFor("ready");
  process.kill(await f.foyerPid(), signal);
  return f.done;
}

// The very list foyer uses: a signal added to or dropped from it is tested (or missed) here too.
// CMD traps each one and exits with the signal's own number (not 128+n): only a signal that really
// reached CMD gives that code, and one that never arrives leaves CMD looping until the test fails.
describe.each([
  ["foyer run -- CMD", ["run", "--"]],
  ["foyer exec-as USER -- CMD", ["exec-as", "nobody", "--"]],
])("%s: every forwarded signal (as PID 1)", (_label, args) => {
  it.concurrent.each(FORWARDED_SIGNALS)("forwards %s to CMD", async (sig) => {
    const r = await signalAndWait(args, `trap 'exit ${N[sig]}' ${N[sig]}; echo ready; while :; do sleep 0.05; done`, sig);
    expect(r.code, r.stderr).toBe(N[sig]);
  });
});

describe("foyer run -- CMD: signals (as PID 1)", () => {
  it("CMD killed by a forwarded signal: foyer exits 128+n", async () => {
    const r = await signalAndWait(["run", "--"], "echo ready; exec sleep 30", "SIGTERM");
    expect(r.code).toBe(128 + N.SIGTERM);
  });

  it("delivers TERM to a grandchild in the program's process group", async () => {
    // The main program traps TERM and keeps waiting: only a group-wide signal reaches the grandchild.
    const grandchild = `trap 'echo grandchild-got-TERM; exit 0' TERM; echo ready; while :; do sleep 0.05; done`;
    const main = `trap 'echo main-got-TERM' TERM; sh -c "${grandchild}" & gc=$!; wait $gc; wait $gc; exit 7`;
    const f = startFoyer(["run", "--", "sh", "-c", main]);
    await f.waitFor("ready");
    process.kill(await f.foyerPid(), "SIGTERM");
    const r = await f.done;
    expect(r.stdout).toContain("grandchild-got-TERM");
    expect(r.stdout).toContain("main-got-TERM");
    expect(r.code).toBe(7);
  });

  it("stops leftovers with TERM after the program exits, then exits with its code", async () => {
    const leftover = `trap 'echo leftover-got-TERM; exit 0' TERM; echo ready; while :; do sleep 0.05; done`;
    const f = startFoyer(["run", "--grace", "5s", "--", "sh", "-c", `sh -c "${leftover}" & sleep 0.3; exit 9`]);
    const r = await f.done;
    expect(r.stdout).toContain("leftover-got-TERM");
    expect(r.code).toBe(9);
  });

  it("KILLs leftovers that ignore TERM once --grace has passed", async () => {
    const stubborn = `trap '' TERM; echo ready; exec sleep 30`;
    const t0 = Date.now();
    const r = await startFoyer(["run", "--grace", "500ms", "--", "sh", "-c", `sh -c "${stubborn}" & sleep 0.3; exit 4`]).done;
    const ms = Date.now() - t0;
    expect(r.code).toBe(4);
    expect(ms).toBeGreaterThanOrEqual(700);
    expect(ms).toBeLessThan(5000);
    expect(r.stderr).toMatch(/killed=1/);
  });
});

describe("SIGUSR1 and NODE_OPTIONS never change foyer itself", () => {
  it("SIGUSR1 opens no inspector port; the program gets it", async () => {
    const f = startFoyer(["run", "--", "sh", "-c", "trap 'echo got-USR1' USR1; echo ready; while :; do sleep 0.05; done"]);
    await f.waitFor("ready");
    const pid = await f.foyerPid();
    process.kill(pid, "SIGUSR1");
    await f.waitFor("got-USR1");
    await new Promise((r) => setTimeout(r, 200));
    // The inspector would listen on 127.0.0.1:9229 (hex 2415) in foyer's network namespace (the host's).
    const listening = fs.readFileSync(`/proc/${pid}/net/tcp`, "latin1") + fs.readFileSync(`/proc/${pid}/net/tcp6`, "latin1");
    expect(listening).not.toMatch(/:2415 [0-9A-F:]+ 0A /);
    process.kill(pid, "SIGTERM");
    const r = await f.done;
    expect(r.stderr).not.toMatch(/Debugger listening/);
    expect(r.code).toBe(128 + N.SIGTERM);
  });

  it("NODE_OPTIONS=--require reaches the program but is not executed by foyer", async () => {
    const dir = fs.mkdtempSync("/tmp/foyer-nodeopts-");
    fs.writeFileSync(`${dir}/x.js`, `require("fs").writeFileSync(${JSON.stringify(dir)} + "/ran-" + process.pid, "");`);
    const env = { ...process.env, NODE_OPTIONS: `--require ${dir}/x.js` };
    const run = await startFoyer(["run", "--", "sh", "-c", 'echo "child: $NODE_OPTIONS"'], { env }).done;
    const execAs = await startFoyer(["exec-as", "nobody", "--", "sh", "-c", 'echo "child: $NODE_OPTIONS"'], { env }).done;
    expect(run.stdout.trim()).toBe(`child: --require ${dir}/x.js`);
    expect(execAs.stdout.trim()).toBe(`child: --require ${dir}/x.js`);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("ran-"))).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});
