// A oneshot's `down` through the binary: licence activation as a oneshot before the server,
// deactivation after the server stopped — on TERM, and when the server is KILLed from outside.
import { describe, expect, it } from "vitest";
import { chmodSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, events, records, scratch, startFoyer, until, type Running } from "./harness.js";

const KEY = "LIC-0123456789-ABCDEF";

interface StatusProgram {
  name: string;
  state: string;
  down?: { state: string; attempts: number; lastExit: { exitCode: number } | null };
}

async function status(port: number): Promise<StatusProgram[]> {
  const res = await fetch(`http://127.0.0.1:${port}/status`);
  return ((await res.json()) as { programs: StatusProgram[] }).programs;
}

/** A licence oneshot (with a down) as nobody, a critical server after it. */
function licensedSpec(dir: string, log: string, port: number, downFailures: number, downSeconds: number) {
  chmodSync(dir, 0o777);
  return {
    log: { format: "json" },
    health: { listen: `127.0.0.1:${port}` },
    secrets: { license: { env: "TEST_LICENSE_KEY" } },
    programs: {
      licence: {
        command: [join(BIN, "licence"), "activate", log],
        oneshot: true,
        user: "nobody",
        cwd: dir,
        secrets: { LICENSE_KEY: "license" },
        stop: { grace: "60s" },
        down: { command: [join(BIN, "licence"), "deactivate", log, String(downFailures), String(downSeconds)] },
      },
      server: {
        command: [join(BIN, "serve"), "server", log, join(dir, "server.ready")],
        after: ["licence"],
        critical: true,
        restart: "never",
        ready: { file: join(dir, "server.ready"), interval: "20ms" },
      },
    },
  };
}

function start(dir: string, log: string, port: number, downFailures: number, downSeconds: number): Running {
  return startFoyer(licensedSpec(dir, log, port, downFailures, downSeconds), { env: { TEST_LICENSE_KEY: KEY } });
}

/** Host pids of foyer's children whose command line contains `needle`. */
function childPids(foyerPid: number, needle: string): number[] {
  const pids = readdirSync(`/proc/${foyerPid}/task`).flatMap((task) =>
    readFileSync(`/proc/${foyerPid}/task/${task}/children`, "utf8").trim().split(" ").filter(Boolean).map(Number),
  );
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(needle);
    } catch {
      return false;
    }
  });
}

const port = () => 43000 + Math.floor(Math.random() * 2000);

describe("a oneshot's down through foyer run --spec", () => {
  it("TERM: the server stops first, then the down runs as the oneshot (retried after a failure), shown in /status; exit 0", async () => {
    const dir = scratch();
    const log = join(dir, "events.log");
    const p = port();
    const foyer = start(dir, log, p, 1, 1.5);
    await until(() => /server is ready/.test(foyer.stderr()), 20_000, "server to be ready");
    expect(events(log).map((e) => `${e.name} ${e.what}`)).toEqual(["licence activate as nobody", "server start"]);
    expect((await status(p)).find((x) => x.name === "licence")!.down).toMatchObject({ state: "PENDING", attempts: 0 });

    foyer.signal("SIGTERM");
    // the second attempt takes 1.5 s: /status shows it running (the health server answers until the end)
    await until(() => /started licence:down \(attempt 2\/4/.test(foyer.stderr()), 20_000, "the second down attempt");
    expect((await status(p)).find((x) => x.name === "licence")!.down).toMatchObject({ state: "RUNNING", attempts: 2 });
    const { code } = await foyer.done;
    expect(code, foyer.stderr()).toBe(0);

    const ev = events(log);
    const at = (what: string) => ev.find((e) => `${e.name} ${e.what}` === what)?.t ?? NaN;
    expect(ev.map((e) => `${e.name} ${e.what}`)).toEqual(["licence activate as nobody", "server start", "server got TERM", "licence deactivate as nobody"]);
    // first attempt failed at once, 1 s backoff, then 1.5 s of work
    expect(at("licence deactivate as nobody") - at("server got TERM")).toBeGreaterThanOrEqual(2400);
    // (program stderr lines are JSON records on foyer's stderr too: keep foyer's own)
    const msgs = records(foyer.stderr()).flatMap((r) => (typeof r.msg === "string" ? [r.msg] : []));
    expect(msgs).toContain("licence:down exited with code 3; retry 1/3 in 1s");
    expect(msgs).toContain("licence:down succeeded (attempt 2)");
    expect(msgs.indexOf("server stopped (exited with code 0)")).toBeLessThan(msgs.findIndex((m) => m.startsWith("started licence:down")));
    // its output is prefixed NAME:down; it got the oneshot's secret and cwd, and the secret is masked
    const out = foyer.stdout().trim().split("\n").map((l) => JSON.parse(l) as { program: string; stream: string; line: string });
    const err = records(foyer.stderr()).filter((r) => r.msg === undefined) as unknown as typeof out;
    const downLines = [...out, ...err].filter((l) => l.program === "licence:down").map((l) => `${l.stream} ${l.line}`);
    expect(downLines).toEqual([
      `stdout licence: deactivate attempt 1 with key <secret:license> in ${dir}`,
      `stdout licence: deactivate attempt 2 with key <secret:license> in ${dir}`,
      "stderr licence: server unreachable",
    ]);
    expect(foyer.stdout() + foyer.stderr()).not.toContain(KEY);
  });

  it("the server KILLed by signal 9 from outside: the down still runs after it; foyer exits 137", async () => {
    const dir = scratch();
    const log = join(dir, "events.log");
    const foyer = start(dir, log, port(), 0, 0);
    await until(() => /server is ready/.test(foyer.stderr()), 20_000, "server to be ready");
    const [server] = childPids(foyer.foyerPid(), "serve");
    expect(server).toBeGreaterThan(0);
    process.kill(server!, "SIGKILL");
    const { code } = await foyer.done;
    expect(code, foyer.stderr()).toBe(137);
    expect(events(log).map((e) => `${e.name} ${e.what}`)).toEqual(["licence activate as nobody", "server start", "licence deactivate as nobody"]);
    const msgs = records(foyer.stderr()).map((r) => r.msg);
    const crash = msgs.findIndex((m) => m.startsWith("shutting down: critical program server was killed by SIGKILL (exit 137)"));
    expect(crash).toBeGreaterThanOrEqual(0);
    expect(msgs.findIndex((m) => m === "licence:down succeeded")).toBeGreaterThan(crash);
  });

  it("a failing down is logged with its exit code and does not change foyer's exit code", async () => {
    const dir = scratch();
    const log = join(dir, "events.log");
    const spec = licensedSpec(dir, log, port(), 99, 0);
    spec.programs.licence.down.command = [join(BIN, "licence"), "deactivate", log, "99"];
    (spec.programs.licence as Record<string, unknown>).stop = { grace: "2500ms" };
    const foyer = startFoyer(spec, { env: { TEST_LICENSE_KEY: KEY } });
    await until(() => /server is ready/.test(foyer.stderr()), 20_000, "server to be ready");
    foyer.signal("SIGTERM");
    const { code } = await foyer.done;
    expect(code).toBe(0);
    expect(foyer.stderr()).toContain("licence:down exited with code 3; giving up (its stop.grace (2.5s) leaves no time for another attempt); foyer's exit code is unchanged");
  });

  it("no down when the oneshot failed: nothing to undo", async () => {
    const dir = scratch();
    const log = join(dir, "events.log");
    const spec = licensedSpec(dir, log, port(), 0, 0);
    spec.programs.licence.command = [join(BIN, "crash"), "3"];
    (spec.programs.licence as Record<string, unknown>).restart = "never";
    const foyer = startFoyer(spec, { env: { TEST_LICENSE_KEY: KEY } });
    const { code } = await foyer.done;
    expect(code).toBe(3);
    expect(events(log)).toEqual([]);
    expect(foyer.stderr()).toContain("licence:down not run: oneshot licence did not succeed (exited with code 3)");
    expect(foyer.stderr()).not.toContain("started licence:down");
  });
});
