// Regressions of issue 8 that a user meets through `foyer run --spec`: long durations, readiness
// timeouts, bash hooks, and foyer's own stdout going away.
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { events, FOYER, scratch, startFoyer, until } from "./harness.js";

/** A program that logs "NAME got TERM" to LOG, then takes `stopSeconds` to exit 0. */
const trapper = (name: string, log: string, ready: string, stopSeconds = 0) => [
  "sh",
  "-c",
  `trap 'echo "${name} got TERM $(date +%s%N)" >> ${log}; sleep ${stopSeconds}; echo "${name} exits $(date +%s%N)" >> ${log}; exit 0' TERM
   touch ${ready}; echo "${name} up"; while :; do sleep 0.05; done`,
];

describe("long durations (≥ 2^31 ms) are waited in full", () => {
  it("stop.grace: 3000000 (seconds) and a 30-day shutdown deadline: a program that needs 1 s to stop is not KILLed", async () => {
    const dir = scratch();
    const log = join(dir, "events.log");
    const foyer = await startFoyer({
      shutdown: { deadline: "720h" },
      programs: { patient: { command: trapper("patient", log, join(dir, "up"), 1), stop: { grace: 3_000_000 }, ready: { file: join(dir, "up"), interval: "20ms" } } },
    });
    await until(() => /patient is ready/.test(foyer.stderr()), 20_000, "patient to be ready");
    foyer.signal("SIGTERM");
    const { code } = await foyer.done;
    expect(code, foyer.stderr()).toBe(0);
    const ev = events(log);
    const at = (what: string) => ev.find((e) => e.what === what)?.t ?? NaN;
    expect(at("exits") - at("got TERM")).toBeGreaterThanOrEqual(950);
    expect(foyer.stderr()).not.toContain("SIGKILL");
    expect(foyer.stderr()).not.toContain("deadline");
    expect(foyer.stderr()).toContain("patient stopped (exited with code 0)");
  });
});

describe("readiness timeout", () => {
  it("stops the program with its stop signal, not an immediate KILL, and says 'not ready after' in the log and /status", async () => {
    const dir = scratch();
    const log = join(dir, "events.log");
    const port = 42000 + Math.floor(Math.random() * 90);
    const foyer = await startFoyer({
      health: { listen: `127.0.0.1:${port}` },
      programs: {
        // never creates the file its probe waits for
        slow: { command: trapper("slow", log, join(dir, "elsewhere")), restart: "never", ready: { file: join(dir, "never"), timeout: "1s", interval: "50ms" } },
        web: { command: ["sleep", "60"] },
      },
    });
    await until(() => /slow .*giving up \(FATAL\)/.test(foyer.stderr()), 20_000, "slow to be given up");
    const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as { programs: Array<{ name: string; state: string; lastExit: { exitCode: number; reason?: string } }> };
    const slow = status.programs.find((p) => p.name === "slow")!;
    expect(slow.state).toBe("FATAL");
    expect(slow.lastExit).toMatchObject({ exitCode: 0, reason: "not ready after 1s" });
    foyer.signal("SIGTERM");
    expect((await foyer.done).code).toBe(0);
    expect(events(log).map((e) => e.what)).toEqual(["got TERM", "exits"]);
    const err = foyer.stderr();
    expect(err).toMatch(/slow \(pid \d+\) not ready after 1s; stopping it \(SIGTERM, SIGKILL after 10s\)/);
    expect(err).toContain("slow was not ready after 1s; when stopped it exited with code 0; giving up (FATAL) after 1 failed start(s)");
    expect(err).not.toContain("SIGKILL to its process group");
  });

  it("a critical program not ready in time ends the container with its own exit code, not 137", async () => {
    const dir = scratch();
    const foyer = await startFoyer({
      programs: { app: { command: ["sh", "-c", "exec sleep 60"], critical: true, restart: "never", ready: { file: join(dir, "never"), timeout: "500ms", interval: "50ms" } } },
    });
    const { code } = await foyer.done;
    expect(code).toBe(143);
    expect(foyer.stderr()).toContain("shutting down: critical program app was not ready after 0.5s; when stopped it was killed by SIGTERM (exit 143) (FATAL)");
  });
});

describe("bash hooks", () => {
  it("a *.sh hook using [[ ]] and an array is sourced by bash; its export reaches the program", async () => {
    const dir = scratch();
    const init = join(dir, "init.d");
    mkdirSync(init);
    writeFileSync(
      join(init, "10-bash.sh"),
      `# a docker-stacks style hook: bash, not POSIX sh
flags=(--notebook-dir "/home/jovyan/work dir")
if [[ "\${#flags[@]}" -eq 2 && "\${flags[1]}" == */work* ]]; then
  export NOTEBOOK_ARGS="\${flags[*]}"
fi
`,
    );
    chmodSync(join(init, "10-bash.sh"), 0o644);
    const out = join(dir, "args");
    const foyer = await startFoyer({ hooks: { init }, programs: { show: { command: ["sh", "-c", `printf '%s' "$NOTEBOOK_ARGS" > ${out}`], oneshot: true } } }, { main: ["true"] });
    expect((await foyer.done).code, foyer.stderr()).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("--notebook-dir /home/jovyan/work dir");
  });
});

describe("a program run as another user that cannot be executed", () => {
  it.each([
    ["without user:", {}],
    ["with user: nobody (the trampoline)", { user: "nobody" }],
  ])("%s: never 'started' nor 'ready', its dependents do not start, foyer exits 127", async (_what, as) => {
    const dir = scratch();
    const marker = join(dir, "dependent-ran");
    const foyer = await startFoyer({
      programs: {
        a: { command: ["/nonexistent-foyer-test/missing-binary"], restart: "never", ...as },
        b: { command: ["sh", "-c", `touch ${marker}`], after: ["a"], oneshot: true },
      },
    });
    const { code } = await Promise.race([foyer.done, new Promise<{ code: number }>((r) => setTimeout(() => r({ code: -1 }), 15_000))]);
    if (code === -1) foyer.signal("SIGKILL");
    expect(code, foyer.stderr()).toBe(127);
    expect(foyer.stderr()).not.toMatch(/started a|a is ready/);
    expect(foyer.stderr()).toMatch(/a could not start: cannot execute '.*missing-binary': no such file or directory \(exit 127\)/i);
    expect(existsSync(marker), "b started after a failed start").toBe(false);
  }, 30_000);
});

describe("a log collector that stops reading foyer's stderr", () => {
  it("a program crash-looping meanwhile does not grow foyer by megabytes a second (its pipes and lines are not held for ever)", async () => {
    const dir = scratch();
    const fifo = join(dir, "stderr.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // the "collector": opens the FIFO and never reads it
    const holder = spawn("sh", ["-c", `exec 3<${fifo}; sleep 60`], { stdio: "ignore" });
    const spec = join(dir, "spec.json");
    writeFileSync(spec, JSON.stringify({ control: { enabled: false }, programs: { crash: { command: ["sh", "-c", "echo boom >&2; exit 1"], backoff: { initial: 0, max: 0, retries: 1_000_000 } }, keep: { command: ["sleep", "60"] } } }));
    const err = openSync(fifo, "w");
    const foyer = spawn("unshare", ["--pid", "--fork", "--mount-proc", FOYER, "run", "--spec", spec], { stdio: ["ignore", "ignore", err] });
    closeSync(err);
    const foyerPid = () => Number(readFileSync(`/proc/${foyer.pid}/task/${foyer.pid}/children`, "utf8").trim().split(" ")[0]);
    const anonKb = () => Number(/RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${foyerPid()}/status`, "utf8"))![1]);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await sleep(6_000); // stderr's pipe is full by now; GC has settled
    const before = anonKb();
    await sleep(15_000);
    const grown = (anonKb() - before) / 1024;
    process.kill(foyerPid(), "SIGTERM");
    holder.kill("SIGKILL");
    await new Promise((r) => foyer.once("close", r));
    // it grew ~75 MB in these 15 s before (every paused pipe, its child and a 64 KiB slab per line held)
    expect(grown).toBeLessThan(25);
  }, 60_000);
});

describe("a hook that prints a lot", () => {
  it("300 MB on stdout from a sourced hook: foyer keeps only what it needs (its memory stays bounded), the export still arrives", async () => {
    const dir = scratch();
    const init = join(dir, "init.d");
    mkdirSync(init);
    writeFileSync(join(init, "10-chatty.sh"), "head -c 300000000 /dev/zero | tr '\\0' a | fold -w 100\nexport AFTER_CHATTY=yes\n");
    const out = join(dir, "after");
    const foyer = await startFoyer({ hooks: { init }, programs: { show: { command: ["sh", "-c", `printf '%s' "$AFTER_CHATTY" > ${out}; exec sleep 60`] } } });
    await until(() => /show is ready/.test(foyer.stderr()), 60_000, "show to start");
    const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${foyer.foyerPid()}/status`, "utf8"))![1]);
    foyer.signal("SIGTERM");
    expect((await foyer.done).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("yes");
    // the binary alone peaks at ~80 MB; keeping the hook's output would add 300 MB or more
    expect(peakKb / 1024).toBeLessThan(200);
  }, 90_000);
});

describe("foyer's own stdout breaks (EPIPE)", () => {
  it("`foyer run --spec … | head -1`: foyer keeps supervising, then stops its programs in order on TERM, no stack trace", async () => {
    const dir = scratch();
    const log = join(dir, "events.log");
    const foyer = await startFoyer({
      programs: {
        first: { command: trapper("first", log, join(dir, "first")), ready: { file: join(dir, "first"), interval: "20ms" } },
        chatty: {
          after: ["first"],
          command: ["sh", "-c", `trap 'echo "chatty got TERM $(date +%s%N)" >> ${log}; exit 0' TERM; i=0; while :; do i=$((i+1)); echo "line $i"; sleep 0.01; done`],
        },
      },
    });
    // read one line, then close the pipe like `head -1` does
    await until(() => foyer.stdout().includes("\n"), 20_000, "a first line");
    foyer.proc.stdout!.destroy();
    await until(() => /stdout is closed/.test(foyer.stderr()), 20_000, "foyer to notice its stdout is gone");
    // still supervising: the programs run on; a TERM stops them in reverse order
    foyer.signal("SIGTERM");
    const { code } = await foyer.done;
    expect(code, foyer.stderr()).toBe(0);
    expect(events(log).map((e) => `${e.name} ${e.what}`)).toEqual(["chatty got TERM", "first got TERM", "first exits"]);
    const err = foyer.stderr();
    expect(err.match(/stdout is closed/g)).toHaveLength(1);
    expect(err).toContain("foyer's stdout is closed (EPIPE); program output to it is dropped from now on");
    expect(err).not.toMatch(/^\s+at |Error:|SIGKILL/m);
    expect(err).toContain("chatty stopped");
  });
});
