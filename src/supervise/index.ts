// Public interface of the supervisor: runSupervisor for `foyer run`, the control client for `foyer ctl`.
export { runSupervisor, runStartHooks, MAIN_PROGRAM } from "./run.js";
export type { RunSupervisorOptions, SignalSource, StartHooksOptions } from "./run.js";
export type { SupervisorSecrets } from "./env.js";
export type { OutputSinks } from "./output.js";
export { controlRequest } from "./control.js";
export type { ControlRequest, ControlResponse } from "./control.js";
export type { StatusReport } from "./status.js";
export type { ProgramSnapshot } from "./program.js";
export { HookError } from "./hooks.js";
