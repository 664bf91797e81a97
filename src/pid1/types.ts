// The contract between src/pid1 (process mechanics) and its users (src/supervise, src/cli).
// Kept import-free so both sides can code against it independently.
import type { Readable } from "node:stream";

/** How a process ended, in the shapes a supervisor and a shell each want. */
export interface ExitStatus {
  /** exit code if it exited, else null */
  code: number | null;
  /** signal name if it was killed, else null */
  signal: string | null;
  /** tini-style single number: code, 128+signal, 126 not executable, 127 not found */
  exitCode: number;
  /** set when the program never ran (not found, not executable, user switch failed) */
  spawnError?: string;
}

/** What to start. */
export interface SpawnRequest {
  /** argv[0] is looked up in PATH of `env` when it has no slash */
  argv: string[];
  /** the complete environment of the child (nothing is inherited implicitly) */
  env: Record<string, string>;
  cwd?: string;
  /** "name", "name:group", "uid", "uid:gid"; undefined = run as foyer's own user */
  user?: string;
  /** umask for the child (e.g. 0o022) */
  umask?: number;
  /** inherit: share foyer's stdin/stdout/stderr; pipe: stdin /dev/null, stdout/stderr as streams */
  stdio: "inherit" | "pipe";
  /**
   * session: new session + process group (setsid), the default for supervised programs;
   * foreground: new process group made the terminal's foreground group when stdin is a tty
   * (tini's behaviour for the main program, keeps interactive shells working).
   */
  group: "session" | "foreground";
  /**
   * The exact bytes of argv when the strings lost some (Node decodes its own argv with U+FFFD:
   * `foyer run -- CMD` with a Latin-1 argument). Inherited environment values keep their bytes too:
   * the Spawner knows foyer's own environment.
   */
  exactArgv?: Buffer[];
}

/** A started process. Its pid is its process-group id too. */
export interface SpawnedProcess {
  readonly pid: number;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** resolves once, after the process was reaped (never rejects; spawn failures resolve with spawnError) */
  readonly exited: Promise<ExitStatus>;
  /**
   * When the program itself is known to run: true once the trampoline's exec succeeded, false when
   * it failed (`exited` then carries the spawnError). Absent: it runs from the spawn on (pid > 0).
   */
  readonly running?: Promise<boolean>;
  /** signal the whole process group (falls back to the pid); false if it is already gone */
  killGroup(signal: string): boolean;
}

/** Starts processes, recording their pids so the orphan reaper never steals their statuses. */
export interface Spawner {
  spawn(req: SpawnRequest): SpawnedProcess;
}
