// One supervised program: feeds events to the state machine (states.ts) and carries out its
// effects — spawn, probe, stop signal and grace, KILL of the process group, backoff timers.
import type { ExitStatus, SpawnedProcess, Spawner } from "../pid1/types.js";
import { settlesWithin, type Clock, type TimerHandle } from "../time/clock.js";
import type { Logger } from "../log/index.js";
import type { Ready } from "../spec/schema.js";
import { ACTIVE_STATES, ALLOWED_FROM, READY_STATES, STARTABLE_STATES, backoffDelay, transition, type Effect, type MachineEvent, type MachinePolicy, type MachineState } from "./states.js";
import { probeAttempt, stayedUp, waitReady } from "./probes.js";
import type { OutputMux } from "./output.js";
import { describeExit, seconds, sigName, type RunExit } from "./format.js";
import type { DownDef, DownSnapshot } from "./down.js";

export { seconds, sigName };

/** How long an exited program's pipes may take to deliver its last lines (a daemonised grandchild may hold them open). */
export const PIPE_DRAIN_MS = 300;

/** Everything the runner needs to know about one program. */
export interface ProgramDef {
  name: string;
  argv: string[];
  cwd?: string;
  user?: string;
  umask?: number;
  stdio: "pipe" | "inherit";
  group: "session" | "foreground";
  oneshot: boolean;
  autostart: boolean;
  critical: boolean;
  after: string[];
  ready?: Ready;
  restart: MachinePolicy["restart"];
  backoff: { initial: number; max: number; retries: number };
  stop: { signal: string; grace: number };
  /** a oneshot's command that undoes its work at shutdown */
  down?: DownDef;
}

/** The runner's collaborators. */
export interface RunnerDeps {
  spawner: Spawner;
  output: OutputMux;
  logger: Logger;
  clock: Clock;
  /** the program's environment, computed at each spawn (hook exports may have changed it) */
  env: () => Record<string, string>;
  /** called after every state change */
  changed: (runner: ProgramRunner, from: MachineState["name"]) => void;
}

/** A point-in-time view of a program, for status, metrics and the control socket. */
export interface ProgramSnapshot {
  name: string;
  state: MachineState["name"];
  pid: number | null;
  restarts: number;
  critical: boolean;
  oneshot: boolean;
  ready: boolean;
  startedAt: number | null;
  readyAt: number | null;
  /** `reason`: why foyer stopped that run on its own (e.g. "not ready after 60s") */
  lastExit: RunExit | null;
  /** a oneshot's `down` run at shutdown (only when it has one) */
  down?: DownSnapshot;
}

/** Drives one program through its states. */
export class ProgramRunner {
  state: MachineState = { name: "STOPPED", failures: 0 };
  restarts = 0;
  lastExit: ProgramSnapshot["lastExit"] = null;
  /** a oneshot reached SUCCEEDED at least once: its work is done, and its `down` has something to undo */
  succeededOnce = false;
  private proc: SpawnedProcess | undefined;
  private runs = 0;
  private generation = 0;
  private startedAt: number | null = null;
  private readyAt: number | null = null;
  private graceTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  /** why foyer is stopping the current run on its own (set when it was not ready in time) */
  private abortReason: string | undefined;
  private probeAbort: AbortController | undefined;
  private readonly policy: MachinePolicy;

  constructor(
    readonly def: ProgramDef,
    private readonly deps: RunnerDeps,
  ) {
    this.policy = { oneshot: def.oneshot, restart: def.restart, retries: def.backoff.retries };
  }

  get name(): string {
    return this.def.name;
  }

  /** True while there is a process or a retry timer to stop. */
  get active(): boolean {
    return ACTIVE_STATES.includes(this.state.name);
  }

  /** Start it, unless it is already on its way. Returns false when it was not startable. */
  start(): boolean {
    if (!STARTABLE_STATES.includes(this.state.name)) return false;
    this.dispatch({ type: "start" });
    return true;
  }

  /** Stop it (stop signal, grace, then KILL); resolves once it is no longer active. */
  stop(): Promise<void> {
    if (ALLOWED_FROM.stop.includes(this.state.name)) this.dispatch({ type: "stop" });
    return this.until(() => !this.active);
  }

  /** KILL the process group now (the shutdown deadline has passed). */
  killNow(): void {
    if (this.state.name === "BACKOFF") this.dispatch({ type: "stop" });
    this.proc?.killGroup("SIGKILL");
  }

  /** Send a signal to the program's process group (signal forwarding). */
  signal(signal: string): boolean {
    return this.proc?.killGroup(sigName(signal)) ?? false;
  }

  /** Resolves true once ready (RUNNING, or SUCCEEDED for a oneshot), false if it ended first. */
  settled(): Promise<boolean> {
    return this.until(() => READY_STATES.includes(this.state.name) || (!this.active && this.runs > 0)).then(() =>
      READY_STATES.includes(this.state.name),
    );
  }

  /** A point-in-time view. */
  snapshot(): ProgramSnapshot {
    return {
      name: this.name,
      state: this.state.name,
      pid: this.proc?.pid ?? null,
      restarts: this.restarts,
      critical: this.def.critical,
      oneshot: this.def.oneshot,
      ready: READY_STATES.includes(this.state.name),
      startedAt: this.proc ? this.startedAt : null,
      readyAt: this.state.name === "RUNNING" ? this.readyAt : null,
      lastExit: this.lastExit,
    };
  }

  private readonly waiters: Array<() => boolean> = [];

  private until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(() => (done() ? (resolve(), true) : false)));
  }

  private dispatch(event: MachineEvent): void {
    const from = this.state.name;
    const next = transition(this.name, this.state, event, this.policy);
    this.state = next.state;
    for (const effect of next.effects) this.perform(effect);
    if (from !== this.state.name) {
      this.deps.logger.debug(`${this.name}: ${from} -> ${this.state.name}`, { program: this.name, event: event.type });
      this.deps.changed(this, from);
    }
    for (let i = this.waiters.length - 1; i >= 0; i--) if (this.waiters[i]!()) this.waiters.splice(i, 1);
  }

  private perform(effect: Effect): void {
    switch (effect) {
      case "spawn":
        return this.spawn();
      case "signal-stop":
        this.proc?.killGroup(sigName(this.def.stop.signal));
        this.graceTimer = this.deps.clock.setTimeout(() => this.dispatch({ type: "stop-timeout" }), this.def.stop.grace);
        return;
      case "kill":
        this.deps.logger.warn(`${this.name} did not stop within ${seconds(this.def.stop.grace)} of SIG${this.def.stop.signal}; sending SIGKILL to its process group`, { program: this.name });
        this.proc?.killGroup("SIGKILL");
        return;
      case "schedule-retry": {
        const delay = backoffDelay(this.state.failures, this.def.backoff.initial, this.def.backoff.max);
        this.deps.logger.warn(`${this.name} ${this.describeExit()}; retry ${this.state.failures}/${this.def.backoff.retries} in ${seconds(delay)}`, { program: this.name });
        this.retryTimer = this.deps.clock.setTimeout(() => this.dispatch({ type: "retry" }), delay);
        return;
      }
      case "cancel-retry":
        this.deps.clock.clearTimeout(this.retryTimer);
        return;
      case "announce-ready":
        this.readyAt = this.deps.clock.now();
        if (!this.def.oneshot) this.deps.logger.info(`${this.name} is ready`, { program: this.name, pid: this.proc?.pid });
        return;
      case "announce-end":
        return this.announceEnd();
    }
  }

  private announceEnd(): void {
    const { name } = this;
    const s = this.state.name;
    if (s === "FATAL") this.deps.logger.error(`${name} ${this.describeExit()}; giving up (FATAL) after ${this.state.failures} failed start(s)`, { program: name });
    else if (s === "FAILED") this.deps.logger.error(`oneshot ${name} failed: ${this.describeExit()}`, { program: name });
    else if (s === "SUCCEEDED") {
      this.succeededOnce = true;
      this.deps.logger.info(`oneshot ${name} succeeded`, { program: name });
    }
    else if (s === "EXITED") this.deps.logger.info(`${name} ${this.describeExit()}; not restarted (restart: ${this.def.restart})`, { program: name });
    else this.deps.logger.info(`${name} stopped (${this.describeExit()})`, { program: name });
  }

  private spawn(): void {
    const gen = ++this.generation;
    if (this.runs++ > 0) this.restarts++;
    const d = this.def;
    const proc = this.deps.spawner.spawn({ argv: d.argv, env: this.deps.env(), cwd: d.cwd, user: d.user, umask: d.umask, stdio: d.stdio, group: d.group });
    this.proc = proc;
    this.startedAt = this.deps.clock.now();
    this.readyAt = null;
    this.abortReason = undefined;
    // no pid, or a trampoline whose exec failed: the exit (127/126, with the reason) is on the way
    // and gets logged as a failed start; it never "started", nor became ready for its dependents
    const spawned = proc.pid > 0;
    const streams: Promise<void>[] = [];
    if (proc.stdout) streams.push(this.deps.output.attach(d.name, "stdout", proc.stdout, proc.exited));
    if (proc.stderr) streams.push(this.deps.output.attach(d.name, "stderr", proc.stderr, proc.exited));
    void proc.exited.then(async (status) => {
      // let the pipes drain so the program's last lines come before foyer's "exited" line
      // (bounded: a daemonised grandchild may hold them open)
      await settlesWithin(this.deps.clock, PIPE_DRAIN_MS, Promise.all(streams));
      this.exited(gen, status);
    });
    if (!spawned) return;
    const runs = (): void => {
      this.deps.logger.info(`started ${d.name}`, { program: d.name, pid: proc.pid });
      if (d.oneshot) return;
      if (d.ready) void this.probe(gen, d.ready, proc.pid);
      // no probe: ready once it runs
      else this.dispatch({ type: "ready" });
    };
    if (!proc.running) return runs();
    void proc.running.then((ok) => {
      if (ok && gen === this.generation && this.state.name === "STARTING") runs();
    });
  }

  private async probe(gen: number, ready: Ready, pid: number): Promise<void> {
    const abort = (this.probeAbort = new AbortController());
    const ctx = { spawner: this.deps.spawner, env: this.deps.env(), user: this.def.user, cwd: this.def.cwd, clock: this.deps.clock };
    const result = ready.uptime !== undefined ? await stayedUp(ready.uptime, abort.signal, this.deps.clock) : await waitReady(probeAttempt(ready, ctx), ready, abort.signal, this.deps.clock);
    if (gen !== this.generation || this.state.name !== "STARTING") return;
    if (result === "ready") this.dispatch({ type: "ready" });
    else if (result === "timeout") {
      const { signal, grace } = this.def.stop;
      this.abortReason = `not ready after ${seconds(ready.timeout)}`;
      this.deps.logger.error(`${this.name} (pid ${pid}) ${this.abortReason}; stopping it (SIG${signal.replace(/^SIG/, "")}, SIGKILL after ${seconds(grace)})`, { program: this.name });
      this.dispatch({ type: "start-timeout" });
    }
  }

  private exited(gen: number, status: ExitStatus): void {
    if (gen !== this.generation) return;
    this.deps.clock.clearTimeout(this.graceTimer);
    this.probeAbort?.abort();
    this.proc = undefined;
    const now = this.deps.clock.now();
    this.lastExit = {
      code: status.code,
      signal: status.signal,
      exitCode: status.exitCode,
      at: now,
      ...(status.spawnError ? { spawnError: status.spawnError } : {}),
      ...(this.abortReason ? { reason: this.abortReason } : {}),
    };
    const stable = this.readyAt !== null && now - this.readyAt >= Math.max(this.def.backoff.max, 1000);
    this.dispatch({ type: "exit", ok: status.code === 0, stable });
  }

  /** "exited with code 3" / "was killed by SIGKILL (exit 137)" / "could not start: ..." / "was not ready after 60s; ..." */
  describeExit(): string {
    return describeExit(this.lastExit);
  }
}
