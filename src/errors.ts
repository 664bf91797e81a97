// Typed errors. Only src/cli turns them into process exit codes; everything else throws.

/** Exit codes from DESIGN.md's command-line contract. */
export const ExitCode = {
  ok: 0,
  config: 78, // EX_CONFIG: bad spec, env or secret; nothing was written
  internal: 70, // EX_SOFTWARE: a bug or an unexpected system error
  notExecutable: 126,
  notFound: 127,
} as const;

/** One problem found in the input, with where it is. */
export interface ConfigIssue {
  /** dotted path in the spec (`programs.rserver.stop.grace`) or a file name */
  path: string;
  message: string;
  /** `file:line:col` when the YAML parser knows it */
  where?: string;
}

/** Base class: every error foyer raises on purpose carries an exit code. */
export class FoyerError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.internal,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad configuration: all issues found, collected before anything is written (exit 78). */
export class ConfigError extends FoyerError {
  constructor(readonly issues: ConfigIssue[]) {
    super(ConfigError.format(issues), ExitCode.config);
  }

  /** zod-prettify style: `✖ message → at path (file:line:col)` one per line. */
  static format(issues: ConfigIssue[]): string {
    const lines = issues.map((i) => `✖ ${i.message}\n  → at ${i.path || "(spec)"}${i.where ? ` (${i.where})` : ""}`);
    return `invalid configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
  }
}

/** Shorthand for a single-issue ConfigError. */
export function configError(path: string, message: string, where?: string): ConfigError {
  return new ConfigError([{ path, message, ...(where ? { where } : {}) }]);
}
