// A oneshot's `down` at shutdown, on a manual clock with a scripted Spawner: order across a
// dependency chain, retries inside the grace, no down when the oneshot did not succeed, and the
// shutdown deadline bounding it all. Every delay is exact virtual time.
import { describe, expect, it } from "vitest";
import { Supervisor } from "../../../src/supervise/supervisor.js";
import { programDef } from "../../../src/supervise/run.js";
import { OutputMux } from "../../../src/supervise/output.js";
import { renderHtml, renderMetrics } from "../../../src/supervise/status.js";
import { SHUTDOWN_SIGNALS } from "../../../src/supervise/supervisor.js";
import { ProgramSchema, type Program } from "../../../src/spec/schema.js";
import { memoryLogger } from "../../../src/log/index.js";
import { ManualClock } from "../../../src/time/manual-clock.js";
import { FakeSpawner, type FakeBehaviour } from "./fake-spawner.js";

type Input = Record<string, unknown>;

function setup(programs: Record<string, Input>, behave: (p: string, n: number) => FakeBehaviour, deadline = 180_000) {
  const clock = new ManualClock();
  const spawner = new FakeSpawner(clock, behave);
  const logger = memoryLogger("debug");
  const out: string[] = [];
  const sink = { write: (d: Buffer) => out.push(d.toString()) };
  const output = new OutputMux({ format: "text", now: () => clock.now(), sinks: { stdout: sink, stderr: sink } });
  const defs = Object.entries(programs).map(([name, p]) => programDef(name, ProgramSchema.parse({ command: ["x"], ...p }) as Program));
  const sup = new Supervisor({ programs: defs, deps: { spawner, output, logger, clock }, envFor: (name) => ({ FOYER_PROGRAM: name, SECRET: `for-${name}` }), deadline });
  return { sup, spawner, logger, out, clock };
}

const log = (l: { lines: string[] }) => l.lines.join("");
const down = (sup: Supervisor, name: string) => sup.downs.get(name)!.snapshot();
/** virtual times (ms since the start) of one program's events of a kind */
const times = (spawner: FakeSpawner, program: string, kind: "spawn" | "exit" | "signal") => spawner.events.filter((e) => e.program === program && e.kind === kind).map((e) => e.t);

// a licence oneshot with a down, the server after it, a proxy after the server
const licensed = (extra: Input = {}, server: Input = {}) => ({
  licence: { oneshot: true, down: { command: ["down"] }, stop: { grace: "120s" }, ...extra },
  server: { after: ["licence"], stop: { grace: "5s" }, ...server },
  proxy: { after: ["server"] },
});

/** start, wait until everything is up, ask for shutdown at a known time; returns that time */
async function startThenStop(sup: Supervisor, clock: ManualClock, last = "proxy"): Promise<number> {
  sup.startAll();
  await clock.drive(sup.runners.get(last)!.settled());
  await clock.advance(1000);
  const t = clock.now() - sup.startedAt;
  sup.onSignal("SIGTERM");
  return t;
}

describe("a oneshot's down runs at shutdown in reverse dependency order", () => {
  it("after the programs that start after the oneshot have stopped; its output is prefixed NAME:down", async () => {
    const { sup, spawner, clock, out, logger } = setup(licensed(), (p) => {
      if (p === "licence") return { exitAfter: 10 };
      if (p === "licence:down") return { exitAfter: 300, print: ["licence released"] };
      if (p === "server") return { exitsAfterSignal: { SIGTERM: 2000 } };
      return {};
    });
    const stopAt = await startThenStop(sup, clock);
    expect(spawner.spawns("licence:down")).toHaveLength(0);
    expect(down(sup, "licence").state).toBe("PENDING");
    expect(await clock.drive(sup.shutdown())).toBe(0);
    // proxy stops, then the server takes its 2 s, and only then the down runs
    expect(spawner.signals()).toEqual(["proxy:SIGTERM", "server:SIGTERM"]);
    expect(times(spawner, "server", "exit")).toEqual([stopAt + 2000]);
    expect(times(spawner, "licence:down", "spawn")).toEqual([stopAt + 2000]);
    expect(clock.now() - sup.startedAt).toBe(stopAt + 2300);
    expect(down(sup, "licence")).toMatchObject({ state: "SUCCEEDED", attempts: 1, lastExit: { exitCode: 0 } });
    expect(out.join("")).toMatch(/^licence:down \| licence released$/m);
    expect(log(logger)).toContain("licence:down succeeded");
  });

  for (const signal of SHUTDOWN_SIGNALS)
    it(`runs on SIG${signal} too`, async () => {
      const { sup, spawner, clock } = setup(licensed(), (p) => (p === "licence" || p === "licence:down" ? { exitAfter: 10 } : {}));
      sup.startAll();
      await clock.drive(sup.runners.get("proxy")!.settled());
      sup.onSignal(`SIG${signal}`);
      await clock.drive(sup.stopRequested);
      await clock.drive(sup.shutdown());
      expect(spawner.spawns("licence:down")).toHaveLength(1);
      expect(down(sup, "licence").state).toBe("SUCCEEDED");
    });

  it("a chain of oneshots: the later one's down runs (and ends) before the earlier one's starts", async () => {
    const { sup, spawner, clock } = setup(
      {
        mount: { oneshot: true, down: { command: ["down"] } },
        licence: { oneshot: true, after: ["mount"], down: { command: ["down"] } },
        server: { after: ["licence"] },
      },
      (p) => (p === "mount" || p === "licence" ? { exitAfter: 10 } : p.endsWith(":down") ? { exitAfter: 400 } : {}),
    );
    const stopAt = await startThenStop(sup, clock, "server");
    await clock.drive(sup.shutdown());
    const order = spawner.events.filter((e) => e.kind !== "signal" || e.program === "server").filter((e) => e.t >= stopAt).map((e) => `${e.program} ${e.kind} ${e.t - stopAt}`);
    expect(order).toEqual(["server signal 0", "server exit 0", "licence:down spawn 0", "licence:down exit 400", "mount:down spawn 400", "mount:down exit 800"]);
  });

  it("runs as the oneshot: same user, cwd, umask and environment (with its secrets)", async () => {
    const { sup, spawner, clock } = setup(
      { licence: { oneshot: true, user: "rstudio-server", cwd: "/var/lib/rstudio-server", umask: "077", down: { command: "deactivate --all", shell: true } }, server: { after: ["licence"] } },
      (p) => (p === "licence" || p === "licence:down" ? { exitAfter: 10 } : {}),
    );
    await startThenStop(sup, clock, "server");
    await clock.drive(sup.shutdown());
    const [up, dn] = [spawner.requests.find((r) => r.argv[0] === "x" && r.env.FOYER_PROGRAM === "licence")!, spawner.requests.at(-1)!];
    expect(dn.argv).toEqual(["/bin/sh", "-c", "deactivate --all"]);
    expect({ user: dn.user, cwd: dn.cwd, umask: dn.umask, env: dn.env }).toEqual({ user: up.user, cwd: up.cwd, umask: 0o077, env: up.env });
    expect(dn.env.SECRET).toBe("for-licence");
  });

  it("also runs when a critical program crashed (its exit code stays foyer's), and a failing down changes nothing", async () => {
    const { sup, spawner, clock, logger } = setup(licensed({ down: { command: ["down"], retries: 0 } }, { critical: true, restart: "never" }), (p) => {
      if (p === "licence") return { exitAfter: 10 };
      if (p === "server") return { exitAfter: 5000, code: 137 };
      if (p === "licence:down") return { exitAfter: 100, code: 4 };
      return {};
    });
    sup.startAll();
    await clock.drive(sup.stopRequested);
    expect(await clock.drive(sup.shutdown())).toBe(137);
    expect(spawner.spawns("licence:down")).toHaveLength(1);
    expect(times(spawner, "licence:down", "spawn")[0]).toBeGreaterThanOrEqual(times(spawner, "proxy", "exit")[0]!);
    expect(down(sup, "licence")).toMatchObject({ state: "FAILED", attempts: 1, lastExit: { exitCode: 4 } });
    expect(log(logger)).toContain("licence:down exited with code 4; giving up (1 attempt(s) failed); foyer's exit code is unchanged");
  });
});

describe("retries inside the oneshot's stop.grace", () => {
  it("retries a failing down with a growing backoff until it succeeds", async () => {
    const { sup, spawner, clock, logger } = setup(licensed(), (p, n) => {
      if (p === "licence") return { exitAfter: 10 };
      if (p === "licence:down") return { exitAfter: 50, code: n < 3 ? 3 : 0 };
      return {};
    });
    const stopAt = await startThenStop(sup, clock);
    await clock.drive(sup.shutdown());
    // 50 ms attempts; 1 s, then 2 s between them
    expect(times(spawner, "licence:down", "spawn").map((t) => t - stopAt)).toEqual([0, 1050, 3100]);
    expect(log(logger)).toContain("licence:down exited with code 3; retry 1/3 in 1s");
    expect(log(logger)).toContain("licence:down exited with code 3; retry 2/3 in 2s");
    expect(log(logger)).toContain("licence:down succeeded (attempt 3)");
    expect(down(sup, "licence")).toMatchObject({ state: "SUCCEEDED", attempts: 3 });
  });

  it("gives up when the next attempt would not fit in the grace", async () => {
    const { sup, spawner, clock, logger } = setup(licensed({ stop: { grace: "2500ms" }, down: { command: ["down"], retries: 10 } }), (p) =>
      p === "licence" ? { exitAfter: 10 } : p === "licence:down" ? { exitAfter: 50, code: 3 } : {},
    );
    const stopAt = await startThenStop(sup, clock);
    expect(await clock.drive(sup.shutdown())).toBe(0);
    // 0-50, wait 1 s, 1050-1100; a 2 s wait would end after the 2.5 s grace
    expect(times(spawner, "licence:down", "spawn").map((t) => t - stopAt)).toEqual([0, 1050]);
    expect(clock.now() - sup.startedAt - stopAt).toBe(1100);
    expect(log(logger)).toContain("licence:down exited with code 3; giving up (its stop.grace (2.5s) leaves no time for another attempt)");
    expect(down(sup, "licence")).toMatchObject({ state: "FAILED", attempts: 2, reason: "its stop.grace (2.5s) leaves no time for another attempt" });
  });

  it("KILLs an attempt still running when the grace ends, and starts no other", async () => {
    const { sup, spawner, clock, logger } = setup(licensed({ stop: { grace: "3s" } }), (p) =>
      p === "licence" ? { exitAfter: 10 } : p === "licence:down" ? { ignores: ["SIGTERM"] } : {},
    );
    const stopAt = await startThenStop(sup, clock);
    await clock.drive(sup.shutdown());
    expect(spawner.signals("licence:down")).toEqual(["SIGKILL"]);
    expect(times(spawner, "licence:down", "signal").map((t) => t - stopAt)).toEqual([3000]);
    expect(spawner.spawns("licence:down")).toHaveLength(1);
    expect(log(logger)).toContain("still running when its stop.grace (3s) ended; sending SIGKILL to its process group");
    expect(down(sup, "licence")).toMatchObject({ state: "FAILED", reason: "its stop.grace (3s) ended", lastExit: { exitCode: 137, reason: "still running when its stop.grace (3s) ended" } });
  });

  it("an attempt past its own timeout gets the oneshot's stop signal, then the next attempt runs", async () => {
    const { sup, spawner, clock } = setup(licensed({ stop: { signal: "INT", grace: "60s" }, down: { command: ["down"], timeout: "500ms" } }), (p, n) =>
      p === "licence" ? { exitAfter: 10 } : p === "licence:down" ? (n === 1 ? {} : { exitAfter: 20 }) : {},
    );
    const stopAt = await startThenStop(sup, clock);
    await clock.drive(sup.shutdown());
    expect(spawner.signals("licence:down")).toEqual(["SIGINT"]);
    expect(times(spawner, "licence:down", "spawn").map((t) => t - stopAt)).toEqual([0, 1500]);
    expect(down(sup, "licence")).toMatchObject({ state: "SUCCEEDED", attempts: 2 });
  });

  it("a down that cannot be spawned is not retried", async () => {
    const { sup, clock, logger } = setup(licensed(), (p) =>
      p === "licence" ? { exitAfter: 10 } : p === "licence:down" ? { spawnError: { exitCode: 127, message: "down: command not found" } } : {},
    );
    await startThenStop(sup, clock);
    await clock.drive(sup.shutdown());
    expect(down(sup, "licence")).toMatchObject({ state: "FAILED", attempts: 1, lastExit: { exitCode: 127 } });
    expect(log(logger)).toContain("licence:down could not start: down: command not found (exit 127); giving up (it cannot be started)");
  });
});

describe("no down when there is nothing to undo", () => {
  it("not when the oneshot failed", async () => {
    const { sup, spawner, clock, logger } = setup(licensed({ restart: "never" }), (p) => (p === "licence" ? { exitAfter: 10, code: 2 } : {}));
    sup.startAll();
    await clock.drive(sup.stopRequested);
    expect(await clock.drive(sup.shutdown())).toBe(2);
    expect(spawner.spawns("licence:down")).toHaveLength(0);
    expect(down(sup, "licence")).toMatchObject({ state: "SKIPPED", attempts: 0, reason: "oneshot licence did not succeed (exited with code 2)" });
    expect(log(logger)).toContain("licence:down not run: oneshot licence did not succeed (exited with code 2)");
  });

  it("not when the oneshot never ran (shutdown before its turn), nor when it was stopped while running", async () => {
    const { sup, spawner, clock } = setup(
      {
        slow: { ready: { exec: ["probe"], interval: "1s", timeout: "1h" } },
        waits: { oneshot: true, after: ["slow"], down: { command: ["down"] } },
        running: { oneshot: true, down: { command: ["down"] } },
      },
      (p) => (p === "slow:probe" ? { exitAfter: 0, code: 1 } : {}),
    );
    sup.startAll();
    await clock.advance(5000);
    sup.onSignal("SIGTERM");
    await clock.drive(sup.shutdown());
    expect(spawner.spawns("waits")).toHaveLength(0);
    expect(spawner.spawns("running")).toHaveLength(1);
    expect(spawner.spawns("waits:down")).toHaveLength(0);
    expect(spawner.spawns("running:down")).toHaveLength(0);
    expect(down(sup, "waits")).toMatchObject({ state: "SKIPPED", reason: "oneshot waits never ran" });
    expect(down(sup, "running")).toMatchObject({ state: "SKIPPED", reason: "oneshot running did not succeed (was killed by SIGTERM (exit 143))" });
  });
});

describe("the shutdown deadline bounds everything", () => {
  it("KILLs a running down at the deadline and skips the downs not started yet", async () => {
    const { sup, spawner, clock, logger } = setup(
      {
        mount: { oneshot: true, down: { command: ["down"] } },
        licence: { oneshot: true, after: ["mount"], stop: { grace: "120s" }, down: { command: ["down"] } },
        server: { after: ["licence"] },
      },
      (p) => (p === "mount" || p === "licence" ? { exitAfter: 10 } : p === "licence:down" ? { ignores: ["SIGTERM"] } : {}),
      30_000,
    );
    const stopAt = await startThenStop(sup, clock, "server");
    await clock.drive(sup.shutdown());
    expect(clock.now() - sup.startedAt - stopAt).toBe(30_000);
    expect(times(spawner, "licence:down", "signal").map((t) => t - stopAt)).toEqual([30_000]);
    expect(spawner.spawns("mount:down")).toHaveLength(0);
    expect(down(sup, "licence")).toMatchObject({ state: "FAILED", reason: "the shutdown deadline was reached", lastExit: { exitCode: 137, reason: "KILLed at the shutdown deadline" } });
    expect(down(sup, "mount")).toMatchObject({ state: "SKIPPED", reason: "the shutdown deadline was reached" });
    expect(log(logger)).toContain("shutdown deadline (30s) reached; killing every remaining program");
  });

  it("cuts a backoff wait short at the deadline", async () => {
    const { sup, spawner, clock } = setup(licensed(), (p) => (p === "licence" ? { exitAfter: 10 } : p === "licence:down" ? { exitAfter: 100, code: 1 } : {}), 1500);
    const stopAt = await startThenStop(sup, clock);
    await clock.drive(sup.shutdown());
    // attempt at 0 (fails at 100), wait 1 s, attempt at 1100 (fails at 1200), wait 2 s cut at 1500
    expect(times(spawner, "licence:down", "spawn").map((t) => t - stopAt)).toEqual([0, 1100]);
    expect(clock.now() - sup.startedAt - stopAt).toBe(1500);
    expect(down(sup, "licence")).toMatchObject({ state: "FAILED", reason: "the shutdown deadline was reached" });
  });
});

describe("status", () => {
  it("shows the down's state in the snapshot and on the status page", async () => {
    const { sup, clock } = setup(licensed(), (p) => (p === "licence" ? { exitAfter: 10 } : p === "licence:down" ? { exitAfter: 2000 } : {}));
    await startThenStop(sup, clock);
    const done = sup.shutdown();
    await clock.runUntil(() => down(sup, "licence").state === "RUNNING");
    const during = sup.snapshot().find((p) => p.name === "licence")!;
    expect(during.down).toMatchObject({ state: "RUNNING", attempts: 1 });
    expect(during.down!.pid).toBeGreaterThan(0);
    expect(sup.snapshot().find((p) => p.name === "server")!.down).toBeUndefined();
    await clock.drive(done);
    const report = { phase: "stopped" as const, now: clock.now(), startedAt: sup.startedAt, ready: false, programs: sup.snapshot() };
    expect(renderHtml(report)).toContain('<span class="tag">down SUCCEEDED, code 0</span>');
    const metrics = renderMetrics(report);
    expect(metrics).toContain('foyer_program_down_state{program="licence",state="SUCCEEDED"} 1');
    expect(metrics).toContain('foyer_program_down_state{program="licence",state="RUNNING"} 0');
    expect(metrics).not.toContain('foyer_program_down_state{program="server"');
  });
});

describe("schema", () => {
  it("accepts a down on a oneshot only, and a string command only with shell", () => {
    expect(ProgramSchema.parse({ command: ["a"], oneshot: true, down: { command: ["b"] } }).down).toEqual({ command: ["b"], shell: false, retries: 3 });
    expect(ProgramSchema.parse({ command: ["a"], oneshot: true, down: { command: ["b"], timeout: "2m", retries: 0 } }).down).toMatchObject({ timeout: 120_000, retries: 0 });
    const notOneshot = ProgramSchema.safeParse({ command: ["a"], down: { command: ["b"] } });
    expect(notOneshot.error?.issues).toEqual([expect.objectContaining({ path: ["down"], message: "`down` undoes a oneshot's work at shutdown: it needs `oneshot: true`" })]);
    const noShell = ProgramSchema.safeParse({ command: ["a"], oneshot: true, down: { command: "b c" } });
    expect(noShell.error?.issues[0]).toMatchObject({ path: ["down", "command"] });
    expect(ProgramSchema.safeParse({ command: ["a"], oneshot: true, down: { command: ["b"], retires: 2 } }).success).toBe(false);
  });
});
