// `foyer run`: the full start. With a spec: load → validate → apply → supervise (run-spec.ts, loaded
// only then). Without one: `foyer run -- CMD` = `tini -g -- CMD`, which must start fast as PID 1.
import type { Logger } from "../log/index.js";
import { runBurstSelfTest, runMain } from "../pid1/index.js";
import { findSpecPath } from "../spec/locate.js";
import { parseDuration } from "../spec/duration.js";
import { cliLogger } from "./log-flags.js";
import { parseCommandArgs, splitCommandLine, UsageError, type Command } from "./command.js";

const DEFAULT_GRACE = "10s";
const RUN_OPTIONS = { grace: { type: "string" }, spec: { type: "string" } } as const;

export const runCommand: Command = {
  name: "run",
  help: `usage: foyer run [--grace 10s] [--spec F] [--] [CMD ARGS...]

With a spec (--spec F, $FOYER_SPEC, or /etc/foyer/foyer.yaml): validate everything (exit 78 and
nothing written on any problem), provision the accounts of users: and apply the plan like
'foyer init', run the init hooks, start the
spec's programs in dependency order (a program starts once the programs it comes after are ready),
restart them per policy, serve health/control if configured; on SIGTERM/INT/QUIT or when a critical
program ends, stop them in reverse order, each with its own grace, run the finish hooks, and exit
with the critical program's code. CMD after -- joins as the program "main" (critical, never
restarted; other signals are forwarded to it).

With -- CMD and no spec, foyer is a tini-compatible init for CMD (tini -g): stdio, cwd and the
environment (NODE_OPTIONS included) pass through; signals go to CMD's process group; orphans are
reaped; when CMD exits, processes it left behind get SIGTERM, then SIGKILL after --grace; foyer
exits with CMD's code, 128+n if signal n killed it, 127 if not found, 126 if not executable.

The '--' is optional (like dumb-init): foyer's options end at the first word that is not one, and
everything from CMD on is CMD's (foyer run --grace 2s ls -la). So ENTRYPOINT ["foyer", "run"] with
any image CMD works. A SIGTERM, SIGINT or SIGQUIT that arrives before anything started (while the
spec loads and applies) ends foyer with 128+n, starting nothing.

options:
  --grace D         time between SIGTERM and SIGKILL for leftovers (default ${DEFAULT_GRACE})
  --spec F          the spec (else $FOYER_SPEC, else /etc/foyer/foyer.yaml if present)
  --log-level L     debug|info|warn|error (default info)
  --log-format F    text|json (default text)`,
  ownArgs: (argv) => splitCommandLine(argv, RUN_OPTIONS).own,
  async run(argv) {
    if (argv[0] === "__selftest-burst") return exitNow(await selfTestBurst(argv.slice(1)));
    const { own, cmd } = splitCommandLine(argv, RUN_OPTIONS);
    const { values } = parseCommandArgs("run", own, RUN_OPTIONS);
    const grace = graceMs(values.grace ?? DEFAULT_GRACE, "run");
    if (cmd !== undefined && cmd.length === 0) throw new UsageError("foyer run: nothing after '--' (expected -- CMD ARGS...)");
    if (findSpecPath(values.spec, process.env) !== undefined) {
      const { runWithSpec } = await import("./run-spec.js");
      return exitNow(await runWithSpec(values, cmd, grace, inheritedEnv()));
    }
    if (cmd === undefined) throw new UsageError("foyer run: no spec found (--spec, $FOYER_SPEC, /etc/foyer/foyer.yaml) and no CMD to run");
    return exitNow(await runWithoutSpec(cmd, grace, cliLogger(values["log-level"], values["log-format"])));
  },
};

/** The no-spec path: CMD is the main program, foyer is its init. */
async function runWithoutSpec(cmd: string[], grace: number, logger: Logger): Promise<number> {
  return runMain(cmd, { graceMs: grace, logger, env: inheritedEnv(), group: "foreground", exactArgv: true });
}

/** The environment foyer itself received, passed through untouched. */
export function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** --grace of `command`: "10s", "500ms", "2m", or plain seconds (the spec's duration syntax). */
export function graceMs(text: string, command: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`foyer ${command}: --grace expects a duration like 10s or 500ms, got '${text}'`);
  return ms;
}

// Test support (documented in docs/pid1.md): `foyer run __selftest-burst ORPHANS CHILDREN`.
async function selfTestBurst(args: string[]): Promise<number> {
  const [orphans, children] = args.map(Number);
  if (!Number.isInteger(orphans) || !Number.isInteger(children)) throw new UsageError("usage: foyer run __selftest-burst ORPHANS CHILDREN");
  return runBurstSelfTest(orphans!, children!, cliLogger("warn", undefined));
}

// As PID 1 foyer must not linger after its main program: leave now, with its code.
function exitNow(code: number): never {
  process.exit(code);
}
