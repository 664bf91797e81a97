// The real clock's stepping of long delays, checked against an injected host setTimeout (the
// overflow itself cannot be waited for: 2^31 ms is 24.8 days).
import { describe, expect, it } from "vitest";
import { MAX_TIMER_MS, realClock, settlesWithin, type HostTimers } from "../../../src/time/clock.js";
import { ManualClock } from "../../../src/time/manual-clock.js";

/** A host whose timers only fire when the test says so; it refuses delays Node would overflow. */
function host() {
  let id = 0;
  const timers = new Map<number, { fn: () => void; ms: number }>();
  const h: HostTimers & { fireNext(): number; delays: number[]; live: () => number } = {
    delays: [],
    setTimeout(fn, ms) {
      if (ms > MAX_TIMER_MS) throw new Error(`host timer asked for ${ms} ms: Node would fire it after 1 ms`);
      h.delays.push(ms);
      timers.set(++id, { fn, ms });
      return id;
    },
    clearTimeout: (t) => void timers.delete(t as number),
    now: () => 0,
    fireNext() {
      const [key, t] = timers.entries().next().value!;
      timers.delete(key);
      t.fn();
      return t.ms;
    },
    live: () => timers.size,
  };
  return h;
}

describe("realClock", () => {
  it("waits a delay under 2^31 ms with one host timer", () => {
    const h = host();
    let fired = 0;
    realClock(h).setTimeout(() => fired++, 10_000);
    expect(h.delays).toEqual([10_000]);
    h.fireNext();
    expect(fired).toBe(1);
  });

  it("waits 30 days in steps no host timer overflows, firing only after the last one", () => {
    const h = host();
    const thirtyDays = 30 * 86_400_000;
    let fired = 0;
    realClock(h).setTimeout(() => fired++, thirtyDays);
    let waited = 0;
    while (h.live() > 0) {
      expect(fired).toBe(0);
      waited += h.fireNext();
    }
    expect(fired).toBe(1);
    expect(waited).toBe(thirtyDays);
    expect(h.delays).toEqual([MAX_TIMER_MS, thirtyDays - MAX_TIMER_MS]);
  });

  it("`stop.grace: 3000000` (seconds) is waited in full", () => {
    const h = host();
    let fired = false;
    realClock(h).setTimeout(() => (fired = true), 3_000_000_000);
    while (h.live() > 0) h.fireNext();
    expect(h.delays.reduce((a, b) => a + b, 0)).toBe(3_000_000_000);
    expect(h.delays.every((d) => d <= MAX_TIMER_MS)).toBe(true);
    expect(fired).toBe(true);
  });

  it("clearing a long timer between steps cancels the rest", () => {
    const h = host();
    const clock = realClock(h);
    let fired = false;
    const t = clock.setTimeout(() => (fired = true), 3 * MAX_TIMER_MS);
    h.fireNext();
    expect(h.live()).toBe(1);
    clock.clearTimeout(t);
    expect(h.live()).toBe(0);
    expect(t.done).toBe(true);
    expect(fired).toBe(false);
  });

  it("negative and NaN delays are 0; Infinity never fires", () => {
    const h = host();
    const clock = realClock(h);
    clock.setTimeout(() => undefined, -5);
    clock.setTimeout(() => undefined, Number.NaN);
    expect(h.delays).toEqual([0, 0]);
    let fired = false;
    clock.setTimeout(() => (fired = true), Number.POSITIVE_INFINITY);
    for (let i = 0; i < 5; i++) expect(h.fireNext()).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(fired).toBe(false);
  });

  it("really waits with Node's timers", async () => {
    const clock = realClock();
    const t0 = performance.now();
    await clock.sleep(20);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(19);
  });
});

describe("sleep and settlesWithin", () => {
  it("sleep ends early when aborted and leaves no timer behind", async () => {
    const clock = new ManualClock();
    const ac = new AbortController();
    let woke = false;
    const s = clock.sleep(10_000, ac.signal).then(() => (woke = true));
    await clock.advance(5000);
    expect(woke).toBe(false);
    ac.abort();
    await s;
    expect(clock.pending()).toEqual([]);
  });

  it("settlesWithin: true when the promise wins, false when time runs out; no timer left either way", async () => {
    const clock = new ManualClock();
    expect(await clock.drive(settlesWithin(clock, 300, Promise.resolve()))).toBe(true);
    expect(clock.pending()).toEqual([]);
    const t0 = clock.now();
    expect(await clock.drive(settlesWithin(clock, 300, new Promise(() => undefined)))).toBe(false);
    expect(clock.now() - t0).toBe(300);
    expect(clock.pending()).toEqual([]);
  });
});

describe("ManualClock", () => {
  it("fires timers in due order (ties in the order they were set) as time advances", async () => {
    const clock = new ManualClock(1000);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => seen.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => seen.push(`c@${clock.now()}`), 20);
    const gone = clock.setTimeout(() => seen.push("never"), 15);
    clock.clearTimeout(gone);
    await clock.advance(15);
    expect(seen).toEqual(["a@1010"]);
    expect(clock.now()).toBe(1015);
    await clock.advance(100);
    expect(seen).toEqual(["a@1010", "b@1020", "c@1020"]);
  });

  it("runUntil refuses to run past its virtual limit", async () => {
    const clock = new ManualClock();
    clock.setTimeout(() => undefined, 5000);
    await expect(clock.runUntil(() => false, { maxMs: 1000 })).rejects.toThrow(/after 1000 ms of virtual time/);
  });
});
