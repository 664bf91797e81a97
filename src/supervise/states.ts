// The one state machine of a supervised program. Imports nothing: every move is data in, data out,
// checked against an allowed-from table, so an impossible move is a loud bug instead of a silent one.

/** Where a program is in its life. */
export const STATES = [
  "STOPPED", // not started (yet), or stopped on purpose
  "STARTING", // spawned, waiting for its readiness probe (a oneshot: waiting for it to finish)
  "RUNNING", // ready: its probe passed (or it has none)
  "BACKOFF", // failed; waiting for the next retry
  "STOPPING", // stop signal sent, waiting for it to exit (KILL after the grace period)
  "ABORTING", // not ready in time: stop signal sent (KILL after the grace period); its exit is a failed start
  "EXITED", // ended on its own and will not be restarted (restart policy said no)
  "FATAL", // failed more often than its retry limit allows; not restarted
  "SUCCEEDED", // a oneshot that exited 0
  "FAILED", // a oneshot that failed and will not be retried
] as const;
export type StateName = (typeof STATES)[number];

/** States with a live (or about-to-be-spawned) process or timer to stop. */
export const ACTIVE_STATES: readonly StateName[] = ["STARTING", "RUNNING", "BACKOFF", "STOPPING", "ABORTING"];
/** States from which `start` may begin a new run. */
export const STARTABLE_STATES: readonly StateName[] = ["STOPPED", "EXITED", "FATAL", "SUCCEEDED", "FAILED"];
/** States that count as "ready" for dependents. */
export const READY_STATES: readonly StateName[] = ["RUNNING", "SUCCEEDED"];

/** The machine's memory: the state and the consecutive failed starts/crashes. */
export interface MachineState {
  name: StateName;
  failures: number;
}

/** The program's settings that decide moves. */
export interface MachinePolicy {
  oneshot: boolean;
  restart: "never" | "on-failure" | "always";
  retries: number;
}

/** Something that happened to a program. */
export type MachineEvent =
  | { type: "start" }
  | { type: "ready" }
  | { type: "start-timeout" }
  | { type: "retry" }
  | { type: "stop" }
  | { type: "stop-timeout" }
  /** `ok`: exit code 0; `stable`: it had been ready long enough that earlier failures are forgiven */
  | { type: "exit"; ok: boolean; stable: boolean };

/** What the runner must do after a move. */
export type Effect =
  | "spawn"
  | "signal-stop" // send the stop signal, arm the grace timer
  | "kill" // SIGKILL the whole process group
  | "schedule-retry"
  | "cancel-retry"
  | "announce-ready"
  | "announce-end"; // reached a state it will not leave on its own (EXITED, FATAL, SUCCEEDED, FAILED, STOPPED)

/** A move's result. */
export interface Transition {
  state: MachineState;
  effects: Effect[];
}

/** An event that is impossible in the current state: a bug in the supervisor, never user error. */
export class IllegalTransition extends Error {
  constructor(program: string, state: StateName, event: MachineEvent["type"], allowed: readonly StateName[]) {
    super(`program ${program}: event '${event}' is not allowed in state ${state} (allowed in: ${allowed.join(", ")})`);
    this.name = "IllegalTransition";
  }
}

/** Where each event may happen. */
export const ALLOWED_FROM: Record<MachineEvent["type"], readonly StateName[]> = {
  start: STARTABLE_STATES,
  ready: ["STARTING"],
  "start-timeout": ["STARTING"],
  retry: ["BACKOFF"],
  stop: ["STARTING", "RUNNING", "BACKOFF", "ABORTING"],
  "stop-timeout": ["STOPPING", "ABORTING"],
  exit: ["STARTING", "RUNNING", "STOPPING", "ABORTING"],
};

const to = (name: StateName, failures: number, ...effects: Effect[]): Transition => ({ state: { name, failures }, effects });

/** Apply one event; throws IllegalTransition when the event cannot happen in this state. */
export function transition(program: string, state: MachineState, event: MachineEvent, policy: MachinePolicy): Transition {
  const allowed = ALLOWED_FROM[event.type];
  if (!allowed.includes(state.name)) throw new IllegalTransition(program, state.name, event.type, allowed);
  const f = state.failures;
  switch (event.type) {
    case "start":
      // STOPPED/EXITED/FATAL/SUCCEEDED/FAILED -> STARTING because someone (startup, ctl) asked; a fresh count
      return to("STARTING", 0, "spawn");
    case "retry":
      // BACKOFF -> STARTING because the backoff delay is over
      return to("STARTING", f, "spawn");
    case "ready":
      // STARTING -> RUNNING because the readiness probe passed (or there is none)
      return to("RUNNING", f, "announce-ready");
    case "start-timeout":
      // STARTING -> ABORTING because it did not become ready in time: stop it like any stop (its stop
      // signal, KILL only after its grace), but its exit then counts as a failed start
      return to("ABORTING", f, "signal-stop");
    case "stop":
      // BACKOFF -> STOPPED because there is no process, only a retry timer to cancel
      if (state.name === "BACKOFF") return to("STOPPED", f, "cancel-retry", "announce-end");
      // ABORTING -> STOPPING because it is already being stopped (signal sent, grace running); now
      // its exit is the one we asked for, not a failed start to retry
      if (state.name === "ABORTING") return to("STOPPING", f);
      // STARTING/RUNNING -> STOPPING because we asked it to stop; it gets its grace period
      return to("STOPPING", f, "signal-stop");
    case "stop-timeout":
      // STOPPING/ABORTING -> same because the grace period ran out: KILL the group and keep waiting for the exit
      return to(state.name, f, "kill");
    case "exit":
      return onExit(state, event, policy);
  }
}

function onExit(state: MachineState, event: { ok: boolean; stable: boolean }, policy: MachinePolicy): Transition {
  // STOPPING -> STOPPED because the exit was the one we asked for
  if (state.name === "STOPPING") return to("STOPPED", state.failures, "announce-end");
  // ABORTING -> BACKOFF/FATAL because it was stopped for not becoming ready: a failed start, whatever the code
  if (state.name === "ABORTING") return retryOr(policy.oneshot ? "FAILED" : "FATAL", state.failures + 1, policy);
  if (policy.oneshot) {
    // STARTING -> SUCCEEDED because a oneshot finished its job
    if (event.ok) return to("SUCCEEDED", 0, "announce-ready", "announce-end");
    return retryOr("FAILED", state.failures + 1, policy);
  }
  if (state.name === "STARTING") {
    // STARTING -> BACKOFF/FATAL because it ended before it was ready: a failed start, whatever the code
    return retryOr("FATAL", state.failures + 1, policy);
  }
  const wanted = policy.restart === "always" || (policy.restart === "on-failure" && !event.ok);
  // RUNNING -> EXITED because the restart policy does not restart this exit
  if (!wanted) return to("EXITED", state.failures, "announce-end");
  // RUNNING -> BACKOFF/FATAL because it crashed; a long healthy run forgives earlier failures
  return retryOr("FATAL", (event.stable ? 0 : state.failures) + 1, policy);
}

function retryOr(final: "FATAL" | "FAILED", failures: number, policy: MachinePolicy): Transition {
  // -> BACKOFF because the restart policy allows another try and the limit is not reached
  if (policy.restart !== "never" && failures <= policy.retries) return to("BACKOFF", failures, "schedule-retry");
  // -> FATAL/FAILED because restarts are off or the retry limit is used up
  return to(final, failures, "announce-end");
}

/** Delay before retry number `failures` (1-based): initial × 2^(failures-1), capped at max. */
export function backoffDelay(failures: number, initialMs: number, maxMs: number): number {
  if (failures <= 0 || initialMs <= 0) return 0;
  const exp = Math.min(failures - 1, 40);
  return Math.min(maxMs, initialMs * 2 ** exp);
}
