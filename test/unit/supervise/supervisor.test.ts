import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Supervisor } from "../../../src/supervise/supervisor.js";
import { programDef } from "../../../src/supervise/run.js";
import { OutputMux } from "../../../src/supervise/output.js";
import { ProgramSchema, type Program } from "../../../src/spec/schema.js";
import { memoryLogger } from "../../../src/log/index.js";
import { FakeSpawner, type FakeBehaviour } from "./fake-spawner.js";

type Input = Record<string, unknown>;

function setup(programs: Record<string, Input>, behave: (p: string, n: number) => FakeBehaviour, deadline = 5000) {
  const spawner = new FakeSpawner(behave);
  const logger = memoryLogger("debug");
  const out: string[] = [];
  const output = new OutputMux({ format: "text", now: Date.now, sinks: { stdout: { write: (d) => out.push(d.toString()) }, stderr: { write: (d) => out.push(d.toString()) } } });
  const defs = Object.entries(programs).map(([name, p]) => programDef(name, ProgramSchema.parse({ command: ["x"], ...p }) as Program));
  const sup = new Supervisor({ programs: defs, deps: { spawner, output, logger, now: Date.now }, envFor: (name) => ({ FOYER_PROGRAM: name }), deadline });
  return { sup, spawner, logger, out };
}

const log = (l: { lines: string[] }) => l.lines.join("");

describe("start order", () => {
  it("starts a program only once the one it is after is ready (probe passed)", async () => {
    const flag = join(mkdtempSync(join(tmpdir(), "foyer-sup-")), "a-ready");
    const { sup, spawner } = setup({ a: { ready: { file: flag, interval: "10ms" } }, b: { after: ["a"] } }, () => ({}));
    sup.startAll();
    await new Promise((r) => setTimeout(r, 150));
    expect(spawner.spawns("a")).toHaveLength(1);
    expect(spawner.spawns("b")).toHaveLength(0);
    writeFileSync(flag, "");
    await sup.runners.get("b")!.settled();
    expect(spawner.spawns("b")[0]!.t).toBeGreaterThanOrEqual(150);
    expect(sup.runners.get("a")!.state.name).toBe("RUNNING");
    await sup.shutdown();
  });

  it("a oneshot must succeed first; its failure stops the start with its exit code", async () => {
    const { sup, spawner, logger } = setup(
      { activate: { oneshot: true, restart: "never" }, server: { after: ["activate"] } },
      (p) => (p === "activate" ? { exitAfter: 20, code: 3 } : {}),
    );
    sup.startAll();
    await sup.stopRequested;
    expect(await sup.shutdown()).toBe(3);
    expect(spawner.spawns("server")).toHaveLength(0);
    expect(log(logger)).toContain("shutting down: oneshot activate exited with code 3 (FAILED); cannot start server");
  });
});

describe("restarts", () => {
  it("restarts a crashing program with growing delays, then FATAL; a non-critical FATAL does not end the container", async () => {
    const { sup, spawner, logger } = setup({ crashy: { backoff: { initial: "80ms", max: "1s", retries: 3 } }, steady: {} }, (p) =>
      p === "crashy" ? { exitAfter: 5, code: 2 } : {},
    );
    sup.startAll();
    const crashy = sup.runners.get("crashy")!;
    while (crashy.state.name !== "FATAL") await new Promise((r) => setTimeout(r, 10));
    const starts = spawner.spawns("crashy").map((e) => e.t);
    expect(starts).toHaveLength(4);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]! - 5);
    // 80, 160, 320 ms of backoff (plus scheduling noise)
    expect(gaps[0]).toBeGreaterThanOrEqual(78);
    expect(gaps[1]).toBeGreaterThanOrEqual(158);
    expect(gaps[2]).toBeGreaterThanOrEqual(318);
    expect(gaps[1]! > gaps[0]! && gaps[2]! > gaps[1]!).toBe(true);
    expect(log(logger)).toContain("crashy exited with code 2; giving up (FATAL) after 4 failed start(s)");
    expect(crashy.restarts).toBe(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(sup.phase).toBe("running");
    expect(sup.runners.get("steady")!.state.name).toBe("RUNNING");
    expect(await sup.shutdown()).toBe(0);
  });

  it("a critical program's crash ends the container with its code", async () => {
    const { sup } = setup({ db: {}, app: { critical: true, restart: "never", after: ["db"] } }, (p) => (p === "app" ? { exitAfter: 30, code: 42 } : {}));
    sup.startAll();
    await sup.stopRequested;
    expect(await sup.shutdown()).toBe(42);
    expect(sup.runners.get("db")!.state.name).toBe("STOPPED");
  });

  it("a program not ready within its start timeout is killed and counts as a failed start", async () => {
    const { sup, spawner, logger } = setup({ slow: { restart: "never", critical: true, ready: { file: "/nonexistent/x", timeout: "100ms", interval: "20ms" } } }, () => ({}));
    sup.startAll();
    await sup.stopRequested;
    expect(await sup.shutdown()).toBe(137);
    expect(spawner.events.filter((e) => e.kind === "signal").map((e) => e.detail)).toEqual(["SIGKILL"]);
    expect(log(logger)).toMatch(/slow \(pid \d+\) was not ready within 0.1s; killing it/);
    expect(sup.runners.get("slow")!.state.name).toBe("FATAL");
  });
});

describe("shutdown", () => {
  it("stops in reverse order, each with its own signal and grace, KILLing a program that ignores TERM", async () => {
    const { sup, spawner, logger } = setup(
      { a: { stop: { grace: "2s" } }, b: { after: ["a"], stop: { signal: "INT", grace: "150ms" } }, c: { after: ["b"] } },
      (p) => (p === "b" ? { ignores: ["SIGINT"] } : {}),
    );
    sup.startAll();
    await sup.runners.get("c")!.settled();
    const t0 = Date.now();
    sup.onSignal("SIGTERM");
    sup.onSignal("SIGTERM"); // a second TERM changes nothing
    await sup.stopRequested;
    expect(await sup.shutdown()).toBe(0);
    const signals = spawner.events.filter((e) => e.kind === "signal").map((e) => `${e.program}:${e.detail}`);
    expect(signals).toEqual(["c:SIGTERM", "b:SIGINT", "b:SIGKILL", "a:SIGTERM"]);
    const aTerm = spawner.events.find((e) => e.program === "a" && e.kind === "signal")!;
    const bInt = spawner.events.find((e) => e.program === "b" && e.kind === "signal")!;
    expect(aTerm.t - bInt.t).toBeGreaterThanOrEqual(148);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(log(logger)).toContain("b did not stop within 0.15s of SIGINT; sending SIGKILL to its process group");
  });

  it("the total deadline KILLs what is left even when graces are longer", async () => {
    const { sup, spawner } = setup({ stubborn: { stop: { grace: "60s" } } }, () => ({ ignores: ["SIGTERM"] }), 200);
    sup.startAll();
    await sup.runners.get("stubborn")!.settled();
    const t0 = Date.now();
    sup.requestShutdown("test");
    await sup.shutdown();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(spawner.events.filter((e) => e.kind === "signal").map((e) => e.detail)).toEqual(["SIGTERM", "SIGKILL"]);
  });

  it("forwards other signals to every program when there is no main program", async () => {
    const { sup, spawner } = setup({ a: {}, b: {} }, () => ({ ignores: ["SIGHUP"] }));
    sup.startAll();
    await sup.runners.get("b")!.settled();
    sup.onSignal("SIGHUP");
    expect(spawner.events.filter((e) => e.kind === "signal").map((e) => `${e.program}:${e.detail}`).sort()).toEqual(["a:SIGHUP", "b:SIGHUP"]);
    await sup.shutdown();
  });
});
