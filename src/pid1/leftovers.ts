// After the main program exits: whatever it left behind gets SIGTERM, then SIGKILL after the
// grace period, and foyer waits (bounded) until they are gone and reaped.
import type { Pid1Sys } from "./sys.js";

/** Every live descendant of `root` (children first), walking /proc children lists. */
export function liveDescendants(sys: Pid1Sys, root: number = sys.self): number[] {
  const out: number[] = [];
  const seen = new Set<number>([root]);
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const child of sys.children(pid)) {
      if (seen.has(child)) continue;
      seen.add(child);
      queue.push(child);
      if (sys.isAlive(child)) out.push(child);
    }
  }
  return out;
}

/** Clock and sleep, injected for tests. */
export interface Waiting {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realWaiting: Waiting = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** How the clean-up went, for one log line. */
export interface LeftoverResult {
  terminated: number;
  killed: number;
  remaining: number;
}

/**
 * TERM every live descendant, wait up to `graceMs` for all to go (or until `killNow()`), KILL the
 * rest, wait up to `killWaitMs` more for the reaper to collect them.
 */
export async function terminateLeftovers(
  sys: Pid1Sys,
  graceMs: number,
  opts: { killWaitMs?: number; pollMs?: number; waiting?: Waiting; killNow?: () => boolean } = {},
): Promise<LeftoverResult> {
  const { killWaitMs = 1000, pollMs = 20, waiting = realWaiting, killNow = () => false } = opts;
  const first = liveDescendants(sys);
  if (first.length === 0) return { terminated: 0, killed: 0, remaining: 0 };
  for (const pid of first) sys.kill(pid, "SIGTERM");
  const graceEnd = waiting.now() + graceMs;
  while (waiting.now() < graceEnd && !killNow() && liveDescendants(sys).length > 0) await waiting.sleep(pollMs);
  const stubborn = liveDescendants(sys);
  for (const pid of stubborn) sys.kill(pid, "SIGKILL");
  const killEnd = waiting.now() + killWaitMs;
  while (waiting.now() < killEnd && liveDescendants(sys).length > 0) await waiting.sleep(pollMs);
  return { terminated: first.length, killed: stubborn.length, remaining: liveDescendants(sys).length };
}
