// runSupervisor: the supervise phase of `foyer run`, from a validated spec to the container's exit
// code. init hooks → programs in dependency order → wait → ordered shutdown → finish hooks.
import type { Server } from "node:net";
import type { Server as HttpServer } from "node:http";
import type { Spec, Program } from "../spec/schema.js";
import type { Spawner } from "../pid1/types.js";
import type { Logger } from "../log/index.js";
import { configError } from "../errors.js";
import { programEnv, sharedEnv, type SupervisorSecrets } from "./env.js";
import { OutputMux, type OutputSinks } from "./output.js";
import type { ProgramDef } from "./program.js";
import { Supervisor } from "./supervisor.js";
import { runHookDir } from "./hooks.js";
import { MAIN_PROGRAM } from "./order.js";
import { isReady, type StatusReport } from "./status.js";
import { startControlServer, type ControlHandler } from "./control.js";
import { realClock, settlesWithin, type Clock } from "../time/clock.js";

/** Delivers the signals foyer receives (the pid1 signal router); returns an unsubscribe function. */
export interface SignalSource {
  subscribe(listener: (signal: string) => void): () => void;
}

/** Everything the supervise phase needs; the CLI composes it. */
export interface RunSupervisorOptions {
  spec: Spec;
  /** the program from `foyer run -- CMD`: critical, never restarted, foyer's terminal and signals */
  main?: { argv: string[] };
  spawner: Spawner;
  logger: Logger;
  /** foyer's own environment (the programs inherit it, minus secret sources) */
  baseEnv: Record<string, string>;
  secrets: SupervisorSecrets;
  signals: SignalSource;
  /** default: spec.log.format */
  logFormat?: "text" | "json";
  /** default: foyer's stdout/stderr */
  sinks?: OutputSinks;
  /** default: the real clock */
  clock?: Clock;
}

/** How long queued program output may take to leave foyer before it exits anyway. */
const FLUSH_WAIT_MS = 5000;

export { MAIN_PROGRAM };

/** Supervise the spec's programs (and the main program) until the container should end; returns its exit code. */
export async function runSupervisor(opts: RunSupervisorOptions): Promise<number> {
  const { spec, logger, secrets } = opts;
  const clock = opts.clock ?? realClock();
  const now = (): number => clock.now();
  const programs = Object.entries(spec.programs).map(([name, p]) => programDef(name, p));
  if (opts.main) {
    programs.push(mainDef(opts.main.argv, programs, spec));
  }
  const sinks = opts.sinks ?? { stdout: process.stdout, stderr: process.stderr };
  const output = new OutputMux({
    format: opts.logFormat ?? spec.log.format,
    sinks,
    now,
    redactor: logger.options.redactor,
    // foyer's stdout piped into `head`, or a log collector gone: keep supervising without it
    onSinkError: (stream, err) =>
      logger.warn(`foyer's ${stream} is closed (${(err as NodeJS.ErrnoException).code ?? err.message}); program output to it is dropped from now on`),
  });
  let shared = sharedEnv(opts.baseEnv, spec.env, secrets);
  const specFor = (name: string): Pick<Program, "env" | "unset" | "secrets"> => spec.programs[name] ?? { env: {}, unset: [], secrets: {} };
  const envFor = (name: string): Record<string, string> => programEnv({ shared, name, ...specFor(name) }, secrets);
  // throws ConfigError (unknown `after`, cycles) before anything starts
  const sup = new Supervisor({ programs, deps: { spawner: opts.spawner, output, logger, clock }, envFor, deadline: spec.shutdown.deadline, ...(opts.main ? { mainName: MAIN_PROGRAM } : {}) });
  const report = (): StatusReport => {
    const list = sup.snapshot().map((p) => ({ ...p, lines: output.lastLines(p.name) }));
    return { phase: sup.phase, now: now(), startedAt: sup.startedAt, ready: isReady(list, sup.phase), programs: list };
  };
  const unsubscribe = opts.signals.subscribe((signal) => sup.onSignal(signal));
  const servers: Array<Server | HttpServer> = [];
  try {
    if (spec.health) servers.push(await startHealth(spec.health.listen, report));
    if (spec.control.enabled) {
      await startControlServer(spec.control.socket, controlHandler(sup, report)).then(
        (s) => servers.push(s),
        (err: Error) => logger.warn(`control socket disabled: ${err.message}`),
      );
    }
    // a TERM while init hooks run interrupts them, and no program starts
    const interrupted = new AbortController();
    void sup.stopRequested.then(() => interrupted.abort());
    for (const hook of spec.hooks.init ?? []) {
      if (interrupted.signal.aborted) break;
      shared = await runHookDir({ phase: "init", hook, env: shared, spawner: opts.spawner, logger, output, clock, signal: interrupted.signal });
    }
    if (programs.length === 0) sup.requestShutdown("no programs to supervise", 0);
    else if (!interrupted.signal.aborted) sup.startAll();
    await sup.stopRequested;
    const code = await sup.shutdown();
    if (spec.hooks.finish) await runFinishHooks(spec, shared, opts, output, clock);
    logger.info(`exiting with code ${code}`);
    return code;
  } finally {
    unsubscribe();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    // the caller exits the process next: program lines still queued for a slow stdout must not be lost
    await settlesWithin(clock, FLUSH_WAIT_MS, output.flush());
  }
}

// loaded only when configured (node:http costs ~3 MB of RSS); a taken port is a configuration problem
async function startHealth(listen: { host: string; port: number }, report: () => StatusReport): Promise<HttpServer> {
  try {
    return await (await import("./health.js")).startHealthServer(listen, report);
  } catch (err) {
    throw configError("health.listen", `cannot listen on ${listen.host}:${listen.port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function runFinishHooks(spec: Spec, env: Record<string, string>, opts: RunSupervisorOptions, output: OutputMux, clock: Clock): Promise<void> {
  try {
    for (const hook of spec.hooks.finish ?? []) env = await runHookDir({ phase: "finish", hook, env, spawner: opts.spawner, logger: opts.logger, output, clock });
  } catch (err) {
    // the programs are already stopped: a failing finish hook is reported, the exit code stays the programs'
    opts.logger.error((err as Error).message);
  }
}

/** A spec program as the runner sees it. */
export function programDef(name: string, p: Program): ProgramDef {
  return {
    name,
    argv: argvOf(p.command),
    ...(p.cwd ? { cwd: p.cwd } : {}),
    ...(p.user ? { user: p.user } : {}),
    ...(p.umask !== undefined ? { umask: p.umask } : {}),
    stdio: "pipe",
    group: "session",
    oneshot: p.oneshot,
    autostart: p.autostart,
    critical: p.critical ?? false,
    after: p.after,
    ...(p.ready ? { ready: p.ready } : {}),
    restart: p.restart,
    backoff: p.backoff,
    stop: p.stop,
    ...(p.down ? { down: { argv: argvOf(p.down.command), retries: p.down.retries, ...(p.down.timeout !== undefined ? { timeout: p.down.timeout } : {}) } } : {}),
  };
}

// a string command is run by /bin/sh -c (the schema allows one only with `shell: true`)
const argvOf = (command: string | string[]): string[] => (Array.isArray(command) ? command : ["/bin/sh", "-c", command]);

// The `-- CMD` program: tini-like (foyer's terminal, critical, never restarted), after every autostart program.
function mainDef(argv: string[], others: ProgramDef[], spec: Spec): ProgramDef {
  return {
    name: MAIN_PROGRAM,
    argv,
    stdio: "inherit",
    group: "foreground",
    oneshot: false,
    autostart: true,
    critical: true,
    after: others.filter((p) => p.autostart).map((p) => p.name),
    restart: "never",
    backoff: { initial: 0, max: 0, retries: 0 },
    stop: { signal: "TERM", grace: Math.min(10_000, spec.shutdown.deadline) },
  };
}

function controlHandler(sup: Supervisor, report: () => StatusReport): ControlHandler {
  return async (req) => {
    if (req.cmd === "status") return { ok: true, ...report() };
    const runner = sup.runners.get(req.program);
    if (!runner) return { ok: false, error: `no program named '${req.program}' (programs: ${[...sup.runners.keys()].join(", ")})` };
    if (sup.phase === "stopping" || sup.phase === "stopped") return { ok: false, error: "foyer is shutting down" };
    if (req.cmd === "stop" || req.cmd === "restart") await runner.stop();
    if (req.cmd === "start" || req.cmd === "restart") {
      runner.start();
      await runner.settled();
    }
    return { ok: true, program: runner.snapshot() };
  };
}
