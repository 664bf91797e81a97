export { SessionSchema, type SessionSpec } from "./schema.js";
export { prepareSession, ROUTING_PROGRAM, type SessionFacts, type SessionPrepared } from "./prepare.js";
export { IdleMonitor, type IdleReport } from "./idle.js";
export { sessionIdleMonitor } from "./runtime.js";
