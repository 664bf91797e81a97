import { describe, expect, it } from "vitest";
import { ALLOWED_FROM, IllegalTransition, STATES, backoffDelay, transition, type MachinePolicy, type MachineState, type StateName } from "../../../src/supervise/states.js";

const longrun: MachinePolicy = { oneshot: false, restart: "on-failure", retries: 2 };
const oneshot: MachinePolicy = { oneshot: true, restart: "on-failure", retries: 1 };
const at = (name: StateName, failures = 0): MachineState => ({ name, failures });

describe("program state machine", () => {
  it.each(["STOPPED", "EXITED", "FATAL", "SUCCEEDED", "FAILED"] as const)("%s -> STARTING on start, with a fresh failure count", (s) => {
    expect(transition("p", at(s, 3), { type: "start" }, longrun)).toEqual({ state: at("STARTING", 0), effects: ["spawn"] });
  });

  it("BACKOFF -> STARTING on retry keeps the failure count", () => {
    expect(transition("p", at("BACKOFF", 2), { type: "retry" }, longrun)).toEqual({ state: at("STARTING", 2), effects: ["spawn"] });
  });

  it("STARTING -> RUNNING when ready", () => {
    expect(transition("p", at("STARTING", 1), { type: "ready" }, longrun)).toEqual({ state: at("RUNNING", 1), effects: ["announce-ready"] });
  });

  it("STARTING -> ABORTING on start timeout: the stop signal and grace, never an immediate KILL", () => {
    expect(transition("p", at("STARTING", 1), { type: "start-timeout" }, longrun)).toEqual({ state: at("ABORTING", 1), effects: ["signal-stop"] });
  });

  it("ABORTING: KILL after the grace; its exit is a failed start (BACKOFF, then FATAL; FAILED for a oneshot)", () => {
    expect(transition("p", at("ABORTING"), { type: "stop-timeout" }, longrun)).toEqual({ state: at("ABORTING"), effects: ["kill"] });
    expect(transition("p", at("ABORTING", 0), { type: "exit", ok: true, stable: false }, longrun)).toEqual({ state: at("BACKOFF", 1), effects: ["schedule-retry"] });
    expect(transition("p", at("ABORTING", 2), { type: "exit", ok: false, stable: false }, longrun)).toEqual({ state: at("FATAL", 3), effects: ["announce-end"] });
    expect(transition("p", at("ABORTING", 0), { type: "exit", ok: false, stable: false }, { ...longrun, restart: "never" }).state).toEqual(at("FATAL", 1));
    expect(transition("p", at("ABORTING", 1), { type: "exit", ok: true, stable: false }, oneshot).state).toEqual(at("FAILED", 2));
  });

  it("ABORTING -> STOPPING on stop (signal already sent, grace running): its exit is then a stop, not a retry", () => {
    expect(transition("p", at("ABORTING", 1), { type: "stop" }, longrun)).toEqual({ state: at("STOPPING", 1), effects: [] });
    expect(transition("p", at("STOPPING", 1), { type: "exit", ok: false, stable: false }, longrun).state).toEqual(at("STOPPED", 1));
  });

  it("STARTING/RUNNING -> STOPPING on stop; BACKOFF -> STOPPED cancels the retry", () => {
    expect(transition("p", at("RUNNING"), { type: "stop" }, longrun)).toEqual({ state: at("STOPPING"), effects: ["signal-stop"] });
    expect(transition("p", at("STARTING"), { type: "stop" }, longrun)).toEqual({ state: at("STOPPING"), effects: ["signal-stop"] });
    expect(transition("p", at("BACKOFF", 1), { type: "stop" }, longrun)).toEqual({ state: at("STOPPED", 1), effects: ["cancel-retry", "announce-end"] });
  });

  it("STOPPING stays STOPPING on stop-timeout and KILLs; its exit -> STOPPED", () => {
    expect(transition("p", at("STOPPING"), { type: "stop-timeout" }, longrun)).toEqual({ state: at("STOPPING"), effects: ["kill"] });
    expect(transition("p", at("STOPPING"), { type: "exit", ok: false, stable: false }, longrun).state.name).toBe("STOPPED");
  });

  it("an exit before ready is a failed start: BACKOFF until the retry limit, then FATAL", () => {
    expect(transition("p", at("STARTING", 0), { type: "exit", ok: true, stable: false }, longrun)).toEqual({ state: at("BACKOFF", 1), effects: ["schedule-retry"] });
    expect(transition("p", at("STARTING", 1), { type: "exit", ok: false, stable: false }, longrun).state).toEqual(at("BACKOFF", 2));
    expect(transition("p", at("STARTING", 2), { type: "exit", ok: false, stable: false }, longrun)).toEqual({ state: at("FATAL", 3), effects: ["announce-end"] });
  });

  it("restart: never makes a failed start FATAL at once", () => {
    expect(transition("p", at("STARTING"), { type: "exit", ok: false, stable: false }, { ...longrun, restart: "never" }).state).toEqual(at("FATAL", 1));
  });

  it("RUNNING -> EXITED when the policy does not restart this exit", () => {
    expect(transition("p", at("RUNNING"), { type: "exit", ok: true, stable: false }, longrun)).toEqual({ state: at("EXITED"), effects: ["announce-end"] });
    expect(transition("p", at("RUNNING"), { type: "exit", ok: false, stable: false }, { ...longrun, restart: "never" }).state.name).toBe("EXITED");
  });

  it("RUNNING -> BACKOFF on a crash (on-failure) and on any exit (always)", () => {
    expect(transition("p", at("RUNNING", 1), { type: "exit", ok: false, stable: false }, longrun).state).toEqual(at("BACKOFF", 2));
    expect(transition("p", at("RUNNING"), { type: "exit", ok: true, stable: false }, { ...longrun, restart: "always" }).state).toEqual(at("BACKOFF", 1));
  });

  it("a crash after a stable run forgives earlier failures; an unstable one goes FATAL at the limit", () => {
    expect(transition("p", at("RUNNING", 2), { type: "exit", ok: false, stable: true }, longrun).state).toEqual(at("BACKOFF", 1));
    expect(transition("p", at("RUNNING", 2), { type: "exit", ok: false, stable: false }, longrun).state).toEqual(at("FATAL", 3));
  });

  it("oneshot: exit 0 -> SUCCEEDED (ready for dependents); failure retries then -> FAILED", () => {
    expect(transition("p", at("STARTING", 1), { type: "exit", ok: true, stable: false }, oneshot)).toEqual({ state: at("SUCCEEDED", 0), effects: ["announce-ready", "announce-end"] });
    expect(transition("p", at("STARTING", 0), { type: "exit", ok: false, stable: false }, oneshot).state).toEqual(at("BACKOFF", 1));
    expect(transition("p", at("STARTING", 1), { type: "exit", ok: false, stable: false }, oneshot).state).toEqual(at("FAILED", 2));
  });

  it("every event outside its allowed states throws, naming program, state and allowed states", () => {
    let checked = 0;
    for (const [event, allowed] of Object.entries(ALLOWED_FROM)) {
      for (const s of STATES.filter((x) => !allowed.includes(x))) {
        const ev = event === "exit" ? { type: "exit" as const, ok: true, stable: false } : ({ type: event } as never);
        expect(() => transition("rserver", at(s), ev, longrun)).toThrow(IllegalTransition);
        expect(() => transition("rserver", at(s), ev, longrun)).toThrow(`program rserver: event '${event}' is not allowed in state ${s} (allowed in: ${allowed.join(", ")})`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});

describe("backoffDelay", () => {
  it("doubles from the initial delay and caps at max", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 1000, 30_000))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
  it("is 0 with initial 0 (tight crash loops in tests) and never overflows", () => {
    expect(backoffDelay(5, 0, 30_000)).toBe(0);
    expect(backoffDelay(10_000, 100, 5000)).toBe(5000);
  });
});
