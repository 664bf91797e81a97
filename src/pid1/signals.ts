// Which signals foyer catches and passes on, and how it passes them on.
// Node as PID 1 ignores every signal it has no handler for (the kernel drops default actions for
// init), so every signal foyer should react to needs an explicit handler.
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
