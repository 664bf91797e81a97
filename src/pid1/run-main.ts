// `foyer run -- CMD` without a spec: tini -g semantics. One main program in its own process group,
// every catchable signal forwarded to that group, orphans reaped, leftovers stopped after it exits,
// and its exit status (or 126/127) as foyer's.
import type { Logger } from "../log/index.js";
import { startPid1, type Pid1Runtime } from "./runtime.js";
import { exactArgv as exactArgvOf } from "./exact-bytes.js";
import { terminateLeftovers } from "./leftovers.js";
import { forwardSignal, openSignalInbox, stopReceived, stoppedBySignalCode } from "./signals.js";
import type { SpawnedProcess, SpawnRequest } from "./types.js";

/** Options of runMain; `env` is the child's complete environment. */
export interface RunMainOptions {
  /** how long leftovers get between SIGTERM and SIGKILL */
  graceMs: number;
  logger: Logger;
  env: Record<string, string>;
  /** USER[:GROUP] to run the program as (exec-as) */
  user?: string;
  /** foreground (default, like tini) or a new session (exec-as) */
  group?: SpawnRequest["group"];
  /** argv is the tail of foyer's own: pass its exact bytes (not UTF-8) through */
  exactArgv?: boolean;
  /** an already started runtime (tests, the supervisor); default: start one */
  runtime?: Pid1Runtime;
}

/** Run one main program to completion as PID 1 (or subreaper); resolves to foyer's exit code. */
export async function runMain(argv: string[], opts: RunMainOptions): Promise<number> {
  const { logger, graceMs } = opts;
  const signals = openSignalInbox(); // opened by main.ts already: the same inbox
  const runtime = opts.runtime ?? startPid1(logger);
  // A TERM/INT/QUIT that came while foyer was starting: CMD never runs (a pod deleted while starting
  // must not wait out its grace period). Nothing can arrive between this check and the spawn below:
  // both run in the same turn of the event loop.
  const early = await stopReceived(signals);
  if (early) {
    logger.info(`received ${early} before ${argv[0] ?? "the program"} started; not starting it`);
    return stoppedBySignalCode(early);
  }
  let mainExited = false;
  let hurry = false;
  const exactArgv = opts.exactArgv ? exactArgvOf(argv) : undefined;
  const main: SpawnedProcess = runtime.spawner.spawn({ argv, env: opts.env, user: opts.user, stdio: "inherit", group: opts.group ?? "foreground", ...(exactArgv ? { exactArgv } : {}) });
  // Signals queued while foyer started (HUP, WINCH...) are replayed now, to CMD's group, like tini.
  const uninstall = runtime.routeSignals((signal) => {
    if (!mainExited) forwardSignal(main, signal);
    // TERM/INT while leftovers are being stopped: stop waiting, KILL them now.
    else if (signal === "SIGTERM" || signal === "SIGINT") hurry = true;
  });
  try {
    const status = await main.exited;
    mainExited = true;
    if (status.spawnError) logger.error(status.spawnError);
    else logger.debug("main program exited", { pid: main.pid, code: status.code, signal: status.signal });
    const left = await terminateLeftovers(runtime.sys, graceMs, { killNow: () => hurry });
    if (left.terminated > 0) logger.info("stopped leftover processes", { ...left });
    return status.exitCode;
  } finally {
    uninstall();
  }
}
