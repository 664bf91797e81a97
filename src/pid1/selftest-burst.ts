// Test support only (`foyer run __selftest-burst`): the reaping burst the integration tests need,
// run inside the real binary. N orphans and M children foyer spawned itself are released at the
// same moment; it prints one JSON report and returns the main program's exit code.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Logger } from "../log/index.js";
import { procState } from "./sys.js";
import { startPid1 } from "./runtime.js";
import type { ExitStatus } from "./types.js";

/** The burst's numbers, as printed. */
export interface BurstReport {
  orphans: number;
  orphansReaped: number;
  children: number;
  exitEvents: number;
  wrongExitCodes: number;
  zombiesLeft: number;
  msReleaseToAllReaped: number | null;
  mainExitCode: number;
}

const MAIN_CODE = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Run the burst with `orphans` orphans and `children` managed children; print the report. */
export async function runBurstSelfTest(orphans: number, children: number, logger: Logger): Promise<number> {
  const rt = startPid1(logger);
  if (!rt.reaper) throw new Error("selftest-burst: no reaper (native addon missing or not PID 1/subreaper)");
  const fifo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "foyer-burst-")), "fifo");
  const mk = rt.spawner.spawn({ argv: ["mkfifo", fifo], env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, stdio: "inherit", group: "session" });
  await mk.exited;
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  const script = `i=0; while [ $i -lt ${orphans} ]; do cat ${fifo} >/dev/null & i=$((i+1)); done; exit ${MAIN_CODE}`;
  const main = rt.spawner.spawn({ argv: ["sh", "-c", script], env, stdio: "inherit", group: "session" });
  let exitEvents = 0;
  let wrong = 0;
  for (let i = 0; i < children; i++) {
    const want = (i * 7) % 256;
    const child = rt.spawner.spawn({ argv: ["sh", "-c", `read x < ${fifo}; exit ${want}`], env, stdio: "inherit", group: "session" });
    void child.exited.then((s: ExitStatus) => {
      exitEvents++;
      if (s.exitCode !== want) wrong++;
    });
  }
  const mainStatus = await main.exited;
  while (liveOrphans(rt.sys.self, rt.managed) < orphans) await sleep(20);
  await sleep(300); // let every managed child block in open(fifo)
  const before = rt.reaper.stats.reaped;
  const released = process.hrtime.bigint();
  const poke = setInterval(() => release(fifo), 20);
  release(fifo);
  // A stolen status would show as a missing exit event: wait with a deadline, never forever.
  const deadline = Date.now() + 20_000;
  const done = () => exitEvents === children && rt.reaper!.stats.reaped - before >= orphans;
  while (!done() && Date.now() < deadline) await sleep(5);
  clearInterval(poke);
  const reapedAt = rt.reaper.stats.lastReapAt;
  await sleep(200);
  const report: BurstReport = {
    orphans,
    orphansReaped: rt.reaper.stats.reaped - before,
    children,
    exitEvents,
    wrongExitCodes: wrong,
    zombiesLeft: countZombies(rt.sys.self),
    msReleaseToAllReaped: reapedAt > released ? Number(reapedAt - released) / 1e6 : null,
    mainExitCode: mainStatus.exitCode,
  };
  process.stdout.write(JSON.stringify(report) + "\n");
  fs.rmSync(path.dirname(fifo), { recursive: true, force: true });
  return mainStatus.exitCode;
}

// Opening the write end and closing it gives every reader blocked on the fifo EOF.
function release(fifo: string): void {
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // ENXIO: no reader has the fifo open right now
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "latin1").split(" ").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function liveOrphans(self: number, managed: ReadonlySet<number>): number {
  return childrenOf(self).filter((pid) => !managed.has(pid) && procState(pid) !== "Z").length;
}

// Zombies foyer is responsible for: its own children, or (as PID 1) any in the namespace.
function countZombies(self: number): number {
  const pids = self === 1 ? fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number) : childrenOf(self);
  return pids.filter((pid) => procState(pid) === "Z").length;
}
