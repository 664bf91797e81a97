// `foyer run` with a spec: load → validate → apply (like init) → supervise the spec's programs (and
// the `-- CMD` main program) as PID 1 → stop leftovers → exit with the container's code.
import { startPid1, terminateLeftovers } from "../pid1/index.js";
import { runSupervisor } from "../supervise/index.js";
import type { Logger } from "../log/index.js";
import { SCOPES } from "../check/index.js";
import { makeLogger, type CommonFlags } from "./context.js";
import { applyPrepared } from "./cmd-init.js";
import { prepare } from "./prepare.js";

/** Run the full start for a spec; resolves to foyer's exit code. */
export async function runWithSpec(flags: CommonFlags, main: string[] | undefined, graceMs: number, env: Record<string, string>): Promise<number> {
  // every check (with "main" taken when -- CMD is given, and the health port) before any write
  const prepared = await prepare(flags, SCOPES.run(main !== undefined), env);
  const { loaded } = prepared;
  const logger = makeLogger(flags, loaded);
  applyPrepared(prepared, logger);
  const runtime = startPid1(logger);
  const listeners = new Set<(signal: string) => void>();
  const unroute = runtime.routeSignals((signal) => listeners.forEach((l) => l(signal)));
  try {
    const code = await runSupervisor({
      spec: loaded.spec,
      ...(main ? { main: { argv: main } } : {}),
      spawner: runtime.spawner,
      logger,
      logFormat: logger.options.format,
      baseEnv: env,
      secrets: loaded.secrets,
      signals: {
        subscribe: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
    });
    await stopLeftovers(runtime, graceMs, logger);
    return code;
  } finally {
    unroute();
  }
}

/** Processes the programs left behind (daemonised children, orphans): TERM, then KILL after grace. */
async function stopLeftovers(runtime: ReturnType<typeof startPid1>, graceMs: number, logger: Logger): Promise<void> {
  const left = await terminateLeftovers(runtime.sys, graceMs, { killNow: () => false });
  if (left.terminated > 0) logger.info("stopped leftover processes", { ...left });
}
