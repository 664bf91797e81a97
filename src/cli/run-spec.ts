// `foyer run` with a spec: load → validate → apply (like init) → supervise the spec's programs (and
// the `-- CMD` main program) as PID 1 → stop leftovers → exit with the container's code.
import { openSignalInbox, startPid1, stopReceived, stoppedBySignalCode, terminateLeftovers } from "../pid1/index.js";
import { runStartHooks, runSupervisor } from "../supervise/index.js";
import { loadSpecCollecting } from "../spec/load.js";
import type { Logger } from "../log/index.js";
import { SCOPES } from "../check/index.js";
import { makeLogger, type CommonFlags } from "./context.js";
import { applyPrepared } from "./cmd-init.js";
import { loadOptionsFor, prepare } from "./prepare.js";

/**
 * Run the full start for a spec; resolves to foyer's exit code. A TERM, INT or QUIT that arrives
 * before supervision begins ends foyer with 128+n at the next check: after validating (nothing is
 * written then) or after applying (what was applied stays: every write is atomic and idempotent).
 * No hook and no program runs: finish hooks pair with init hooks, which never ran.
 */
export async function runWithSpec(flags: CommonFlags, main: string[] | undefined, graceMs: number, startEnv: Record<string, string>): Promise<number> {
  const signals = openSignalInbox(); // opened by main.ts already, before anything slow
  const started = await startHooks(flags, startEnv);
  if (typeof started === "number") return started;
  const { env, preloaded } = started;
  // every check (with "main" taken when -- CMD is given, and the health port) before any write
  const prepared = await prepare(flags, SCOPES.run(main !== undefined), env, "/", preloaded);
  const { loaded } = prepared;
  const logger = makeLogger(flags, loaded);
  const stopped = async (phase: string): Promise<number | undefined> => {
    const signal = await stopReceived(signals);
    if (!signal) return undefined;
    logger.info(`received ${signal} while ${phase}; no program started, exiting`);
    return stoppedBySignalCode(signal);
  };
  const beforeApply = await stopped("validating");
  if (beforeApply !== undefined) return beforeApply;
  await applyPrepared(prepared, logger, env);
  const runtime = startPid1(logger);
  const beforeStart = await stopped("applying the plan");
  if (beforeStart !== undefined) return beforeStart;
  // From here on the supervisor owns every signal (ordered shutdown, finish hooks, forwarding to
  // main); the inbox replays to it whatever came in since the last check.
  const code = await runSupervisor({
    spec: loaded.spec,
    ...(main ? { main: { argv: main } } : {}),
    spawner: runtime.spawner,
    logger,
    logFormat: logger.options.format,
    baseEnv: env,
    secrets: loaded.secrets,
    signals: { subscribe: (listener) => runtime.routeSignals(listener) },
  });
  await stopLeftovers(runtime, graceMs, logger);
  return code;
}

/**
 * `hooks.start` (docker-stacks' start-notebook.d, which start.sh sources before it reads NB_USER and
 * the rest): run before the validation stage, as foyer's own user, so that what they export is the
 * environment everything after reads. Returns that environment (with no start hook also this load,
 * which the stage reuses instead of reading the spec and its secrets again), or foyer's exit code
 * when a TERM/INT/QUIT stopped the hooks. A spec that does not load is left to the validation stage.
 */
async function startHooks(
  flags: CommonFlags,
  env: Record<string, string>,
): Promise<{ env: Record<string, string>; preloaded?: ReturnType<typeof loadSpecCollecting> } | number> {
  const first = loadSpecCollecting(loadOptionsFor(flags, env));
  const { loaded } = first;
  // no start hooks: the environment stays as it is, and so does this load (the stage reuses it)
  if (!loaded?.spec.hooks.start?.length) return { env, preloaded: first };
  const logger = makeLogger(flags, loaded);
  const runtime = startPid1(logger);
  const interrupted = new AbortController();
  let stopSignal: string | undefined;
  const unsubscribe = runtime.routeSignals((signal) => {
    if (signal !== "SIGTERM" && signal !== "SIGINT" && signal !== "SIGQUIT") return;
    stopSignal ??= signal;
    interrupted.abort();
  });
  try {
    const after = await runStartHooks({ spec: loaded.spec, baseEnv: env, secrets: loaded.secrets, spawner: runtime.spawner, logger, signal: interrupted.signal });
    if (stopSignal) {
      logger.info(`received ${stopSignal} while running the start hooks; no program started, exiting`);
      return stoppedBySignalCode(stopSignal as Parameters<typeof stoppedBySignalCode>[0]);
    }
    return { env: after };
  } finally {
    unsubscribe();
  }
}

/** Processes the programs left behind (daemonised children, orphans): TERM, then KILL after grace. */
async function stopLeftovers(runtime: ReturnType<typeof startPid1>, graceMs: number, logger: Logger): Promise<void> {
  const left = await terminateLeftovers(runtime.sys, graceMs, { killNow: () => false });
  if (left.terminated > 0) logger.info("stopped leftover processes", { ...left });
}
