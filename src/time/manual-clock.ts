// A clock for tests: time stands still until the test moves it. Timers fire in due order as
// virtual time passes, and between two timers the test's promises, streams and real I/O get to
// run, so a test reads like "advance 10 s, then check" without ever sleeping.
import { sleepOn, type Clock, type TimerHandle } from "./clock.js";

interface Pending extends TimerHandle {
  done: boolean;
  due: number;
  seq: number;
  fn: () => void;
}

/** Yield to the event loop once (pending callbacks, promise chains and finished I/O run). */
const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A manually advanced clock. */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: Pending[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Pending = { done: false, due: this.time + (Number.isNaN(ms) || ms < 0 ? 0 : ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    const i = this.timers.indexOf(handle as Pending);
    if (i < 0) return;
    this.timers[i]!.done = true;
    this.timers.splice(i, 1);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Delays of the pending timers from now, soonest first. */
  pending(): number[] {
    return this.timers.map((t) => t.due - this.time).sort((a, b) => a - b);
  }

  /** Let everything already under way run (promise chains, stream events); no virtual time passes. */
  async settle(rounds = 10): Promise<void> {
    for (let i = 0; i < rounds; i++) await yieldOnce();
  }

  /** Move time forward by `ms`, firing each timer that falls due (in order) and settling after each. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await this.settle();
    for (;;) {
      const next = this.next();
      if (!next || next.due > target) break;
      this.fire(next);
      await this.settle();
    }
    this.time = target;
    await this.settle();
  }

  /**
   * Fire timers one by one until `done()` holds. Before giving up on "nothing left to fire", it
   * waits (in real time, up to `ioWaitMs`) for real I/O under way (a process, a file) to arm a
   * timer or satisfy `done`. Throws when more than `maxMs` of virtual time would pass.
   */
  async runUntil(done: () => boolean, { maxMs = 365 * 86_400_000, ioWaitMs = 10_000 } = {}): Promise<void> {
    const limit = this.time + maxMs;
    for (;;) {
      await this.settle();
      if (done()) return;
      let next = this.next();
      if (!next) {
        await this.waitForIo(() => done() || this.next() !== undefined, ioWaitMs);
        if (done()) return;
        next = this.next();
        if (!next) throw new Error("ManualClock.runUntil: nothing left to happen and the condition is still false");
      }
      if (next.due > limit) throw new Error(`ManualClock.runUntil: condition still false after ${maxMs} ms of virtual time`);
      this.fire(next);
    }
  }

  /** Drive the clock (as `runUntil`) until `promise` settles; resolves or rejects with it. */
  async drive<T>(promise: Promise<T>, options?: { maxMs?: number; ioWaitMs?: number }): Promise<T> {
    let settled = false;
    promise.then(
      () => void (settled = true),
      () => void (settled = true),
    );
    await this.runUntil(() => settled, options);
    return promise;
  }

  private next(): Pending | undefined {
    let best: Pending | undefined;
    for (const t of this.timers) if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  }

  private fire(timer: Pending): void {
    this.time = Math.max(this.time, timer.due);
    this.clearTimeout(timer);
    timer.fn();
  }

  /**
   * Wait for real I/O under way (a child process, a file) until `ready()` holds, without moving
   * virtual time; throws after `budgetMs` of real time.
   */
  async waitFor(ready: () => boolean, budgetMs = 10_000): Promise<void> {
    await this.waitForIo(ready, budgetMs);
    if (!ready()) throw new Error(`ManualClock.waitFor: condition still false after ${budgetMs} ms of real time`);
  }

  // Real I/O completes in the poll phase: yield with immediates first, then with 1 ms real waits
  // so a slow process does not spin the CPU.
  private async waitForIo(ready: () => boolean, budgetMs: number): Promise<void> {
    const end = Date.now() + budgetMs;
    for (let i = 0; !ready() && Date.now() < end; i++) {
      if (i < 50) await yieldOnce();
      else await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}
