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
  /** the arguments that are foyer's own (for commands that take a CMD: those before it) */
  ownArgs?(argv: string[]): string[];
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

/**
 * Split `[OPTIONS] [--] CMD ARGS...` the way dumb-init and gosu do: foyer's options end at `--` or
 * at the first word that is neither an option nor an option's value; from CMD on every word is
 * CMD's, even one that looks like an option (`foyer run ls -la`). `leading` positionals (exec-as's
 * USER) stay with the options. `cmd` is undefined when there is none, [] after a bare `--`.
 */
export function splitCommandLine(
  argv: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  leading = 0,
): { own: string[]; cmd: string[] | undefined } {
  const all: NonNullable<ParseArgsConfig["options"]> = { ...GLOBAL_OPTIONS, ...options };
  const takesValue = (arg: string): boolean => {
    if (arg.startsWith("--")) return !arg.includes("=") && all[arg.slice(2)]?.type === "string";
    return arg.length === 2 && Object.values(all).some((o) => o.short === arg[1] && o.type === "string");
  };
  let positionals = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return { own: argv.slice(0, i), cmd: argv.slice(i + 1) };
    if (arg.startsWith("-") && arg !== "-") {
      if (takesValue(arg)) i++;
      continue;
    }
    if (positionals++ < leading) continue;
    return { own: argv.slice(0, i), cmd: argv.slice(i) };
  }
  return { own: argv, cmd: undefined };
}

export { ConfigError, ExitCode };
