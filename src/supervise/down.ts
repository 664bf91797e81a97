// A oneshot's `down` (s6-rc's oneshot down): at shutdown, once the programs that start after the
// oneshot have stopped, a command undoes what the oneshot did (deactivate a licence, deregister a
// node). It runs as the oneshot (user, cwd, umask, env and secrets), its output prefixed
// `NAME:down`, and is retried with a short backoff, all within the oneshot's `stop.grace`: an
// attempt still running when the grace ends is KILLed and no other attempt starts. A failing down
// is logged; it never changes foyer's exit code (the programs already decided it).
import type { ExitStatus, SpawnedProcess, Spawner } from "../pid1/types.js";
import type { Logger } from "../log/index.js";
import { settlesWithin, type Clock, type TimerHandle } from "../time/clock.js";
import type { OutputMux } from "./output.js";
import { backoffDelay } from "./states.js";
import { describeExit, seconds, sigName, type RunExit } from "./format.js";
import { PIPE_DRAIN_MS } from "./program.js";

/** Where a down is: waiting for shutdown, running, between attempts, or done one way or another. */
export const DOWN_STATES = ["PENDING", "RUNNING", "BACKOFF", "SUCCEEDED", "FAILED", "SKIPPED"] as const;
export type DownState = (typeof DOWN_STATES)[number];

/** A down as the supervisor sees it. */
export interface DownDef {
  argv: string[];
  /** per attempt: the oneshot's stop signal after it (KILL still only when the grace ends) */
  timeout?: number;
  /** attempts after a failed one */
  retries: number;
}

/** The oneshot a down belongs to: the identity it runs as and the grace that bounds it. */
export interface DownOwner {
  name: string;
  cwd?: string;
  user?: string;
  umask?: number;
  stop: { signal: string; grace: number };
  down: DownDef;
}

/** What running a down needs. */
export interface DownDeps {
  spawner: Spawner;
  output: OutputMux;
  logger: Logger;
  clock: Clock;
  /** the oneshot's environment (with its secrets) */
  env: () => Record<string, string>;
}

/** For /status and `foyer ctl status`. */
export interface DownSnapshot {
  state: DownState;
  attempts: number;
  pid: number | null;
  startedAt: number | null;
  endedAt: number | null;
  lastExit: RunExit | null;
  /** why it was skipped, or why it gave up */
  reason?: string;
}

/** Backoff between attempts: short, since the whole down must fit in the grace. */
export const DOWN_BACKOFF = { initial: 1000, max: 10_000 };

/** One oneshot's down, run at most once. */
export class DownRunner {
  private state: DownState = "PENDING";
  private attempts = 0;
  private proc: SpawnedProcess | undefined;
  private startedAt: number | null = null;
  private endedAt: number | null = null;
  private lastExit: RunExit | null = null;
  private reason: string | undefined;
  /** why foyer stopped the current attempt on its own */
  private stopReason: string | undefined;
  /** the grace ended during an attempt (it was KILLed) */
  private graceOver = false;
  /** aborted at the shutdown deadline: cuts a backoff wait short */
  private readonly deadline = new AbortController();

  constructor(
    private readonly owner: DownOwner,
    private readonly deps: DownDeps,
  ) {}

  /** The prefix of its output lines and the name in its log lines. */
  get label(): string {
    return `${this.owner.name}:down`;
  }

  /** Not run at all (its oneshot never succeeded, or the shutdown deadline passed first). */
  skip(reason: string): void {
    if (this.state !== "PENDING") return;
    this.state = "SKIPPED";
    this.reason = reason;
    this.deps.logger.info(`${this.label} not run: ${reason}`, { program: this.owner.name });
  }

  /** The shutdown deadline passed: KILL the running attempt, start no other. */
  killNow(): void {
    if (this.state === "PENDING") return this.skip("the shutdown deadline was reached");
    if (this.state !== "RUNNING" && this.state !== "BACKOFF") return;
    this.stopReason ??= "KILLed at the shutdown deadline";
    this.deadline.abort();
    this.proc?.killGroup("SIGKILL");
  }

  /** Run it: attempts with backoff until one exits 0, the retries are used up, or the grace ends. */
  async run(): Promise<void> {
    if (this.state !== "PENDING") return;
    const { clock, logger } = this.deps;
    const { grace } = this.owner.stop;
    const { retries } = this.owner.down;
    this.startedAt = clock.now();
    const graceEnd = this.startedAt + grace;
    for (;;) {
      const status = await this.attempt(graceEnd);
      const what = describeExit(this.lastExit);
      if (status.code === 0) return this.end("SUCCEEDED", `${this.label} succeeded${this.attempts > 1 ? ` (attempt ${this.attempts})` : ""}`);
      const left = graceEnd - clock.now();
      const delay = backoffDelay(this.attempts, DOWN_BACKOFF.initial, DOWN_BACKOFF.max);
      const giveUp = this.whyGiveUp(status, delay, left);
      if (giveUp) return this.end("FAILED", `${this.label} ${what}; giving up (${giveUp}); foyer's exit code is unchanged`, giveUp);
      logger.warn(`${this.label} ${what}; retry ${this.attempts}/${retries} in ${seconds(delay)}`, { program: this.owner.name });
      this.state = "BACKOFF";
      await clock.sleep(delay, this.deadline.signal);
      if (this.deadline.signal.aborted) return this.end("FAILED", `${this.label} not retried: the shutdown deadline was reached`, "the shutdown deadline was reached");
    }
  }

  // undefined: try again after `delay`
  private whyGiveUp(status: ExitStatus, delay: number, left: number): string | undefined {
    if (this.deadline.signal.aborted) return "the shutdown deadline was reached";
    if (this.graceOver) return `its stop.grace (${seconds(this.owner.stop.grace)}) ended`;
    // a command that cannot be spawned (not found, not executable, bad user) will not appear on a retry
    if (status.spawnError) return "it cannot be started";
    if (this.attempts > this.owner.down.retries) return `${this.attempts} attempt(s) failed`;
    if (delay >= left) return `its stop.grace (${seconds(this.owner.stop.grace)}) leaves no time for another attempt`;
    return undefined;
  }

  /** A point-in-time view. */
  snapshot(): DownSnapshot {
    return {
      state: this.state,
      attempts: this.attempts,
      pid: this.proc && this.proc.pid > 0 ? this.proc.pid : null,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      lastExit: this.lastExit,
      ...(this.reason ? { reason: this.reason } : {}),
    };
  }

  private end(state: "SUCCEEDED" | "FAILED", message: string, reason?: string): void {
    this.state = state;
    this.endedAt = this.deps.clock.now();
    if (reason) this.reason = reason;
    if (state === "SUCCEEDED") this.deps.logger.info(message, { program: this.owner.name });
    else this.deps.logger.error(message, { program: this.owner.name });
  }

  // One attempt: spawn, watch its timeout and the end of the grace, wait for its exit and last lines.
  private async attempt(graceEnd: number): Promise<ExitStatus> {
    const { spawner, output, logger, clock } = this.deps;
    const o = this.owner;
    this.attempts++;
    this.state = "RUNNING";
    this.stopReason = undefined;
    const proc = spawner.spawn({ argv: o.down.argv, env: this.deps.env(), cwd: o.cwd, user: o.user, umask: o.umask, stdio: "pipe", group: "session" });
    this.proc = proc;
    if (proc.pid > 0) logger.info(`started ${this.label} (attempt ${this.attempts}/${o.down.retries + 1}, ${seconds(Math.max(0, graceEnd - clock.now()))} of stop.grace left)`, { program: o.name, pid: proc.pid });
    const streams: Promise<void>[] = [];
    if (proc.stdout) streams.push(output.attach(this.label, "stdout", proc.stdout, proc.exited));
    if (proc.stderr) streams.push(output.attach(this.label, "stderr", proc.stderr, proc.exited));
    const timers: TimerHandle[] = [];
    const left = graceEnd - clock.now();
    const { timeout } = o.down;
    if (timeout !== undefined && timeout < left)
      timers.push(
        clock.setTimeout(() => {
          this.stopReason = `timed out after ${seconds(timeout)}`;
          logger.warn(`${this.label} (pid ${proc.pid}) ${this.stopReason}; sending SIG${o.stop.signal.replace(/^SIG/, "")}`, { program: o.name });
          proc.killGroup(sigName(o.stop.signal));
        }, timeout),
      );
    timers.push(
      clock.setTimeout(() => {
        this.stopReason = `still running when its stop.grace (${seconds(o.stop.grace)}) ended`;
        this.graceOver = true;
        logger.warn(`${this.label} (pid ${proc.pid}) ${this.stopReason}; sending SIGKILL to its process group`, { program: o.name });
        proc.killGroup("SIGKILL");
      }, left),
    );
    const status = await proc.exited;
    for (const t of timers) clock.clearTimeout(t);
    await settlesWithin(clock, PIPE_DRAIN_MS, Promise.all(streams));
    this.proc = undefined;
    this.lastExit = {
      code: status.code,
      signal: status.signal,
      exitCode: status.exitCode,
      at: clock.now(),
      ...(status.spawnError ? { spawnError: status.spawnError } : {}),
      ...(this.stopReason ? { reason: this.stopReason } : {}),
    };
    return status;
  }
}
