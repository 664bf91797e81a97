import { describe, expect, it } from "vitest";
import { Reaper, startReaperLoop, type ReaperLoopHooks } from "../../../src/pid1/reaper.js";
import { FakeSys } from "./fake-sys.js";

describe("Reaper.sweep", () => {
  it("reaps exited orphans and never touches a managed pid, even a zombie one", () => {
    const sys = new FakeSys(1)
      .add(10, { ppid: 1, state: "zombie", status: 3 << 8 }) // orphan, exited
      .add(11, { ppid: 1, state: "running" }) // orphan, still running
      .add(20, { ppid: 1, state: "zombie", status: 0 }) // managed: libuv will wait for it
      .add(21, { ppid: 1, state: "running" }); // managed, running
    const reaped: Array<[number, number]> = [];
    const reaper = new Reaper(sys, new Set([20, 21]), (pid, status) => reaped.push([pid, status]));

    expect(reaper.sweep()).toBe(1);
    expect(reaped).toEqual([[10, 3 << 8]]);
    expect(sys.reapCalls).not.toContain(20);
    expect(sys.reapCalls).not.toContain(21);
    expect(sys.procs.get(20)!.state).toBe("zombie");
    expect(reaper.stats.reaped).toBe(1);
  });

  it("picks up orphans re-parented to it after their parent died", () => {
    const sys = new FakeSys(1).add(5, { ppid: 1, state: "running" }).add(6, { ppid: 5, state: "running" });
    const reaper = new Reaper(sys, new Set([5]));
    sys.exit(6); // grandchild exits first: its parent (5) is responsible, not us
    expect(reaper.sweep()).toBe(0);
    sys.add(7, { ppid: 5, state: "running" });
    sys.exit(5); // managed child exits: zombie 6 and live 7 are re-parented to us
    sys.exit(7, 9);
    expect(reaper.sweep()).toBe(2);
    expect(sys.procs.get(6)!.state).toBe("reaped");
    expect(sys.procs.get(7)!.state).toBe("reaped");
    expect(sys.procs.get(5)!.state).toBe("zombie"); // still libuv's
  });

  it("with nothing to do reaps nothing and only counts the sweep", () => {
    const reaper = new Reaper(new FakeSys(1), new Set());
    expect(reaper.sweep()).toBe(0);
    expect(reaper.stats).toMatchObject({ reaped: 0, sweeps: 1, lastReapAt: 0n });
  });
});

describe("startReaperLoop", () => {
  function fakeHooks() {
    let sigchld: () => void = () => {};
    const deferred: Array<() => void> = [];
    let timer: (() => void) | undefined;
    const hooks: ReaperLoopHooks = {
      onSigchld: (l) => ((sigchld = l), () => (sigchld = () => {})),
      defer: (fn) => void deferred.push(fn),
      every: (_ms, fn) => ((timer = fn), () => (timer = undefined)),
    };
    return { hooks, fire: () => sigchld(), runDeferred: () => deferred.splice(0).forEach((f) => f()), tick: () => timer?.(), deferred };
  }

  it("sweeps once at start, coalesces a burst of SIGCHLD into one deferred sweep, and sweeps on the timer", () => {
    const sys = new FakeSys(1);
    const reaper = new Reaper(sys, new Set());
    const h = fakeHooks();
    const stop = startReaperLoop(reaper, h.hooks, 1000);
    expect(reaper.stats.sweeps).toBe(1);
    for (let i = 0; i < 50; i++) h.fire();
    expect(h.deferred).toHaveLength(1);
    expect(reaper.stats.sweeps).toBe(1); // nothing before the check phase: libuv reaps its own first
    h.runDeferred();
    expect(reaper.stats.sweeps).toBe(2);
    h.fire();
    h.runDeferred();
    expect(reaper.stats.sweeps).toBe(3);
    h.tick();
    expect(reaper.stats.sweeps).toBe(4);
    stop();
    h.fire();
    h.tick();
    expect(h.deferred).toHaveLength(0);
    expect(reaper.stats.sweeps).toBe(4);
  });
});
