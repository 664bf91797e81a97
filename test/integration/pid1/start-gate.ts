// Holds a real dist/foyer at one instant of its start-up (see gate-dlopen.c) so a test can send a
// signal exactly then: while foyer loads its native addon, after main.ts ran and before any program
// starts (for `run --spec`: while it validates).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { constants } from "node:os";
import { sleep, startFoyer, type Running } from "./harness.js";

const SOURCE = fileURLToPath(new URL("./gate-dlopen.c", import.meta.url));

/** Compile the shim into `dir` (gcc, like `make native`); returns the .so path. */
export function buildGate(dir: string): string {
  const so = path.join(dir, "gate-dlopen.so");
  execFileSync("gcc", ["-shared", "-fPIC", "-O2", "-o", so, SOURCE, "-ldl"]);
  return so;
}

/** A foyer started with the gate closed; `signalAtGate` sends a signal there, then lets it go on. */
export interface Gated {
  foyer: Running;
  signalAtGate(signal: NodeJS.Signals): Promise<void>;
}

export function startGated(so: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Gated {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "foyer-gate-"));
  const fifo = path.join(dir, "gate");
  execFileSync("mkfifo", [fifo]);
  const foyer = startFoyer(args, { env: { ...(opts.env ?? process.env), LD_PRELOAD: so, GATE_FIFO: fifo }, ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  return {
    foyer,
    async signalAtGate(signal) {
      // Opening the write end without blocking succeeds only once foyer holds the read end open.
      const fd = await openWhenFoyerWaits(fifo);
      const pid = await foyer.foyerPid();
      process.kill(pid, signal);
      await untilDelivered(pid, signal); // handled by now, not merely sent
      fs.closeSync(fd); // foyer reads EOF and goes on
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openWhenFoyerWaits(fifo: string): Promise<number> {
  for (let i = 0; i < 2000; i++) {
    try {
      return fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENXIO") throw err;
    }
    await sleep(5); // polling for an observable state, not a guess at timing
  }
  throw new Error("foyer never reached the gate (is the native addon loaded through dlopen?)");
}

// The kernel clears the process-wide pending bit when a thread takes the signal to run its handler
// (or drops it, for PID 1 without one).
async function untilDelivered(pid: number, signal: NodeJS.Signals): Promise<void> {
  const bit = 1n << BigInt(constants.signals[signal] - 1);
  for (let i = 0; i < 2000; i++) {
    const m = /^ShdPnd:\s*([0-9a-f]+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "latin1"));
    if (!m || (BigInt(`0x${m[1]}`) & bit) === 0n) return;
    await sleep(1);
  }
  throw new Error(`${signal} still pending for foyer`);
}
