// The supervisor end to end, as PID 1 of a PID namespace, with stand-in programs.
import { describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync, readFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { BIN, events, records, scratch, startFoyer, until } from "./harness.js";

const serve = (name: string, log: string, dir: string, delay = 0, extra: string[] = []) => [join(BIN, "serve"), name, log, join(dir, `${name}.ready`), String(delay), ...extra];
const readyFile = (dir: string, name: string) => ({ file: join(dir, `${name}.ready`), interval: "20ms", timeout: "10s" });

describe("start and stop order", () => {
  it("starts after readiness, stops in reverse with each grace, KILLs a TERM-ignorer, runs finish hooks, exits 0", async () => {
    const dir = scratch();
    const log = join(dir, "events.log");
    const finish = join(dir, "finish.d");
    mkdirSync(finish);
    writeFileSync(join(finish, "10-note.sh"), `echo "finish ran $(date +%s%N)" >> ${log}\n`);
    const foyer = await startFoyer({
      log: { format: "json" },
      programs: {
        db: { command: serve("db", log, dir, 0.4), ready: readyFile(dir, "db"), stop: { grace: "5s" } },
        app: { command: serve("app", log, dir, 0, ["ignore-term"]), after: ["db"], ready: readyFile(dir, "app"), stop: { grace: "400ms" } },
        web: { command: serve("web", log, dir), after: ["app"], ready: readyFile(dir, "web") },
      },
      hooks: { finish },
    });
    await until(() => events(log).some((e) => e.name === "web" && e.what === "start"), 20_000, "web to start");
    const ev = events(log);
    const at = (name: string, what: string) => ev.find((e) => e.name === name && e.what === what)!.t;
    // db is ready 0.4 s after it starts; app must not start before that
    expect(at("app", "start") - at("db", "start")).toBeGreaterThanOrEqual(400);
    expect(at("web", "start")).toBeGreaterThanOrEqual(at("app", "start"));
    await new Promise((r) => setTimeout(r, 200));

    foyer.signal("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    foyer.signal("SIGTERM"); // must not cut app's grace short
    const { code } = await foyer.done;
    expect(code).toBe(0);
    const stop = events(log);
    const t = (name: string, what: string) => stop.find((e) => e.name === name && e.what === what)?.t ?? NaN;
    expect(t("web", "got TERM")).toBeLessThanOrEqual(t("app", "ignored TERM"));
    // db is only asked to stop after app's 400 ms grace ran out and it was KILLed
    expect(t("db", "got TERM") - t("app", "ignored TERM")).toBeGreaterThanOrEqual(380);
    expect(t("finish", "ran")).toBeGreaterThanOrEqual(t("db", "got TERM"));
    const msgs = records(foyer.stderr()).map((r) => r.msg);
    expect(msgs).toContain("app did not stop within 0.4s of SIGTERM; sending SIGKILL to its process group");
    expect(msgs).toContain("received SIGTERM again; still stopping, every program keeps its grace period");
  });

  it("a failing oneshot stops the start with a clear message and its exit code", async () => {
    const dir = scratch();
    const log = join(dir, "events.log");
    const foyer = await startFoyer({
      programs: {
        activate: { command: [join(BIN, "crash"), "3"], oneshot: true, restart: "never" },
        server: { command: serve("server", log, dir), after: ["activate"] },
      },
    });
    const { code } = await foyer.done;
    expect(code).toBe(3);
    expect(foyer.stderr()).toContain("shutting down: oneshot activate exited with code 3 (FAILED); cannot start server");
    expect(foyer.stdout()).toContain("activate | crash: pid");
    expect(events(log)).toEqual([]);
  });

  it("a bad `after` is a configuration error (78) before anything starts", async () => {
    const foyer = await startFoyer({ programs: { a: { command: ["true"], after: ["bee"] }, b: { command: ["true"] } } });
    const { code } = await foyer.done;
    expect(code).toBe(78);
    expect(foyer.stderr()).toContain("program 'a' starts after 'bee', which is not a program");
  });
});

describe("restarts and critical programs", () => {
  it("restarts with growing delays, goes FATAL at the limit without ending the container; a critical crash ends it with its code", async () => {
    const foyer = await startFoyer({
      log: { format: "json" },
      programs: {
        flaky: { command: [join(BIN, "crash"), "2"], backoff: { initial: "100ms", max: "5s", retries: 3 } },
        app: { command: [join(BIN, "crash"), "7", "2.5"], critical: true, restart: "never" },
      },
    });
    const { code } = await foyer.done;
    expect(code).toBe(7);
    const recs = records(foyer.stderr());
    const starts = recs.filter((r) => r.msg === "started flaky").map((r) => Date.parse(r.time));
    expect(starts).toHaveLength(4);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
    expect(gaps[2]).toBeGreaterThanOrEqual(400);
    expect(gaps[2]! > gaps[1]! && gaps[1]! > gaps[0]!).toBe(true);
    const msgs = recs.map((r) => r.msg);
    const fatal = msgs.indexOf("flaky exited with code 2; giving up (FATAL) after 4 failed start(s)");
    const end = msgs.indexOf("shutting down: critical program app exited with code 7");
    expect(fatal).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(fatal);
    // with log.format json, program output is one JSON object per line too
    const lines = foyer.stdout().trim().split("\n").map((l) => JSON.parse(l) as { program: string; stream: string; line: string; time: string });
    expect(lines.filter((l) => l.program === "flaky" && l.stream === "stdout" && /^crash: pid \d+ exiting 2$/.test(l.line))).toHaveLength(4);
    expect(lines.every((l) => !Number.isNaN(Date.parse(l.time)))).toBe(true);
  });

  it("a program that cannot be executed is a failed start with exit code 127, never 'ready'", async () => {
    const foyer = await startFoyer({ programs: { side: { command: ["sleep", "60"] } } }, { main: ["/nonexistent/cmd"] });
    const { code } = await foyer.done;
    expect(code).toBe(127);
    expect(foyer.stderr()).toMatch(/critical program main could not start: .*nonexistent.* \(exit 127\) \(FATAL\)/);
    expect(foyer.stderr()).not.toContain("main is ready");
    // never "started … pid=0": a spawn that failed is a failure, not a start
    expect(foyer.stderr()).not.toMatch(/started main/);
  });

  it("the main program from -- CMD is critical: foyer exits with its code; other signals are forwarded to it", async () => {
    const dir = scratch();
    const got = join(dir, "got");
    const foyer = await startFoyer(
      { programs: { side: { command: ["sleep", "60"] } } },
      { main: ["sh", "-c", `trap 'echo HUP > ${got}; exit 5' HUP; while :; do sleep 0.05; done`] },
    );
    await until(() => /started main/.test(foyer.stderr()), 20_000, "main to start");
    await new Promise((r) => setTimeout(r, 200));
    foyer.signal("SIGHUP");
    const { code } = await foyer.done;
    expect(code).toBe(5);
    expect(readFileSync(got, "utf8")).toBe("HUP\n");
  });
});

describe("hooks and environment", () => {
  it("exports of sourced init hooks reach the programs; secrets reach only the program that asks", async () => {
    const dir = scratch();
    const init = join(dir, "init.d");
    mkdirSync(init);
    writeFileSync(join(init, "10-export.sh"), 'export FROM_HOOK="hello from hook"\nexport CHAIN=1\n');
    writeFileSync(join(init, "20-chain.sh"), 'export CHAIN="$CHAIN+2"\n');
    writeFileSync(join(init, "30-run"), "#!/bin/sh\necho executable hook sees CHAIN=$CHAIN\n");
    chmodSync(join(init, "30-run"), 0o755);
    writeFileSync(join(init, "40-notes.txt"), "not executable\n");
    const out = join(dir, "env");
    const dump = (name: string) => ["sh", "-c", `env > ${out}.${name}`];
    // the secret comes the docker way: DB_PASSWORD_FILE names a file holding it
    const secretFile = join(dir, "db-password");
    writeFileSync(secretFile, "hunter2-staple");
    const foyer = await startFoyer(
      {
        secrets: { db: { env: "DB_PASSWORD" } },
        hooks: { init },
        env: { FROM_SPEC: "spec" },
        programs: {
          asks: { command: dump("asks"), oneshot: true, secrets: { PGPASSWORD: "db" } },
          plain: { command: dump("plain"), oneshot: true, unset: ["FROM_SPEC"] },
        },
      },
      { main: ["true"], env: { DB_PASSWORD_FILE: secretFile } },
    );
    expect((await foyer.done).code).toBe(0);
    const asks = readFileSync(`${out}.asks`, "utf8");
    const plain = readFileSync(`${out}.plain`, "utf8");
    expect(asks).toContain("FROM_HOOK=hello from hook\n");
    expect(asks).toContain("CHAIN=1+2\n");
    expect(asks).toContain("PGPASSWORD=hunter2-staple\n");
    expect(asks).toContain("FROM_SPEC=spec\n");
    expect(plain).toContain("FROM_HOOK=hello from hook\n");
    expect(plain).not.toContain("FROM_SPEC");
    for (const env of [asks, plain]) expect(env).not.toMatch(/^DB_PASSWORD(_FILE)?=/m);
    expect(plain).not.toContain("hunter2-staple");
    expect(foyer.stdout()).toContain("executable hook sees CHAIN=1+2");
    expect(foyer.stderr()).toContain("40-notes.txt: not executable and not *.sh; skipped");
  });

  it("a failing init hook aborts with its output (secrets masked) and starts nothing", async () => {
    const dir = scratch();
    const init = join(dir, "init.d");
    mkdirSync(init);
    const licence = join(dir, "licence");
    writeFileSync(licence, "LIC-SECRET-123");
    writeFileSync(join(init, "10-check.sh"), `echo "checking licence $(cat ${licence})"\necho "licence server unreachable" >&2\nreturn 4\n`);
    const marker = join(dir, "started");
    const foyer = await startFoyer({ secrets: { license: { file: licence } }, hooks: { init }, programs: { app: { command: ["touch", marker] } } });
    const { code } = await foyer.done;
    expect(code).toBe(4);
    const err = foyer.stderr();
    expect(err).toMatch(/init hook .*10-check\.sh failed \(exit 4\); its output:\n {4}checking licence <secret:license>\n {4}licence server unreachable/);
    expect(err + foyer.stdout()).not.toContain("LIC-SECRET-123");
    expect(() => readFileSync(marker)).toThrow();
  });

  it("a TERM during a slow init hook interrupts it; no program starts", async () => {
    const dir = scratch();
    const init = join(dir, "init.d");
    mkdirSync(init);
    writeFileSync(join(init, "10-slow.sh"), "echo waiting; sleep 30\n");
    const marker = join(dir, "started");
    const foyer = await startFoyer({ hooks: { init }, programs: { app: { command: ["touch", marker] } } });
    await until(() => foyer.stdout().includes("waiting"), 20_000, "hook to start");
    foyer.signal("SIGTERM");
    const { code, ms } = await foyer.done;
    expect(ms).toBeLessThan(10_000);
    expect(code).toBe(0); // a stop asked for by a signal, and no main program: 0 (as when programs run)
    expect(foyer.stderr()).toContain("init hook 10-slow.sh interrupted: foyer is stopping; later hooks and the programs do not run");
    expect(() => readFileSync(marker)).toThrow();
  });

  it("start hooks run before the spec's environment is read: their exports reach templates and programs, their unsets too; secret sources are kept from them", async () => {
    const dir = scratch();
    const start = join(dir, "start.d");
    mkdirSync(start);
    writeFileSync(join(start, "10-export.sh"), 'export GREETING="from start hook"\nunset DROP_ME\necho "start hook sees secret: ${DB_PASSWORD-unset}"\n');
    const out = join(dir, "out");
    const secretFile = join(dir, "db-password");
    writeFileSync(secretFile, "hunter2-staple");
    const foyer = await startFoyer(
      {
        secrets: { db: { env: "DB_PASSWORD" } },
        hooks: { start },
        files: [{ path: join(dir, "rendered"), template: "{{env 'GREETING'}}\n" }],
        programs: { dump: { command: ["sh", "-c", `echo "$GREETING/\${DROP_ME-unset}/$PGPASSWORD" > ${out}`], oneshot: true, secrets: { PGPASSWORD: "db" } } },
      },
      { main: ["true"], env: { DB_PASSWORD_FILE: secretFile, DROP_ME: "x" } },
    );
    expect((await foyer.done).code, foyer.stderr()).toBe(0);
    expect(readFileSync(join(dir, "rendered"), "utf8")).toBe("from start hook\n"); // read after the hook, by the planner
    expect(readFileSync(out, "utf8")).toBe("from start hook/unset/hunter2-staple\n");
    expect(foyer.stdout()).toContain("start hook sees secret: unset");
  });

  it("a TERM during a slow start hook stops foyer with 143 before anything is written or started", async () => {
    const dir = scratch();
    const start = join(dir, "start.d");
    mkdirSync(start);
    writeFileSync(join(start, "10-slow.sh"), "echo waiting; sleep 30\n");
    const marker = join(dir, "started");
    const written = join(dir, "written");
    const foyer = await startFoyer({ hooks: { start }, files: [{ path: written, content: "x" }], programs: { app: { command: ["touch", marker] } } });
    await until(() => foyer.stdout().includes("waiting"), 20_000, "hook to start");
    foyer.signal("SIGTERM");
    const { code, ms } = await foyer.done;
    expect(ms).toBeLessThan(10_000);
    expect(code).toBe(143);
    expect(foyer.stderr()).toContain("start hook 10-slow.sh interrupted");
    expect(() => readFileSync(marker)).toThrow();
    expect(() => readFileSync(written)).toThrow();
  });

  it("runs a program as another user with that user's HOME and groups, and its umask", async () => {
    const dir = scratch();
    chmodSync(dir, 0o777);
    const out = join(dir, "who");
    const foyer = await startFoyer(
      { programs: { as_nobody: { command: ["sh", "-c", `echo "$(id -un) $HOME $(umask)" > ${out}; touch ${out}.file`], oneshot: true, user: "nobody", umask: "027" } } },
      { main: ["true"] },
    );
    expect((await foyer.done).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("nobody /nonexistent 0027\n");
  });

  it("init hooks can run as another user; their exports still reach the programs, the user switch's HOME does not", async () => {
    const dir = scratch();
    chmodSync(dir, 0o755);
    const init = join(dir, "init.d");
    mkdirSync(init);
    writeFileSync(join(init, "10-who.sh"), 'export HOOK_USER="$(id -un)"\n');
    chmodSync(init, 0o755);
    chmodSync(join(init, "10-who.sh"), 0o644);
    const out = join(dir, "env");
    const foyer = await startFoyer(
      { hooks: { init: { dir: init, user: "nobody" } }, programs: { dump: { command: ["sh", "-c", `env > ${out}`], oneshot: true } } },
      { main: ["true"] },
    );
    expect((await foyer.done).code).toBe(0);
    const env = readFileSync(out, "utf8");
    expect(env).toContain("HOOK_USER=nobody\n");
    expect(env).not.toContain("HOME=/nonexistent");
  });
});
