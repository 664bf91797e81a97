// Which signals foyer catches and passes on, and how it passes them on.
// Node as PID 1 ignores every signal it has no handler for (the kernel drops default actions for
// init), so every signal foyer should react to needs an explicit handler, installed before foyer
// does anything that takes time (see openSignalInbox).
import { exitCodeFor } from "./exit-status.js";
import type { SpawnedProcess } from "./types.js";

/**
 * Signals forwarded to the main program's process group (tini's set). Not here: SIGCHLD (the
 * reaper's), SIGPIPE (foyer's own broken pipes must not reach the program), SIGTTIN/SIGTTOU,
 * faults (SEGV, BUS, FPE, ILL, ABRT, TRAP, SYS), SIGPROF (V8's profiler), SIGKILL/SIGSTOP.
 */
export const FORWARDED_SIGNALS = [
  "SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCONT", "SIGTSTP",
  "SIGWINCH", "SIGPWR", "SIGURG", "SIGVTALRM", "SIGXCPU", "SIGXFSZ", "SIGSTKFLT", "SIGIO",
] as const satisfies readonly NodeJS.Signals[];

/** A signal foyer forwards. */
export type ForwardedSignal = (typeof FORWARDED_SIGNALS)[number];

/** The signals that stop foyer before it has started anything (and make the supervisor shut down). */
export const STOP_SIGNALS: readonly ForwardedSignal[] = ["SIGTERM", "SIGINT", "SIGQUIT"];

/**
 * Route every forwarded signal to `onSignal`. The SIGUSR1 listener also guarantees Node never
 * starts its inspector (a debugger port on a root PID 1), even without --disable-sigusr1.
 * Returns a function that removes the handlers again.
 */
export function installSignalRouter(onSignal: (signal: ForwardedSignal) => void): () => void {
  const handlers = FORWARDED_SIGNALS.map((sig) => {
    const handler = () => onSignal(sig);
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  return () => {
    for (const [sig, handler] of handlers) process.off(sig, handler);
  };
}

/**
 * foyer's one set of signal handlers for `run` and `exec-as`, opened first thing in main.ts: a
 * signal that arrives while foyer loads, validates, applies or spawns is kept, not lost (as PID 1 a
 * signal without a handler is dropped by the kernel). Signals received while nobody subscribes are
 * queued and replayed, in order, to the next subscriber.
 */
export interface SignalInbox {
  /** the first TERM, INT or QUIT that arrived while nobody was subscribed */
  pendingStop(): ForwardedSignal | undefined;
  /** deliver signals to `listener` (one at a time: a new subscriber replaces the previous one) */
  subscribe(listener: (signal: ForwardedSignal) => void): () => void;
}

// Enough for any burst a human or an orchestrator sends; a flood cannot grow memory.
const MAX_QUEUED = 64;
let inbox: SignalInbox | undefined;

/** Install the handlers (once per process) and return the inbox. */
export function openSignalInbox(): SignalInbox {
  inbox ??= createInbox();
  return inbox;
}

function createInbox(): SignalInbox {
  const queued: ForwardedSignal[] = [];
  let listener: ((signal: ForwardedSignal) => void) | undefined;
  installSignalRouter((signal) => {
    if (listener) listener(signal);
    else if (queued.length < MAX_QUEUED) queued.push(signal);
  });
  return {
    pendingStop: () => queued.find((s) => STOP_SIGNALS.includes(s)),
    subscribe(next) {
      listener = next;
      for (const signal of queued.splice(0)) next(signal);
      return () => {
        if (listener === next) listener = undefined;
      };
    },
  };
}

/**
 * The stop signal received so far, if any. Node runs signal handlers only between event-loop turns,
 * so a TERM that came during synchronous work (loading, validating, applying) is still in libuv's
 * signal pipe: two setImmediate hops guarantee one full poll phase, which delivers it, before we look.
 */
export async function stopReceived(signals: SignalInbox): Promise<ForwardedSignal | undefined> {
  await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
  return signals.pendingStop();
}

/** foyer's exit code when a signal stopped it before any program ran: 128+n, like a killed process. */
export function stoppedBySignalCode(signal: ForwardedSignal): number {
  return exitCodeFor({ code: null, signal });
}

/** Send a signal to a program's whole process group; false when it is already gone. */
export function forwardSignal(proc: Pick<SpawnedProcess, "killGroup">, signal: string): boolean {
  return proc.killGroup(signal);
}

/** kill(-pgid) with a fall-back to the pid (the group may not exist yet or any more). */
export function killGroupOrPid(pid: number, signal: string): boolean {
  if (pid <= 0) return false;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return true;
    } catch {
      // ESRCH: try the next target; EPERM: not ours to signal
    }
  }
  return false;
}
