// foyer's own log lines: readable text by default, one JSON object per line with --log-format json.
// Everything is redacted before it is written.
import { Redactor } from "./redact.js";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = "text" | "json";

/** Where log lines go; injected so tests can capture them. */
export interface LogSink {
  write(line: string): void;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  sink: LogSink;
  redactor: Redactor;
  now: () => Date;
}

/** A levelled, redacting logger. */
export class Logger {
  constructor(readonly options: LoggerOptions) {}

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.log("debug", msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.log("info", msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.log("warn", msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.log("error", msg, fields);
  }

  /** True when lines at this level are written. */
  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(this.options.level);
  }

  log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (!this.enabled(level)) return;
    const { format, sink, redactor, now } = this.options;
    // values are redacted before they are encoded (JSON escaping would otherwise hide a secret
    // holding a quote or a newline from the search), and the encoded line once more after
    const safeMsg = redactor.redact(msg);
    const safeFields = redactor.redactDeep(fields);
    if (format === "json") {
      const record = { time: now().toISOString(), level, source: "foyer", msg: safeMsg, ...safeFields };
      sink.write(redactor.redact(JSON.stringify(record)) + "\n");
      return;
    }
    const extra = Object.entries(safeFields)
      .map(([k, v]) => `${k}=${typeof v === "string" && !/\s/.test(v) ? v : JSON.stringify(v)}`)
      .join(" ");
    sink.write(redactor.redact(`foyer ${level.padEnd(5)} ${safeMsg}${extra ? " " + extra : ""}`) + "\n");
  }
}

/** A logger writing to stderr. */
export function stderrLogger(level: LogLevel, format: LogFormat, redactor: Redactor): Logger {
  return new Logger({ level, format, redactor, sink: { write: writeStderr }, now: () => new Date() });
}

/**
 * How much of foyer's own log may wait for a stderr that does not drain (a stalled log collector):
 * past it, lines are dropped and counted, and the count is said once stderr drains. Holding them
 * all would grow PID 1 without bound (a crash-looping program logs a few lines per restart).
 */
const MAX_QUEUED_STDERR_BYTES = 1024 * 1024;
let droppedLines = 0;

// A log line must never take foyer down: when stderr is a file, a failed write (EIO, ENOSPC) throws
// here; on a pipe or terminal it is an 'error' event, which src/cli/main.ts handles.
function writeStderr(line: string): void {
  try {
    if (process.stderr.writableLength > MAX_QUEUED_STDERR_BYTES) {
      if (droppedLines++ === 0) process.stderr.once("drain", reportDropped);
      return;
    }
    process.stderr.write(line);
  } catch {
    // the line is lost; there is nowhere else to say so
  }
}

function reportDropped(): void {
  const n = droppedLines;
  droppedLines = 0;
  writeStderr(`foyer warn  ${n} log line(s) dropped: stderr was not being read\n`);
}

/** A logger that keeps its lines in memory (tests, and plan output capture). */
export function memoryLogger(level: LogLevel = "debug", redactor = new Redactor()): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = new Logger({ level, format: "text", redactor, sink: { write: (l) => void lines.push(l) }, now: () => new Date(0) });
  return Object.assign(logger, { lines });
}
