// --log-level / --log-format → a stderr Logger. Imports only src/log, so the PID 1 path
// (`run -- CMD`, `exec-as`) can use it without loading the spec's schema.
import { LOG_LEVELS, Redactor, stderrLogger, type LogFormat, type LogLevel, type Logger } from "../log/index.js";
import { UsageError } from "./command.js";

/** A validated log level, or the fallback when the flag is absent. */
export function pickLevel(flag: string | undefined, fallback: LogLevel): LogLevel {
  if (flag === undefined) return fallback;
  if (!(LOG_LEVELS as readonly string[]).includes(flag)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got '${flag}'`);
  return flag as LogLevel;
}

/** A validated log format, or the fallback when the flag is absent. */
export function pickFormat(flag: string | undefined, fallback: LogFormat): LogFormat {
  if (flag === undefined) return fallback;
  if (flag !== "text" && flag !== "json") throw new UsageError(`--log-format must be text or json, got '${flag}'`);
  return flag;
}

/** The logger for commands without a spec (stderr, info and text unless the flags say otherwise). */
export function cliLogger(level: string | undefined, format: string | undefined, redactor = new Redactor()): Logger {
  return stderrLogger(pickLevel(level, "info"), pickFormat(format, "text"), redactor);
}
