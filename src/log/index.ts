// Logging and secret redaction.
export { Redactor, MIN_SECRET_LENGTH, encodedForms } from "./redact.js";
export { Logger, stderrLogger, memoryLogger, LOG_LEVELS } from "./logger.js";
export type { LogLevel, LogFormat, LogSink } from "./logger.js";
