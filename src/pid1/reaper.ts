// Orphan reaping that never steals a status from libuv. libuv waits only for the pids it spawned
// (waitpid(pid) per child on SIGCHLD); a waitpid(-1) would take their statuses and Node would never
// emit 'exit'. So: list our children from /proc and waitpid(pid, WNOHANG) only those foyer did not
// spawn itself (the Spawner records them in `managed` when it spawns them).
import type { Pid1Sys } from "./sys.js";

/** Counters for logs, /status and the benchmark. */
export interface ReaperStats {
  reaped: number;
  sweeps: number;
  /** process.hrtime.bigint() of the last reap, 0n before the first */
  lastReapAt: bigint;
}

/** Called for each orphan reaped (pid, raw wait status). */
export type OnReap = (pid: number, rawStatus: number) => void;

/** Reaps foreign children of this process on demand; holds no timers itself. */
export class Reaper {
  readonly stats: ReaperStats = { reaped: 0, sweeps: 0, lastReapAt: 0n };

  constructor(
    private readonly sys: Pid1Sys,
    private readonly managed: ReadonlySet<number>,
    private readonly onReap: OnReap = () => {},
  ) {}

  /** One pass: reap every exited child that foyer did not spawn. Returns how many were reaped. */
  sweep(): number {
    this.stats.sweeps++;
    let n = 0;
    for (const pid of this.sys.children(this.sys.self)) {
      // A managed pid is libuv's to wait for, even when it is a zombie right now.
      if (this.managed.has(pid)) continue;
      const status = this.sys.reap(pid); // WNOHANG: a live orphan just answers "not yet"
      if (status === null) continue;
      n++;
      this.onReap(pid, status);
    }
    if (n > 0) {
      this.stats.reaped += n;
      this.stats.lastReapAt = process.hrtime.bigint();
    }
    return n;
  }
}

/** Timer and signal hooks the reaper loop needs (injected so tests can drive them). */
export interface ReaperLoopHooks {
  onSigchld(listener: () => void): () => void;
  defer(fn: () => void): void;
  every(ms: number, fn: () => void): () => void;
}

/** Node's own hooks: SIGCHLD, setImmediate, an unref'd interval. */
export const nodeLoopHooks: ReaperLoopHooks = {
  onSigchld(listener) {
    process.on("SIGCHLD", listener);
    return () => process.off("SIGCHLD", listener);
  },
  defer: (fn) => void setImmediate(fn),
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};

/**
 * Run the reaper: on SIGCHLD, sweep in the check phase (after libuv reaped its own children in the
 * same poll batch), coalescing bursts into one sweep; plus a sweep every `sweepMs` as a safety net
 * for lost wake-ups. Returns a stop function.
 */
export function startReaperLoop(reaper: Reaper, hooks: ReaperLoopHooks = nodeLoopHooks, sweepMs = 1000): () => void {
  let pending = false;
  const offSignal = hooks.onSigchld(() => {
    if (pending) return;
    pending = true;
    hooks.defer(() => {
      pending = false;
      reaper.sweep();
    });
  });
  const offTimer = hooks.every(sweepMs, () => reaper.sweep());
  reaper.sweep();
  return () => {
    offSignal();
    offTimer();
  };
}
