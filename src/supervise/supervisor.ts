// The programs together: start in dependency order (a program starts when the ones it is `after`
// are ready), end the container when a critical program ends, stop in reverse order within the
// shutdown deadline, and route signals.
import type { Logger } from "../log/index.js";
import { ProgramRunner, seconds, type ProgramDef, type ProgramSnapshot, type RunnerDeps } from "./program.js";
import { dependentsOf, startLevels } from "./order.js";
import type { MachineState } from "./states.js";
import { DownRunner } from "./down.js";

/** Signals that make foyer shut down; all others are forwarded. */
export const SHUTDOWN_SIGNALS = new Set(["TERM", "INT", "QUIT"]);

/** Supervisor-wide phase, shown on the status page. */
export type Phase = "starting" | "running" | "stopping" | "stopped";

/** What the supervisor needs besides the programs. */
export interface SupervisorOptions {
  programs: ProgramDef[];
  deps: Omit<RunnerDeps, "changed" | "env">;
  envFor: (name: string) => Record<string, string>;
  /** total time for the whole shutdown; after it every remaining process group is KILLed */
  deadline: number;
  /** the program from `-- CMD`, if any: its exit code is foyer's on a signal-initiated shutdown */
  mainName?: string;
}

/** Runs a set of programs as one unit. */
export class Supervisor {
  readonly runners = new Map<string, ProgramRunner>();
  /** oneshots' `down` commands, run at shutdown */
  readonly downs = new Map<string, DownRunner>();
  private deadlinePassed = false;
  phase: Phase = "starting";
  readonly startedAt: number;
  private readonly levels: string[][];
  private exitCode: number | undefined;
  private reason = "";
  private requestStop!: () => void;
  /** resolves when something asked the container to end (signal, critical program, failed start) */
  readonly stopRequested = new Promise<void>((resolve) => (this.requestStop = resolve));
  private readonly logger: Logger;

  constructor(private readonly options: SupervisorOptions) {
    this.logger = options.deps.logger;
    this.startedAt = options.deps.clock.now();
    const nodes = Object.fromEntries(options.programs.map((p) => [p.name, p]));
    this.levels = startLevels(nodes);
    for (const def of options.programs) {
      const runner = new ProgramRunner(def, { ...options.deps, env: () => options.envFor(def.name), changed: (r, from) => this.changed(r, from) });
      this.runners.set(def.name, runner);
      options.deps.output.registerName(def.name);
      if (def.down) {
        const down = new DownRunner({ ...def, down: def.down }, { ...options.deps, env: () => options.envFor(def.name) });
        this.downs.set(def.name, down);
        options.deps.output.registerName(down.label);
      }
    }
  }

  /** Start every autostart program as soon as the programs it is after are ready. */
  startAll(): void {
    const autostart = this.options.programs.filter((p) => p.autostart);
    void Promise.all(autostart.map((p) => this.startWhenReady(p))).then(() => {
      if (this.phase === "starting") {
        this.phase = "running";
        this.logger.info(`all programs started (${seconds(this.options.deps.clock.now() - this.startedAt)})`);
      }
    });
  }

  private async startWhenReady(def: ProgramDef): Promise<void> {
    const ready = await Promise.all(def.after.map((dep) => this.runners.get(dep)!.settled()));
    if (this.phase === "stopping" || this.phase === "stopped" || !ready.every(Boolean)) return;
    const runner = this.runners.get(def.name)!;
    runner.start();
    await runner.settled();
  }

  /** Ask for shutdown; the first reason (and its exit code) wins. */
  requestShutdown(reason: string, exitCode?: number): void {
    if (this.phase === "stopping" || this.phase === "stopped" || this.reason) return;
    this.reason = reason;
    this.exitCode = exitCode;
    this.logger.info(`shutting down: ${reason}`);
    this.requestStop();
  }

  /** A signal foyer received: TERM/INT/QUIT shut down, the others go to the main program (or to all). */
  onSignal(signal: string): void {
    const name = signal.replace(/^SIG/, "");
    if (SHUTDOWN_SIGNALS.has(name)) {
      if (this.phase === "stopping") this.logger.info(`received SIG${name} again; still stopping, every program keeps its grace period`);
      else this.requestShutdown(`received SIG${name}`);
      return;
    }
    const main = this.options.mainName ? this.runners.get(this.options.mainName) : undefined;
    const targets = main ? [main] : [...this.runners.values()];
    for (const r of targets) if (r.signal(name)) this.logger.debug(`forwarded SIG${name} to ${r.name}`);
  }

  /**
   * Stop everything in reverse start order, each program with its own grace, all within the
   * deadline. A oneshot's `down` runs once every program after it has stopped, before the
   * programs it comes after are asked to stop.
   */
  async shutdown(): Promise<number> {
    if (this.phase === "stopping" || this.phase === "stopped") return this.finalCode();
    this.phase = "stopping";
    const { clock } = this.options.deps;
    const t0 = clock.now();
    const deadline = clock.setTimeout(() => {
      this.deadlinePassed = true;
      this.logger.error(`shutdown deadline (${seconds(this.options.deadline)}) reached; killing every remaining program`);
      for (const r of this.runners.values()) r.killNow();
      for (const d of this.downs.values()) d.killNow();
    }, this.options.deadline);
    for (const level of [...this.levels].reverse()) {
      await Promise.all(level.map((name) => this.stopOne(name)));
    }
    clock.clearTimeout(deadline);
    this.phase = "stopped";
    this.logger.info(`all programs stopped (${seconds(clock.now() - t0)})`);
    return this.finalCode();
  }

  private async stopOne(name: string): Promise<void> {
    const runner = this.runners.get(name)!;
    await runner.stop();
    const down = this.downs.get(name);
    if (!down) return;
    if (this.deadlinePassed) return down.skip("the shutdown deadline was reached");
    // only a oneshot that did its work has something to undo
    if (!runner.succeededOnce) return down.skip(`oneshot ${name} ${runner.lastExit ? `did not succeed (${runner.describeExit()})` : "never ran"}`);
    await down.run();
  }

  /** foyer's exit code: the ending program's, else the main program's, else 0. */
  finalCode(): number {
    if (this.exitCode !== undefined) return this.exitCode;
    const main = this.options.mainName ? this.runners.get(this.options.mainName) : undefined;
    return main?.lastExit?.exitCode ?? 0;
  }

  /** Snapshots of every program, in start order. */
  snapshot(): ProgramSnapshot[] {
    return this.levels.flat().map((n) => {
      const down = this.downs.get(n);
      return { ...this.runners.get(n)!.snapshot(), ...(down ? { down: down.snapshot() } : {}) };
    });
  }

  // A program changed state: a critical end or a failed dependency ends the container.
  private changed(runner: ProgramRunner, _from: MachineState["name"]): void {
    if (this.phase === "stopping" || this.phase === "stopped") return;
    const s = runner.state.name;
    if (s !== "EXITED" && s !== "FATAL" && s !== "FAILED") return;
    const code = runner.lastExit?.exitCode ?? 1;
    const failCode = s === "EXITED" ? code : code || 1;
    if (runner.def.critical) {
      this.requestShutdown(`critical program ${runner.name} ${runner.describeExit()}${s === "EXITED" ? "" : ` (${s})`}`, failCode);
      return;
    }
    if (s === "EXITED") return;
    const nodes = Object.fromEntries(this.options.programs.map((p) => [p.name, p]));
    const waiting = dependentsOf(nodes, runner.name).filter((n) => this.runners.get(n)!.state.name === "STOPPED" && this.runners.get(n)!.def.autostart);
    if (waiting.length && this.phase === "starting")
      this.requestShutdown(`${runner.def.oneshot ? "oneshot " : ""}${runner.name} ${runner.describeExit()} (${s}); cannot start ${waiting.join(", ")}`, failCode);
  }
}
