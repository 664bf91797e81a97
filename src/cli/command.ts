// What a subcommand is: a name, its help text, and a function from arguments to an exit code.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError, FoyerError, ExitCode } from "../errors.js";

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  help: { type: "boolean", short: "h" },
  "log-format": { type: "string" },
  "log-level": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** A subcommand's implementation (its one-line summary lives in commands.ts, to keep --help cheap). */
export interface Command {
  name: string;
  /** full --help text (usage line first) */
  help: string;
  run(argv: string[]): Promise<number>;
}

/** Parse a command's arguments; an unknown flag is a usage error naming the flag (exit 2). */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  argv: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(`foyer ${command}: ${(err as Error).message.replace(/^.*?: /, "")}\nsee: foyer ${command} --help`);
  }
}

/** Wrong command-line usage (exit 2, like most CLIs). */
export class UsageError extends FoyerError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Split `foyer run [opts] -- CMD ARGS` into (opts, CMD ARGS). */
export function splitAtDoubleDash(argv: string[]): { before: string[]; after: string[] | undefined } {
  const i = argv.indexOf("--");
  return i < 0 ? { before: argv, after: undefined } : { before: argv.slice(0, i), after: argv.slice(i + 1) };
}

export { ConfigError, ExitCode };
