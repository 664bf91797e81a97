// Start foyer's PID 1 machinery once per process: the addon, the subreaper bit, the reaper loop and
// the Spawner, and one log line naming whatever is unavailable (never silently degraded).
import * as path from "node:path";
import * as tty from "node:tty";
import type { Logger } from "../log/index.js";
import { isSea, loadNative, type NativeAddon } from "./native.js";
import { Reaper, startReaperLoop } from "./reaper.js";
import { exactEnvironment } from "./exact-bytes.js";
import { ProcessSpawner } from "./spawner.js";
import { realSys, type Pid1Sys } from "./sys.js";
import { decodeWaitStatus, signalNumber } from "./exit-status.js";
import { FORWARDED_SIGNALS, openSignalInbox, type ForwardedSignal } from "./signals.js";

/** What the supervisor and `foyer run` use: the Spawner and the process-table view. */
export interface Pid1Runtime {
  spawner: ProcessSpawner;
  sys: Pid1Sys;
  /** the Reaper, or null when the addon is missing (orphans then stay zombies) */
  reaper: Reaper | null;
  /** pids foyer spawned itself */
  managed: Set<number>;
  native: NativeAddon | null;
  /** true when foyer is PID 1 or a registered child subreaper */
  reaping: boolean;
  /** subscribe to the signal inbox (signals queued since start-up are replayed first) */
  routeSignals(onSignal: (signal: ForwardedSignal) => void): () => void;
  /** stop the reaper loop (tests, and shutdown) */
  stop(): void;
}

let current: Pid1Runtime | undefined;

/** Start (once) and return the runtime; later calls return the same one. */
export function startPid1(logger: Logger, env: NodeJS.ProcessEnv = process.env): Pid1Runtime {
  current ??= createRuntime(logger, env);
  return current;
}

function createRuntime(logger: Logger, env: NodeJS.ProcessEnv): Pid1Runtime {
  const loaded = loadNative(env);
  const native = loaded.ok ? loaded.addon : null;
  const managed = new Set<number>();
  const sys = realSys(native);
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const unavailable: string[] = [];
  // foyer's environment holds the secrets' source variables (DB_PASSWORD...) that programs do not
  // get: a program running as foyer's own uid (a non-root container) could read them all from
  // /proc/<foyer>/environ. Not dumpable, those files are root's alone.
  const exactEnv = exactEnvironment(); // before: a non-root foyer that is not dumpable cannot read it
  if (native && native.setNotDumpable() !== 0) logger.warn("could not make foyer non-dumpable: programs running as its uid can read its environment");
  if (loaded.ok) logger.debug("native addon loaded", { from: loaded.from });
  else {
    logger.error(`native addon not loaded: ${loaded.error}`);
    unavailable.push("orphan reaping", "user switching");
  }
  let reaping = native !== null && process.pid === 1;
  if (native && process.pid !== 1) {
    const err = native.setSubreaper();
    if (err === 0) reaping = true;
    else unavailable.push(`orphan reaping (prctl subreaper failed: errno ${err})`);
  }
  // After handing the terminal to a foreground program, foyer is a background group: a log line
  // written with `stty tostop` would stop it (SIGTTOU) and with it signal forwarding and reaping.
  native?.ignoreSignals(["SIGTTOU", "SIGTTIN"].map((s) => signalNumber(s) ?? 0));
  // The SEA runs with --disable-sigusr1 (no inspector, ever), which also leaves SIGUSR1 blocked in
  // every thread, so it would never be forwarded. The inbox's handlers exist before the unblocking,
  // so a stray SIGUSR1 cannot kill foyer.
  const signals = openSignalInbox();
  native?.unblockSignals(FORWARDED_SIGNALS.map((s) => signalNumber(s) ?? 0));
  if (uid !== 0 && native) unavailable.push(`user switching (foyer runs as uid ${uid}, not root)`);
  if (unavailable.length) logger.warn(`running with reduced features; unavailable: ${unavailable.join(", ")}`);

  const reaper = reaping
    ? new Reaper(sys, managed, (pid, raw) => logger.debug("reaped orphan", { pid, ...decodeWaitStatus(raw) }))
    : null;
  const stopLoop = reaper ? startReaperLoop(reaper) : () => {};
  const spawner = new ProcessSpawner({
    managed,
    native,
    self: selfCommand(),
    trampolineEnv: trampolineEnv(loaded, env),
    uid,
    gid,
    stdinIsTty: tty.isatty(0),
    exactEnv,
  });
  return { spawner, sys, reaper, managed, native, reaping, routeSignals: (on) => signals.subscribe(on), stop: stopLoop };
}

/** How to start foyer itself: the single binary, or node + the dev bundle. */
export function selfCommand(): string[] {
  if (isSea() || !process.argv[1]) return [process.execPath];
  return [process.execPath, ...process.execArgv, path.resolve(process.argv[1])];
}

// The trampoline only needs to find the addon again: where it was loaded from, nothing else.
function trampolineEnv(loaded: ReturnType<typeof loadNative>, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  if (loaded.ok && isSea()) out.FOYER_NATIVE_DIR = loaded.from;
  else if (loaded.ok) out.FOYER_NATIVE_ADDON = path.join(loaded.from, "foyer_native.node");
  if (env.FOYER_DEBUG) out.FOYER_DEBUG = env.FOYER_DEBUG;
  return out;
}
