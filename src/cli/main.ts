// Entry point of the foyer binary: pick the subcommand, run it, turn errors into exit codes.
// This is the only place (with src/pid1's exec paths) that ends the process.
import { FoyerError, ExitCode } from "../errors.js";
import { openSignalInbox } from "../pid1/signals.js";
import { COMMANDS } from "./commands.js";

const USAGE = `foyer ${FOYER_VERSION}: prepare a data-science container, then supervise it as PID 1

usage: foyer <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(18)} ${c.summary}`).join("\n")}

Spec: --spec FILE, else $FOYER_SPEC, else /etc/foyer/foyer.yaml if present.
Exit codes: program's own, 128+signal, 78 bad configuration, 126/127 cannot execute, 70 internal error,
141 when the reader of foyer's output went away (like a tool killed by SIGPIPE).
Run 'foyer <command> --help' for a command's options.
`;

/** What a Unix tool killed by SIGPIPE reports (128 + 13). */
const EXIT_BROKEN_PIPE = 141;

const argv = process.argv.slice(2);
// `run` and `exec-as` supervise: their output is the programs', and a reader that went away must
// not stop them (the supervisor drops what it cannot write). Every other command is a short tool.
const supervising = argv[0] === "run" || (argv[0] === "exec-as" && argv[1] !== "__exec");
handleStdioErrors(supervising);
handleLastResortErrors();
// Before anything slow (module loading, the spec, the plan): a TERM from now on is kept, not lost.
// Not for the trampoline (`exec-as __exec`): until it execs, a TERM must kill it with the default action.
// `users sync --every` is a long-running program under a supervisor too: a TERM while it starts ends it cleanly.
const periodicSync = argv[0] === "users" && argv.some((a) => a === "--every" || a.startsWith("--every="));
// `init` runs as PID 1 of an initContainer: a TERM must end it (128+n) instead of being ignored.
if (supervising || periodicSync || argv[0] === "init") openSignalInbox();

async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    process.stdout.write(`foyer ${FOYER_VERSION} (node ${process.version})\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`foyer: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  const command = await entry.load();
  const own = command.ownArgs?.(rest) ?? (rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest);
  if (own.includes("--help") || own.includes("-h")) {
    process.stdout.write(command.help.endsWith("\n") ? command.help : command.help + "\n");
    return 0;
  }
  return command.run(rest);
}

/** Print an error the way users should see it: a message, never a bare stack trace. */
function report(err: unknown): number {
  if (err instanceof FoyerError) {
    // usage errors already name their command ("foyer run: ..."); don't say "foyer:" twice
    writeStderr(err.message.startsWith("foyer ") ? `${err.message}\n` : `foyer: ${err.message}\n`);
    return err.exitCode;
  }
  writeStderr(`foyer: internal error: ${oneLine(err)}\n`);
  if (process.env.FOYER_DEBUG && err instanceof Error && err.stack) writeStderr(err.stack + "\n");
  return ExitCode.internal;
}

/**
 * foyer's own stdout/stderr failing (the reader of `foyer plan | head -1` exited: EPIPE; a full
 * disk; a closed terminal) must never crash it with a stack trace. A short command stops quietly,
 * 141 for a broken pipe like a tool killed by SIGPIPE; a supervising foyer keeps supervising and
 * simply loses that output.
 */
function handleStdioErrors(keepRunning: boolean): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.once("error", (err: NodeJS.ErrnoException) => {
      stream.on("error", () => {}); // a destroyed stream stays quiet, but never let a later error crash foyer
      if (keepRunning) {
        if (stream === process.stdout) writeStderr(`foyer: stdout failed (${err.code ?? err.message}); program output to stdout is dropped from now on\n`);
        return;
      }
      if (err.code === "EPIPE") process.exit(EXIT_BROKEN_PIPE);
      if (stream === process.stdout) writeStderr(`foyer: cannot write to stdout: ${err.code ?? err.message}\n`);
      process.exit(ExitCode.internal);
    });
  }
}

/** A bug that escaped every handler: one line and exit 70, never Node's stack trace. */
function handleLastResortErrors(): void {
  const die = (err: unknown) => {
    writeStderr(`foyer: internal error: ${oneLine(err)}\n`);
    if (process.env.FOYER_DEBUG && err instanceof Error && err.stack) writeStderr(err.stack + "\n");
    process.exit(ExitCode.internal);
  };
  process.on("uncaughtException", die);
  process.on("unhandledRejection", die);
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n")[0] || (err instanceof Error ? err.name : "unknown error");
}

// stderr may itself be gone (EPIPE, EIO): a report that cannot be written is dropped, not thrown.
function writeStderr(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // nowhere left to say it
  }
}

main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = report(err);
  },
);
