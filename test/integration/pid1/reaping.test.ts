// Orphan reaping under load, as PID 1 and as a child subreaper, without stealing the exit status
// of any child foyer spawned itself (the burst runs inside the binary: `run __selftest-burst`).
import { beforeAll, describe, expect, it } from "vitest";
import { requireBinary, runFoyer } from "./harness.js";
import type { BurstReport } from "../../../src/pid1/index.js";

beforeAll(requireBinary);

async function burst(pidns: boolean): Promise<{ report: BurstReport; code: number | null }> {
  const r = await runFoyer(["run", "__selftest-burst", "1000", "200"], { pidns });
  expect(r.stderr).toBe("");
  return { report: JSON.parse(r.stdout) as BurstReport, code: r.code };
}

describe("reaping burst: 1,000 orphans released with 200 managed children exiting", () => {
  it.each([
    ["as PID 1", true],
    ["as a subreaper (not PID 1)", false],
  ])("%s: 0 zombies, 200/200 exit events with the right codes, foyer exits with the main code", async (_label, pidns) => {
    const { report, code } = await burst(pidns);
    expect(report.orphansReaped).toBe(1000);
    expect(report.exitEvents).toBe(200);
    expect(report.wrongExitCodes).toBe(0);
    expect(report.zombiesLeft).toBe(0);
    expect(report.mainExitCode).toBe(3);
    expect(code).toBe(3);
  });
});

describe("foyer run -- CMD reaps what CMD orphans", () => {
  it("as PID 1: no zombie is left while the program still runs", async () => {
    // The program orphans 50 short-lived processes, waits, then counts zombies in the namespace.
    const script = [
      "i=0; while [ $i -lt 50 ]; do (sleep 0.1 &); i=$((i+1)); done",
      "sleep 1.5",
      "echo zombies=$(cat /proc/[0-9]*/stat 2>/dev/null | grep -c ') Z ')",
      "exit 5",
    ].join("; ");
    const r = await runFoyer(["run", "--", "sh", "-c", script]);
    expect(r.stdout.trim()).toBe("zombies=0");
    expect(r.code).toBe(5);
  });
});
