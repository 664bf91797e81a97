// A scriptable in-memory Spawner on a manual clock: each program's behaviour is a function of the
// request, and every spawn and signal is recorded with its virtual time, so tests can assert order
// and delays exactly.
import { PassThrough } from "node:stream";
import type { ExitStatus, SpawnRequest, SpawnedProcess, Spawner } from "../../../src/pid1/types.js";
import type { Clock } from "../../../src/time/clock.js";

/** How a fake program behaves. */
export interface FakeBehaviour {
  /** exit on its own after this many ms with this code (omit: run until signalled) */
  exitAfter?: number;
  code?: number;
  /** ignore these signals (e.g. SIGTERM) */
  ignores?: string[];
  /** on these signals, exit this many ms later (a program that takes its time to shut down) */
  exitsAfterSignal?: Record<string, number>;
  /** lines printed at start */
  print?: string[];
  /** the spawn fails: pid 0 and this status at once (as src/pid1's spawner reports it) */
  spawnError?: { exitCode: number; message: string };
}

export interface FakeEvent {
  t: number;
  kind: "spawn" | "signal" | "exit";
  program: string;
  detail?: string;
}

const SIGNUM: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/**
 * Spawner whose processes are scripted by `behave(programName, spawnCount, request)`. The program
 * name is the request's FOYER_PROGRAM; a readiness exec probe (argv[0] "probe") counts as
 * "NAME:probe", a oneshot's down command (argv[0] "down") as "NAME:down".
 */
export class FakeSpawner implements Spawner {
  readonly events: FakeEvent[] = [];
  readonly requests: SpawnRequest[] = [];
  private nextPid = 1000;
  private readonly counts = new Map<string, number>();
  private readonly t0: number;

  constructor(
    private readonly clock: Clock,
    private readonly behave: (program: string, n: number, req: SpawnRequest) => FakeBehaviour,
  ) {
    this.t0 = clock.now();
  }

  spawns(program: string): FakeEvent[] {
    return this.events.filter((e) => e.kind === "spawn" && e.program === program);
  }

  signals(program?: string): string[] {
    return this.events.filter((e) => e.kind === "signal" && (!program || e.program === program)).map((e) => (program ? e.detail! : `${e.program}:${e.detail}`));
  }

  spawn(req: SpawnRequest): SpawnedProcess {
    const name = req.env.FOYER_PROGRAM ?? req.argv.join(" ");
    const program = req.argv[0] === "probe" || req.argv[0] === "down" ? `${name}:${req.argv[0]}` : name;
    const n = (this.counts.get(program) ?? 0) + 1;
    this.counts.set(program, n);
    this.requests.push(req);
    const b = this.behave(program, n, req);
    const clock = this.clock;
    const rec = (kind: FakeEvent["kind"], detail?: string) => this.events.push({ t: this.clock.now() - this.t0, kind, program, ...(detail ? { detail } : {}) });
    if (b.spawnError) {
      const status: ExitStatus = { code: null, signal: null, exitCode: b.spawnError.exitCode, spawnError: b.spawnError.message };
      return { pid: 0, stdout: null, stderr: null, exited: Promise.resolve(status), killGroup: () => false };
    }
    const pid = this.nextPid++;
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    rec("spawn");
    let resolve!: (s: ExitStatus) => void;
    let alive = true;
    const exited = new Promise<ExitStatus>((r) => (resolve = r));
    const end = (status: ExitStatus) => {
      if (!alive) return;
      alive = false;
      rec("exit", String(status.exitCode));
      stdout.end();
      stderr.end();
      resolve(status);
    };
    for (const line of b.print ?? []) stdout.write(line + "\n");
    if (b.exitAfter !== undefined) this.clock.setTimeout(() => end({ code: b.code ?? 0, signal: null, exitCode: b.code ?? 0 }), b.exitAfter);
    return {
      pid,
      stdout: req.stdio === "pipe" ? stdout : null,
      stderr: req.stdio === "pipe" ? stderr : null,
      exited,
      killGroup(signal: string) {
        if (!alive) return false;
        rec("signal", signal);
        const later = b.exitsAfterSignal?.[signal];
        if (signal !== "SIGKILL" && later !== undefined) {
          clock.setTimeout(() => end({ code: 0, signal: null, exitCode: 0 }), later);
          return true;
        }
        if (signal !== "SIGKILL" && b.ignores?.includes(signal)) return true;
        // a signal is delivered at once, the exit is seen a moment later (as from a real reaper)
        void Promise.resolve().then(() => end({ code: null, signal, exitCode: 128 + (SIGNUM[signal] ?? 1) }));
        return true;
      },
    };
  }
}
