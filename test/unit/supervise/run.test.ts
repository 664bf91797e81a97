import { describe, expect, it } from "vitest";
import { createServer } from "node:net";
import { runSupervisor, type SignalSource } from "../../../src/supervise/index.js";
import { SpecSchema } from "../../../src/spec/schema.js";
import { memoryLogger } from "../../../src/log/index.js";
import { ConfigError } from "../../../src/errors.js";
import { FakeSpawner } from "./fake-spawner.js";
import { ManualClock } from "../../../src/time/manual-clock.js";

function signals(): SignalSource & { send(sig: string): void; listeners: number } {
  const set = new Set<(s: string) => void>();
  return {
    subscribe(l) {
      set.add(l);
      return () => set.delete(l);
    },
    send: (sig) => set.forEach((l) => l(sig)),
    get listeners() {
      return set.size;
    },
  };
}

function opts(spec: object, clock: ManualClock, spawner = new FakeSpawner(clock, () => ({})), sig = signals()) {
  const sink = { write: (_d: Buffer, done?: () => void) => (done?.(), true) };
  return {
    spec: SpecSchema.parse({ control: { enabled: false }, ...spec }),
    spawner,
    logger: memoryLogger("debug"),
    baseEnv: { PATH: "/bin", DB_PASSWORD: "pw" },
    secrets: { values: new Map([["db", "pw"]]), sourceEnvVars: new Set(["DB_PASSWORD"]) },
    signals: sig,
    sinks: { stdout: sink, stderr: sink },
    clock,
  };
}

describe("runSupervisor", () => {
  it("runs until TERM, gives each program its env, unsubscribes from signals, exits 0", async () => {
    const clock = new ManualClock();
    const spawner = new FakeSpawner(clock, () => ({}));
    const sig = signals();
    const done = runSupervisor(opts({ env: { FROM_SPEC: "1" }, programs: { a: { command: ["a"], secrets: { PGPASSWORD: "db" } }, b: { command: "echo hi", shell: true } } }, clock, spawner, sig));
    await clock.runUntil(() => spawner.requests.length >= 2);
    sig.send("SIGTERM");
    expect(await clock.drive(done)).toBe(0);
    expect(sig.listeners).toBe(0);
    const [a, b] = spawner.requests;
    expect(a!.env).toEqual({ PATH: "/bin", FROM_SPEC: "1", FOYER_PROGRAM: "a", PGPASSWORD: "pw" });
    expect(b!.argv).toEqual(["/bin/sh", "-c", "echo hi"]);
    expect(b!.env).not.toHaveProperty("DB_PASSWORD");
  });

  it("the main program ends the container with its code", async () => {
    const clock = new ManualClock();
    const spawner = new FakeSpawner(clock, (p) => (p === "main" ? { exitAfter: 10, code: 7 } : {}));
    expect(await clock.drive(runSupervisor({ ...opts({ programs: { side: { command: ["s"] } } }, clock, spawner), main: { argv: ["app"] } }))).toBe(7);
    expect(spawner.requests.map((r) => [r.env.FOYER_PROGRAM, r.stdio, r.group])).toEqual([
      ["side", "pipe", "session"],
      ["main", "inherit", "foreground"],
    ]);
  });

  // the spec checks (a program named main, undeclared secrets…) are the validation stage's (test/unit/check)
  it("a health port taken after validation is still a ConfigError (78) before anything starts", async () => {
    const clock = new ManualClock();
    const spawner = new FakeSpawner(clock, () => ({}));
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", () => r()));
    const port = (taken.address() as { port: number }).port;
    const err = await runSupervisor(opts({ health: { listen: `127.0.0.1:${port}` }, programs: { a: { command: ["x"] } } }, clock, spawner)).catch((e: unknown) => e);
    taken.close();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    expect(spawner.requests).toHaveLength(0);
  });
});
