// The idle state machine on a ManualClock: sources answer busy/idle as the test says, the policy
// combines them, the last activity moves, and culling fires once after the idle time, never earlier.
import { describe, expect, it } from "vitest";
import { combine, IdleMonitor, type IdleSourceProbe, type SourceVerdict } from "../../../src/sessions/idle.js";
import { ManualClock } from "../../../src/time/manual-clock.js";

/** A source whose answer the test sets; counts its polls. */
interface Scripted {
  answer: SourceVerdict | Error;
  polls: number;
  probe: IdleSourceProbe;
}
function scripted(name: string, answer: SourceVerdict | Error = { busy: false, detail: "quiet" }): Scripted {
  const src: Scripted = {
    answer,
    polls: 0,
    probe: {
      name,
      check: () => {
        src.polls++;
        return src.answer instanceof Error ? Promise.reject(src.answer) : Promise.resolve(src.answer);
      },
    },
  };
  return src;
}

const MIN = 60_000;

describe("combine (policy)", () => {
  it("any-busy: busy when one source is busy; all-busy: only when every one is", () => {
    expect(combine("any-busy", [false, true])).toBe(true);
    expect(combine("any-busy", [false, false])).toBe(false);
    expect(combine("all-busy", [false, true])).toBe(false);
    expect(combine("all-busy", [true, true])).toBe(true);
    expect(combine("any-busy", [])).toBe(false);
  });
});

describe("IdleMonitor", () => {
  it("is unknown before the first poll, then polls at once and every interval", async () => {
    const clock = new ManualClock();
    const a = scripted("a");
    const m = new IdleMonitor({ sources: [a.probe], policy: "any-busy", interval: 30_000, clock });
    expect(m.report().state).toBe("unknown");
    m.start();
    await clock.settle();
    expect(a.polls).toBe(1);
    expect(m.report().state).toBe("idle");
    await clock.advance(29_999);
    expect(a.polls).toBe(1);
    await clock.advance(1);
    expect(a.polls).toBe(2);
    m.stop();
    await clock.advance(120_000);
    expect(a.polls).toBe(2);
    expect(clock.pending()).toEqual([]);
  });

  it("idle → busy → idle, with the last activity at the last busy poll and idleSeconds counting from it", async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const a = scripted("a");
    const m = new IdleMonitor({ sources: [a.probe], policy: "any-busy", interval: 10_000, clock });
    m.start();
    await clock.advance(20_000);
    expect(m.report()).toMatchObject({ state: "idle", lastActivity: new Date(start).toISOString(), idleSeconds: 20 });
    a.answer = { busy: true, detail: "1 connection" };
    await clock.advance(10_000);
    expect(m.report()).toMatchObject({ state: "busy", idleSeconds: 0, lastActivity: new Date(start + 30_000).toISOString() });
    expect(m.report().sources).toEqual([{ name: "a", busy: true, detail: "1 connection" }]);
    a.answer = { busy: false, detail: "0 connections" };
    await clock.advance(10_000);
    expect(m.report()).toMatchObject({ state: "idle", lastActivity: new Date(start + 30_000).toISOString(), idleSeconds: 10 });
    m.stop();
  });

  it("a source's own last activity (Jupyter's last_activity) moves the time forward, never into the future", async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const j = scripted("jupyter", { busy: false, detail: "kernels=0", lastActivity: start + 5_000 });
    const m = new IdleMonitor({ sources: [j.probe], policy: "any-busy", interval: 10_000, clock });
    m.start();
    await clock.advance(10_000);
    expect(m.report().lastActivity).toBe(new Date(start + 5_000).toISOString());
    j.answer = { busy: false, detail: "kernels=0", lastActivity: start + 10 * MIN };
    await clock.advance(10_000);
    expect(m.report().lastActivity).toBe(new Date(start + 5_000).toISOString());
    m.stop();
  });

  it("a source that cannot answer counts as busy (a broken probe never makes a session look idle)", async () => {
    const clock = new ManualClock();
    const bad = scripted("bad", new Error("ECONNREFUSED"));
    const m = new IdleMonitor({ sources: [bad.probe], policy: "any-busy", interval: 10_000, cull: MIN, clock, onCull: () => expect.fail("culled on a broken probe") });
    m.start();
    await clock.advance(10 * MIN);
    expect(m.report()).toMatchObject({ state: "busy", sources: [{ name: "bad", busy: true, error: true }] });
    expect(m.report().sources[0]!.detail).toContain("ECONNREFUSED");
    m.stop();
  });

  it("policies decide between disagreeing sources", async () => {
    const clock = new ManualClock();
    const busy = scripted("cpu", { busy: true, detail: "50%" });
    const quiet = scripted("conn", { busy: false, detail: "0" });
    const any = new IdleMonitor({ sources: [busy.probe, quiet.probe], policy: "any-busy", interval: 1000, clock });
    const all = new IdleMonitor({ sources: [busy.probe, quiet.probe], policy: "all-busy", interval: 1000, clock });
    await any.poll();
    await all.poll();
    expect(any.report().state).toBe("busy");
    expect(all.report().state).toBe("idle");
  });

  it("culls once, at the first poll after the idle time, with a reason; activity restarts the count", async () => {
    const clock = new ManualClock();
    const a = scripted("a");
    const reasons: string[] = [];
    const m = new IdleMonitor({ sources: [a.probe], policy: "any-busy", interval: MIN, cull: 30 * MIN, clock, onCull: (r) => reasons.push(r) });
    m.start();
    await clock.advance(20 * MIN);
    a.answer = { busy: true, detail: "busy" }; // activity at minute 21
    await clock.advance(1 * MIN);
    a.answer = { busy: false, detail: "quiet" };
    await clock.advance(29 * MIN); // minute 50: idle 29 min
    expect(reasons).toEqual([]);
    await clock.advance(1 * MIN); // minute 51: idle 30 min
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/idle for 30 min \(session\.idle\.cull: 30 min; last activity /);
    await clock.advance(10 * MIN);
    expect(reasons).toHaveLength(1);
    m.stop();
  });

  it("never culls without session.idle.cull", async () => {
    const clock = new ManualClock();
    const a = scripted("a");
    let culled = false;
    const m = new IdleMonitor({ sources: [a.probe], policy: "any-busy", interval: MIN, clock, onCull: () => (culled = true) });
    m.start();
    await clock.advance(24 * 60 * MIN);
    expect(culled).toBe(false);
    expect(m.report()).toMatchObject({ state: "idle", idleSeconds: 24 * 3600, cullAfterSeconds: null });
    m.stop();
  });
});
