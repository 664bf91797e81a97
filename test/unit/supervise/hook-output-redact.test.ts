// A failing hook's output is quoted in the error from its last lines: the cut must not fall inside a
// secret, or the part after the cut would no longer be recognised and masked.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memoryLogger, Redactor } from "../../../src/log/index.js";
import { HookSchema } from "../../../src/spec/schema.js";
import { HookError, runHookDir } from "../../../src/supervise/hooks.js";
import { realClock } from "../../../src/time/clock.js";
import { OutputMux } from "../../../src/supervise/output.js";
import { testSpawner } from "../../fixtures/supervise/test-spawner.js";

describe("a failing hook's output in the error", () => {
  it("starts at a line, so a secret cut by the tail leaves no part of itself", async () => {
    const secret = "licence-key-0123456789-Zq7";
    const redactor = new Redactor();
    redactor.add("licence", secret);
    const dir = join(mkdtempSync(join(tmpdir(), "foyer-hook-tail-")), "init.d");
    mkdirSync(dir);
    // the secret, then exactly enough filler that the last 4000 characters begin inside the secret
    writeFileSync(join(dir, "10-check"), `#!/bin/sh\necho "${secret}"\nprintf 'y%.0s' $(seq 1 3965); echo\necho "licence server unreachable"\nexit 4\n`);
    chmodSync(join(dir, "10-check"), 0o755);
    const sink = { write: () => true };
    const output = new OutputMux({ format: "text", now: Date.now, redactor, sinks: { stdout: sink, stderr: sink } });
    const logger = memoryLogger("debug", redactor);
    const err = await runHookDir({ phase: "init", hook: HookSchema.parse({ dir }), env: { PATH: "/usr/bin:/bin" }, spawner: testSpawner(), logger, output, clock: realClock() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HookError);
    const message = (err as HookError).message;
    expect(message).toContain("licence server unreachable");
    expect(message).not.toContain("Zq7");
    expect(message).not.toMatch(/0123456789/);
  });
});
