// A scriptable in-memory Spawner: each program's behaviour is a function of the request, and every
// spawn and signal is recorded with its time, so tests can assert order and delays.
import { PassThrough } from "node:stream";
import type { ExitStatus, SpawnRequest, SpawnedProcess, Spawner } from "../../../src/pid1/types.js";

/** How a fake program behaves. */
export interface FakeBehaviour {
  /** exit on its own after this many ms with this code (omit: run until signalled) */
  exitAfter?: number;
  code?: number;
  /** ignore these signals (e.g. SIGTERM) */
  ignores?: string[];
  /** lines printed at start */
  print?: string[];
}

export interface FakeEvent {
  t: number;
  kind: "spawn" | "signal" | "exit";
  program: string;
  detail?: string;
}

/** Spawner whose processes are scripted by `behave(programName, spawnCount)`. */
export class FakeSpawner implements Spawner {
  readonly events: FakeEvent[] = [];
  readonly requests: SpawnRequest[] = [];
  private nextPid = 1000;
  private readonly counts = new Map<string, number>();
  private readonly t0 = Date.now();

  constructor(private readonly behave: (program: string, n: number, req: SpawnRequest) => FakeBehaviour) {}

  spawns(program: string): FakeEvent[] {
    return this.events.filter((e) => e.kind === "spawn" && e.program === program);
  }

  spawn(req: SpawnRequest): SpawnedProcess {
    const program = req.env.FOYER_PROGRAM ?? req.argv.join(" ");
    const n = (this.counts.get(program) ?? 0) + 1;
    this.counts.set(program, n);
    this.requests.push(req);
    const b = this.behave(program, n, req);
    const pid = this.nextPid++;
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const rec = (kind: FakeEvent["kind"], detail?: string) => this.events.push({ t: Date.now() - this.t0, kind, program, ...(detail ? { detail } : {}) });
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
    if (b.exitAfter !== undefined) setTimeout(() => end({ code: b.code ?? 0, signal: null, exitCode: b.code ?? 0 }), b.exitAfter);
    return {
      pid,
      stdout: req.stdio === "pipe" ? stdout : null,
      stderr: req.stdio === "pipe" ? stderr : null,
      exited,
      killGroup(signal: string) {
        if (!alive) return false;
        rec("signal", signal);
        if (signal !== "SIGKILL" && b.ignores?.includes(signal)) return true;
        const num = signal === "SIGKILL" ? 9 : signal === "SIGTERM" ? 15 : 1;
        setTimeout(() => end({ code: null, signal, exitCode: 128 + num }), 1);
        return true;
      },
    };
  }
}
