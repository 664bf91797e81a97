// Shared by the commands: the --spec/--log-* options, loading the spec, and making the logger.
import { Redactor, stderrLogger, type Logger } from "../log/index.js";
import type { LoadedSpec } from "../spec/index.js";
import { pickFormat, pickLevel } from "./log-flags.js";

/** Options shared by every command that reads a spec. */
export const SPEC_OPTIONS = { spec: { type: "string", short: "s" } } as const;

/** The flags as parseArgs returns them. */
export interface CommonFlags {
  spec?: string | undefined;
  "log-format"?: string | undefined;
  "log-level"?: string | undefined;
}

/** A logger from the flags (first), then the spec's log section, then FOYER_LOG_* env vars. */
export function makeLogger(flags: CommonFlags, loaded?: LoadedSpec): Logger {
  const env = process.env;
  const level = pickLevel(flags["log-level"] ?? env.FOYER_LOG_LEVEL, loaded?.spec.log.level ?? "info");
  const format = pickFormat(flags["log-format"] ?? env.FOYER_LOG_FORMAT, loaded?.spec.log.format ?? "text");
  return stderrLogger(level, format, loaded?.redactor ?? new Redactor());
}
