import { describe, expect, it } from "vitest";
import { liveDescendants, terminateLeftovers, type Waiting } from "../../../src/pid1/leftovers.js";
import { Reaper } from "../../../src/pid1/reaper.js";
import { FakeSys } from "./fake-sys.js";

// A clock that only moves when the code under test sleeps; each sleep also lets the reaper run.
function fakeWaiting(onSleep: () => void): Waiting & { elapsed(): number } {
  let t = 0;
  return { now: () => t, sleep: async (ms) => void ((t += ms), onSleep()), elapsed: () => t };
}

describe("liveDescendants", () => {
  it("walks the whole tree below foyer and skips zombies", () => {
    const sys = new FakeSys(1)
      .add(2, { ppid: 1, state: "running" })
      .add(3, { ppid: 2, state: "running" })
      .add(4, { ppid: 3, state: "zombie" })
      .add(5, { ppid: 4, state: "running" }) // cannot happen in a kernel, but must not be lost
      .add(9, { ppid: 7, state: "running" }); // not ours
    expect(liveDescendants(sys).sort()).toEqual([2, 3, 5]);
  });
});

describe("terminateLeftovers", () => {
  it("does nothing (and does not wait) when nothing is left", async () => {
    const w = fakeWaiting(() => {});
    expect(await terminateLeftovers(new FakeSys(1), 10_000, { waiting: w })).toEqual({ terminated: 0, killed: 0, remaining: 0 });
    expect(w.elapsed()).toBe(0);
  });

  it("TERMs every leftover and returns as soon as they are gone", async () => {
    const sys = new FakeSys(1).add(2, { ppid: 1, state: "running" }).add(3, { ppid: 2, state: "running" });
    const reaper = new Reaper(sys, new Set());
    const w = fakeWaiting(() => reaper.sweep());
    const r = await terminateLeftovers(sys, 10_000, { waiting: w });
    expect(sys.kills).toEqual([[2, "SIGTERM"], [3, "SIGTERM"]]);
    expect(r).toEqual({ terminated: 2, killed: 0, remaining: 0 });
    expect(w.elapsed()).toBeLessThan(100);
  });

  it("KILLs what ignores TERM once the grace period is over", async () => {
    const sys = new FakeSys(1).add(2, { ppid: 1, state: "running", diesOn: ["SIGKILL"] }).add(3, { ppid: 1, state: "running" });
    const reaper = new Reaper(sys, new Set());
    const w = fakeWaiting(() => reaper.sweep());
    const r = await terminateLeftovers(sys, 500, { waiting: w, pollMs: 20 });
    expect(sys.kills).toEqual([[2, "SIGTERM"], [3, "SIGTERM"], [2, "SIGKILL"]]);
    expect(r).toEqual({ terminated: 2, killed: 1, remaining: 0 });
    expect(w.elapsed()).toBeGreaterThanOrEqual(500);
    expect(w.elapsed()).toBeLessThan(600);
  });

  it("KILLs at once when asked to hurry (a second TERM to foyer)", async () => {
    const sys = new FakeSys(1).add(2, { ppid: 1, state: "running", diesOn: ["SIGKILL"] });
    let hurry = false;
    const w = fakeWaiting(() => (hurry = true));
    const r = await terminateLeftovers(sys, 60_000, { waiting: w, pollMs: 20, killNow: () => hurry });
    expect(r.killed).toBe(1);
    expect(w.elapsed()).toBeLessThan(100);
  });
});
