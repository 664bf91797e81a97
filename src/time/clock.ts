// The one source of time for foyer's long-running parts (supervisor, probes, hooks): the current
// time and timers behind one small interface, injected like the Spawner, so tests drive a manual
// clock instead of sleeping, and so long delays are scheduled safely in one place.
//
// Node's setTimeout cannot wait 2^31 ms (~24.8 days) or more: it warns and fires after 1 ms, so a
// `stop.grace: 30d` would KILL at once. The real clock waits such delays in chained steps.

/** A pending timer; pass it to `clearTimeout`. */
export interface TimerHandle {
  /** true once it fired or was cleared */
  readonly done: boolean;
}

/** Current time and timers. */
export interface Clock {
  /** milliseconds since the epoch (wall time: shown in status and logs, used for elapsed times) */
  now(): number;
  /** call `fn` once after `ms` (any length; < 0 or NaN counts as 0) */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** cancel a timer; a no-op for undefined, fired or cleared ones */
  clearTimeout(handle: TimerHandle | undefined): void;
  /** resolves after `ms`, or as soon as `signal` aborts (never rejects) */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The largest delay Node's setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The host's timer functions, injectable to test the stepping without waiting 25 days. */
export interface HostTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  now(): number;
}

const HOST: HostTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
  now: () => Date.now(),
};

class StepTimer implements TimerHandle {
  done = false;
  id: unknown;
}

/** The real clock: Date.now and Node timers, with delays ≥ 2^31 ms waited in steps. */
export function realClock(host: HostTimers = HOST): Clock {
  const clock: Clock = {
    now: () => host.now(),
    setTimeout(fn, ms) {
      const timer = new StepTimer();
      let left = Number.isNaN(ms) || ms < 0 ? 0 : ms;
      const step = (): void => {
        const wait = Math.min(left, MAX_TIMER_MS);
        left -= wait;
        timer.id = host.setTimeout(() => {
          if (timer.done) return;
          if (left > 0) return step();
          timer.done = true;
          fn();
        }, wait);
      };
      step();
      return timer;
    },
    clearTimeout(handle) {
      if (!(handle instanceof StepTimer) || handle.done) return;
      handle.done = true;
      host.clearTimeout(handle.id);
    },
    sleep: (ms, signal) => sleepOn(clock, ms, signal),
  };
  return clock;
}

/** `sleep` for any clock: a timer raced with an abort signal. */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clock.clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = clock.setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Waits for `promise` at most `ms`: true if it settled in time. The timer is cleared either way. */
export async function settlesWithin(clock: Clock, ms: number, promise: Promise<unknown>): Promise<boolean> {
  const stop = new AbortController();
  let settled = false;
  const watched = promise.then(
    () => void (settled = true),
    () => void (settled = true),
  );
  await Promise.race([watched, clock.sleep(ms, stop.signal)]);
  stop.abort();
  return settled;
}
