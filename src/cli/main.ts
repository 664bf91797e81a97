// Entry point of the foyer binary: pick the subcommand, run it, turn errors into exit codes.
// This is the only place (with src/pid1's exec paths) that ends the process.
import { FoyerError, ExitCode } from "../errors.js";
import { COMMANDS } from "./commands.js";

const USAGE = `foyer ${FOYER_VERSION}: prepare a data-science container, then supervise it as PID 1

usage: foyer <command> [options]

commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(18)} ${c.summary}`).join("\n")}

Spec: --spec FILE, else $FOYER_SPEC, else /etc/foyer/foyer.yaml if present.
Exit codes: program's own, 128+signal, 78 bad configuration, 126/127 cannot execute, 70 internal error.
Run 'foyer <command> --help' for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
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
  if (rest[0] !== "--" && (rest.includes("--help") || rest.includes("-h")) && !rest.slice(0, rest.indexOf("--help")).includes("--")) {
    process.stdout.write(command.help.endsWith("\n") ? command.help : command.help + "\n");
    return 0;
  }
  return command.run(rest);
}

/** Print an error the way users should see it: a message, never a bare stack trace. */
function report(err: unknown): number {
  if (err instanceof FoyerError) {
    // usage errors already name their command ("foyer run: ..."); don't say "foyer:" twice
    process.stderr.write(err.message.startsWith("foyer ") ? `${err.message}\n` : `foyer: ${err.message}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`foyer: internal error: ${message}\n`);
  if (process.env.FOYER_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + "\n");
  return ExitCode.internal;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = report(err);
  },
);
