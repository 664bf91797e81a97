import { describe, expect, it } from "vitest";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHookDir, HookError } from "../../../src/supervise/hooks.js";
import { OutputMux } from "../../../src/supervise/output.js";
import { HookSchema } from "../../../src/spec/schema.js";
import { memoryLogger } from "../../../src/log/index.js";
import { testSpawner } from "../../fixtures/supervise/test-spawner.js";
import { realClock, type Clock } from "../../../src/time/clock.js";
import { ManualClock } from "../../../src/time/manual-clock.js";
import { hookShell } from "../../../src/supervise/hooks.js";

function hookDir(files: Record<string, string | [string, number]>): string {
  const dir = join(mkdtempSync(join(tmpdir(), "foyer-hooks-")), "init.d");
  mkdirSync(dir);
  for (const [name, body] of Object.entries(files)) {
    const [text, mode] = Array.isArray(body) ? body : [body, 0o644];
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), mode);
  }
  return dir;
}

// real hooks run as real processes and finish on their own: the real clock; timeouts: a manual one
function run(dir: string, extra: Record<string, unknown> = {}, clock: Clock = realClock()) {
  const logger = memoryLogger("debug");
  const out: string[] = [];
  const output = new OutputMux({ format: "text", now: Date.now, sinks: { stdout: { write: (d) => out.push(d.toString()) }, stderr: { write: (d) => out.push(d.toString()) } } });
  const hook = HookSchema.parse({ dir, ...extra });
  const result = runHookDir({ phase: "init", hook, env: { PATH: "/usr/bin:/bin", KEEP: "1" }, spawner: testSpawner(), logger, output, clock });
  return { result, logger, out };
}

describe("hook directories", () => {
  it("run in name order; *.sh sourced (exports and unsets carry on), executables run, others skipped", async () => {
    const dir = hookDir({
      "20-second.sh": 'export ORDER="$ORDER,20"\nunset KEEP\n',
      "10-first.sh": 'export ORDER=10\necho "sourced first"\n',
      "30-exec": ['#!/bin/sh\necho "exec sees ORDER=$ORDER KEEP=${KEEP:-unset}"\n', 0o755],
      "40-readme": "plain file\n",
    });
    const { result, logger, out } = run(dir);
    const env = await result;
    expect(env.ORDER).toBe("10,20");
    expect(env).not.toHaveProperty("KEEP");
    expect(env).not.toHaveProperty("SHLVL");
    expect(out.join("")).toContain("init:30-exec | exec sees ORDER=10,20 KEEP=unset");
    expect(out.join("")).toContain("init:10-first.sh | sourced first");
    expect(logger.lines.join("")).toContain("init hook 40-readme: not executable and not *.sh; skipped");
  });

  it("aborts on failure with the hook's output in the error and its exit code", async () => {
    const dir = hookDir({ "10-bad.sh": 'echo "step one"\necho "it broke" >&2\nexit 9\n', "20-never.sh": "export NEVER=1\n" });
    const err = await run(dir).result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HookError);
    expect((err as HookError).exitCode).toBe(9);
    expect((err as HookError).message).toMatch(/10-bad\.sh failed \(exit 9\); its output:\n {4}step one\n {4}it broke$/);
  });

  it("continues past a failure with onFailure: continue", async () => {
    const dir = hookDir({ "10-bad": ["#!/bin/sh\nexit 3\n", 0o755], "20-ok.sh": "export LATER=yes\n" });
    const { result, logger } = run(dir, { onFailure: "continue" });
    expect((await result).LATER).toBe("yes");
    expect(logger.lines.join("")).toContain("failed (exit 3) (no output)\ncontinuing (onFailure: continue)");
  });

  it("kills a hook that outlives its timeout (exit 124), when the timeout is up and not before", async () => {
    const dir = hookDir({ "10-slow.sh": "echo started; sleep 30\n" });
    const clock = new ManualClock();
    const { result, out } = run(dir, { timeout: "300ms" }, clock);
    let err: unknown;
    const settled = result.catch((e: unknown) => (err = e));
    await clock.waitFor(() => out.join("").includes("started"));
    expect(clock.pending()).toEqual([300]);
    await clock.advance(299);
    expect(err).toBeUndefined();
    await clock.advance(1);
    await settled;
    expect((err as HookError).exitCode).toBe(124);
    expect((err as HookError).message).toContain("timed out after 0.3s");
  });

  it("sources *.sh with bash when there is one ([[ ]], arrays), else with /bin/sh", async () => {
    const dir = hookDir({ "10-bash.sh": 'opts=(--one "--two words")\nif [[ "${#opts[@]}" == 2 && "${opts[1]}" == *words ]]; then export BASHY="${opts[1]}"; fi\n' });
    expect((await run(dir).result).BASHY).toBe("--two words");
    expect(hookShell((p) => p === "/usr/bin/bash")).toBe("/usr/bin/bash");
    expect(hookShell(() => false)).toBe("/bin/sh");
  });

  it("a missing directory is nothing to run", async () => {
    expect(await run("/nonexistent/init.d").result).toEqual({ PATH: "/usr/bin:/bin", KEEP: "1" });
  });
});
