// The supervisor on a manual clock with a scripted Spawner: every delay is exact virtual time.
import { describe, expect, it } from "vitest";
import { Supervisor } from "../../../src/supervise/supervisor.js";
import { programDef } from "../../../src/supervise/run.js";
import { OutputMux } from "../../../src/supervise/output.js";
import { ProgramSchema, type Program } from "../../../src/spec/schema.js";
import { memoryLogger } from "../../../src/log/index.js";
import { ManualClock } from "../../../src/time/manual-clock.js";
import { FakeSpawner, type FakeBehaviour } from "./fake-spawner.js";

type Input = Record<string, unknown>;

function setup(programs: Record<string, Input>, behave: (p: string, n: number) => FakeBehaviour, deadline = 5000) {
  const clock = new ManualClock();
  const spawner = new FakeSpawner(clock, behave);
  const logger = memoryLogger("debug");
  const out: string[] = [];
  const output = new OutputMux({ format: "text", now: () => clock.now(), sinks: { stdout: { write: (d) => out.push(d.toString()) }, stderr: { write: (d) => out.push(d.toString()) } } });
  const defs = Object.entries(programs).map(([name, p]) => programDef(name, ProgramSchema.parse({ command: ["x"], ...p }) as Program));
  const sup = new Supervisor({ programs: defs, deps: { spawner, output, logger, clock }, envFor: (name) => ({ FOYER_PROGRAM: name }), deadline });
  return { sup, spawner, logger, out, clock };
}

const log = (l: { lines: string[] }) => l.lines.join("");
const state = (sup: Supervisor, name: string) => sup.runners.get(name)!.state.name;

describe("start order", () => {
  it("starts a program only once the one it is after is ready (probe passed)", async () => {
    let up = false;
    const { sup, spawner, clock } = setup({ a: { ready: { exec: ["probe"], interval: "10ms" } }, b: { after: ["a"] } }, (p) =>
      p === "a:probe" ? { exitAfter: 0, code: up ? 0 : 1 } : {},
    );
    sup.startAll();
    await clock.advance(150);
    expect(spawner.spawns("a")).toHaveLength(1);
    expect(spawner.spawns("a:probe").length).toBeGreaterThanOrEqual(10);
    expect(spawner.spawns("b")).toHaveLength(0);
    expect(state(sup, "a")).toBe("STARTING");
    up = true;
    await clock.runUntil(() => spawner.spawns("b").length > 0);
    // the next probe after `up` (one interval later) passes, and b starts at once
    expect(spawner.spawns("b")[0]!.t).toBeGreaterThan(150);
    expect(spawner.spawns("b")[0]!.t).toBeLessThanOrEqual(160);
    expect(state(sup, "a")).toBe("RUNNING");
    await clock.drive(sup.shutdown());
  });

  it("a oneshot must succeed first; its failure stops the start with its exit code", async () => {
    const { sup, spawner, logger, clock } = setup(
      { activate: { oneshot: true, restart: "never" }, server: { after: ["activate"] } },
      (p) => (p === "activate" ? { exitAfter: 20, code: 3 } : {}),
    );
    sup.startAll();
    await clock.drive(sup.stopRequested);
    expect(await clock.drive(sup.shutdown())).toBe(3);
    expect(spawner.spawns("server")).toHaveLength(0);
    expect(log(logger)).toContain("shutting down: oneshot activate exited with code 3 (FAILED); cannot start server");
  });
});

describe("uptime readiness (supervisord's startsecs)", () => {
  it("is ready once it stayed up that long: its dependents start exactly then", async () => {
    const { sup, spawner, clock } = setup({ a: { ready: { uptime: "2s" } }, b: { after: ["a"] } }, () => ({}));
    sup.startAll();
    await clock.advance(1999);
    expect(state(sup, "a")).toBe("STARTING");
    expect(spawner.spawns("b")).toHaveLength(0);
    await clock.runUntil(() => spawner.spawns("b").length > 0);
    expect(spawner.spawns("b")[0]!.t).toBe(2000);
    expect(state(sup, "a")).toBe("RUNNING");
    await clock.drive(sup.shutdown());
  });

  it("an exit before then is a failed start (retried), whatever its code", async () => {
    const { sup, spawner, clock } = setup({ a: { ready: { uptime: "2s" }, backoff: { initial: "1s", retries: 1 } } }, () => ({ exitAfter: 1500, code: 0 }));
    sup.startAll();
    await clock.runUntil(() => state(sup, "a") === "FATAL");
    expect(spawner.spawns("a").map((e) => e.t)).toEqual([0, 2500]);
    expect(sup.runners.get("a")!.snapshot().readyAt).toBeNull();
    await clock.drive(sup.shutdown());
  });

  it("is one probe among tcp, http, exec, file", () => {
    expect(ProgramSchema.parse({ command: ["a"], ready: { uptime: 3 } }).ready?.uptime).toBe(3000);
    expect(ProgramSchema.safeParse({ command: ["a"], ready: { uptime: 3, file: "/x" } }).error?.issues[0]?.message).toBe("give exactly one probe: tcp, http, exec, file or uptime");
  });
});

describe("restarts", () => {
  it("restarts a crashing program with growing delays, then FATAL; a non-critical FATAL does not end the container", async () => {
    const { sup, spawner, logger, clock } = setup({ crashy: { backoff: { initial: "80ms", max: "1s", retries: 3 } }, steady: {} }, (p) =>
      p === "crashy" ? { exitAfter: 5, code: 2 } : {},
    );
    sup.startAll();
    const crashy = sup.runners.get("crashy")!;
    await clock.runUntil(() => crashy.state.name === "FATAL");
    const starts = spawner.spawns("crashy").map((e) => e.t);
    // each run lasts 5 ms, then 80, 160, 320 ms of backoff
    expect(starts).toEqual([0, 85, 250, 575]);
    expect(log(logger)).toContain("crashy exited with code 2; retry 1/3 in 0.08s");
    expect(log(logger)).toContain("crashy exited with code 2; giving up (FATAL) after 4 failed start(s)");
    expect(crashy.restarts).toBe(3);
    await clock.advance(60_000);
    expect(spawner.spawns("crashy")).toHaveLength(4);
    expect(sup.phase).toBe("running");
    expect(state(sup, "steady")).toBe("RUNNING");
    expect(await clock.drive(sup.shutdown())).toBe(0);
  });

  it("a critical program's crash ends the container with its code", async () => {
    const { sup, clock } = setup({ db: {}, app: { critical: true, restart: "never", after: ["db"] } }, (p) => (p === "app" ? { exitAfter: 30, code: 42 } : {}));
    sup.startAll();
    await clock.drive(sup.stopRequested);
    expect(await clock.drive(sup.shutdown())).toBe(42);
    expect(state(sup, "db")).toBe("STOPPED");
  });

  it("a program that cannot be spawned is a failed start, never logged as started", async () => {
    const { sup, logger, clock } = setup({ ghost: { restart: "never" }, other: {} }, (p) =>
      p === "ghost" ? { spawnError: { exitCode: 127, message: "ghost-cmd: command not found" } } : {},
    );
    sup.startAll();
    await clock.runUntil(() => state(sup, "ghost") === "FATAL");
    expect(log(logger)).not.toMatch(/started ghost/);
    expect(log(logger)).toContain("ghost could not start: ghost-cmd: command not found (exit 127); giving up (FATAL) after 1 failed start(s)");
    expect(log(logger)).toMatch(/started other/);
    expect(sup.runners.get("ghost")!.snapshot()).toMatchObject({ pid: null, ready: false, lastExit: { exitCode: 127 } });
    await clock.drive(sup.shutdown());
  });
});

describe("readiness timeout", () => {
  const unready = { ready: { exec: ["probe"], timeout: "100ms", interval: "20ms" }, stop: { grace: "2s" } };
  const neverReady = (extra: FakeBehaviour = {}) => (p: string) => (p === "slow:probe" ? { exitAfter: 0, code: 1 } : extra);

  it("stops the program with its stop signal (not KILL) and says why; its exit is a failed start", async () => {
    const { sup, spawner, logger, clock } = setup({ slow: { ...unready, restart: "never", critical: true } }, neverReady());
    sup.startAll();
    await clock.drive(sup.stopRequested);
    expect(clock.now() - sup.startedAt).toBe(100);
    expect(await clock.drive(sup.shutdown())).toBe(143);
    expect(spawner.signals("slow")).toEqual(["SIGTERM"]);
    expect(state(sup, "slow")).toBe("FATAL");
    expect(log(logger)).toMatch(/slow \(pid \d+\) not ready after 0\.1s; stopping it \(SIGTERM, SIGKILL after 2s\)/);
    expect(log(logger)).toContain("shutting down: critical program slow was not ready after 0.1s; when stopped it was killed by SIGTERM (exit 143) (FATAL)");
    expect(sup.runners.get("slow")!.snapshot().lastExit).toMatchObject({ exitCode: 143, signal: "SIGTERM", reason: "not ready after 0.1s" });
  });

  it("KILLs only after the program's grace when it ignores its stop signal", async () => {
    const { sup, spawner, clock } = setup({ slow: { ...unready, restart: "never", stop: { signal: "INT", grace: "2s" } } }, neverReady({ ignores: ["SIGINT"] }));
    sup.startAll();
    await clock.runUntil(() => state(sup, "slow") === "FATAL");
    const signals = spawner.events.filter((e) => e.kind === "signal").map((e) => [e.detail, e.t]);
    expect(signals).toEqual([
      ["SIGINT", 100],
      ["SIGKILL", 2100],
    ]);
    expect(sup.runners.get("slow")!.describeExit()).toBe("was not ready after 0.1s; when stopped it was killed by SIGKILL (exit 137)");
    await clock.drive(sup.shutdown());
  });

  it("is retried per the restart policy", async () => {
    const { sup, spawner, clock } = setup({ slow: { ...unready, backoff: { initial: "1s", max: "1s", retries: 2 } } }, neverReady());
    sup.startAll();
    await clock.runUntil(() => state(sup, "slow") === "FATAL");
    expect(spawner.spawns("slow").map((e) => e.t)).toEqual([0, 1100, 2200]);
    await clock.drive(sup.shutdown());
  });

  it("a shutdown while it is being stopped for unreadiness ends it for good (no retry)", async () => {
    const { sup, spawner, clock } = setup({ slow: { ...unready, backoff: { initial: "1s", max: "1s", retries: 5 } } }, neverReady({ exitsAfterSignal: { SIGTERM: 500 } }));
    sup.startAll();
    await clock.runUntil(() => state(sup, "slow") === "ABORTING");
    sup.requestShutdown("test");
    expect(await clock.drive(sup.shutdown())).toBe(0);
    expect(state(sup, "slow")).toBe("STOPPED");
    await clock.advance(10_000);
    expect(spawner.spawns("slow")).toHaveLength(1);
    expect(spawner.signals("slow")).toEqual(["SIGTERM"]);
  });
});

describe("shutdown", () => {
  it("stops in reverse order, each with its own signal and grace, KILLing a program that ignores TERM", async () => {
    const { sup, spawner, logger, clock } = setup(
      { a: { stop: { grace: "2s" } }, b: { after: ["a"], stop: { signal: "INT", grace: "150ms" } }, c: { after: ["b"] } },
      (p) => (p === "b" ? { ignores: ["SIGINT"] } : {}),
    );
    sup.startAll();
    await clock.drive(sup.runners.get("c")!.settled());
    const t0 = clock.now();
    sup.onSignal("SIGTERM");
    sup.onSignal("SIGTERM"); // a second TERM changes nothing
    await clock.drive(sup.stopRequested);
    expect(await clock.drive(sup.shutdown())).toBe(0);
    expect(spawner.signals()).toEqual(["c:SIGTERM", "b:SIGINT", "b:SIGKILL", "a:SIGTERM"]);
    const at = (program: string, signal: string) => spawner.events.find((e) => e.program === program && e.detail === signal)!.t;
    expect(at("b", "SIGKILL") - at("b", "SIGINT")).toBe(150);
    expect(at("a", "SIGTERM")).toBe(at("b", "SIGKILL"));
    expect(clock.now() - t0).toBe(150);
    expect(log(logger)).toContain("b did not stop within 0.15s of SIGINT; sending SIGKILL to its process group");
  });

  it("waits out a long grace: a program that needs 1 s of its 30-day grace is not KILLed", async () => {
    const { sup, spawner, clock } = setup({ slowstop: { stop: { grace: "720h" } } }, () => ({ exitsAfterSignal: { SIGTERM: 1000 } }), 40 * 86_400_000);
    sup.startAll();
    await clock.drive(sup.runners.get("slowstop")!.settled());
    sup.requestShutdown("test");
    expect(await clock.drive(sup.shutdown())).toBe(0);
    expect(spawner.signals("slowstop")).toEqual(["SIGTERM"]);
    expect(spawner.events.at(-1)).toMatchObject({ kind: "exit", t: 1000, detail: "0" });
  });

  it("the total deadline KILLs what is left even when graces are longer", async () => {
    const { sup, spawner, clock, logger } = setup({ stubborn: { stop: { grace: "60s" } } }, () => ({ ignores: ["SIGTERM"] }), 200);
    sup.startAll();
    await clock.drive(sup.runners.get("stubborn")!.settled());
    const t0 = clock.now();
    sup.requestShutdown("test");
    await clock.drive(sup.shutdown());
    expect(clock.now() - t0).toBe(200);
    expect(spawner.signals("stubborn")).toEqual(["SIGTERM", "SIGKILL"]);
    expect(log(logger)).toContain("shutdown deadline (0.2s) reached; killing every remaining program");
  });

  it("forwards other signals to every program when there is no main program", async () => {
    const { sup, spawner, clock } = setup({ a: {}, b: {} }, () => ({ ignores: ["SIGHUP"] }));
    sup.startAll();
    await clock.drive(sup.runners.get("b")!.settled());
    sup.onSignal("SIGHUP");
    expect(spawner.signals().sort()).toEqual(["a:SIGHUP", "b:SIGHUP"]);
    await clock.drive(sup.shutdown());
  });
});
