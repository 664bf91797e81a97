// The one way foyer starts processes. Every pid is recorded in `managed` right where it is spawned,
// so the reaper never takes a status libuv is waiting for. Plain children go through
// child_process.spawn; a user switch, or a foreground group on a terminal, goes through foyer's
// trampoline (foyer itself in `exec-as __exec` mode), which drops privileges and execs natively.
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { statSync } from "node:fs";
import { getSystemErrorMessage } from "node:util";
import { EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND, execFailureExitCode, exitCodeFor, spawnFailure } from "./exit-status.js";
import type { NativeAddon } from "./native.js";
import { killGroupOrPid } from "./signals.js";
import { TRAMPOLINE_ARGV, TRAMPOLINE_FD, toWire, type TrampolineReport, type TrampolineRequest } from "./trampoline.js";
import { loginEnv, resolveUser, type ResolvedUser } from "../identity/resolve.js";
import type { ExitStatus, SpawnedProcess, SpawnRequest, Spawner } from "./types.js";

/** What the Spawner needs to know about foyer itself. */
export interface SpawnerOptions {
  /** pids foyer spawned and libuv waits for (shared with the Reaper) */
  managed: Set<number>;
  /** null when the addon could not load: no user switching, no trampoline */
  native: NativeAddon | null;
  /** argv that starts foyer itself (the SEA binary, or node + the dev bundle) */
  self: string[];
  /** environment for the trampoline (where to find the addon), never the child's */
  trampolineEnv: Record<string, string>;
  /** foyer's own uid and gid */
  uid: number;
  gid: number;
  /** whether foyer's stdin is a terminal (foreground groups need tcsetpgrp then) */
  stdinIsTty: boolean;
  /** foyer's own environment entries that are not UTF-8 (exact-bytes.ts): a child that inherits one gets its bytes */
  exactEnv?: ReadonlyMap<string, Buffer>;
}

/** Decided before spawning: run as someone else, or fail with a message. */
type UserPlan = { env: Record<string, string>; switchTo?: ResolvedUser } | { error: string };

/** The Spawner of src/pid1/types.ts, on node:child_process. */
export class ProcessSpawner implements Spawner {
  constructor(private readonly opts: SpawnerOptions) {}

  spawn(req: SpawnRequest): SpawnedProcess {
    if (!req.argv[0]) return failedProcess(spawnFailure(EXIT_NOT_FOUND, "cannot execute an empty command"));
    // Checked first: a missing cwd fails the fork with ENOENT, which would read as "command not found".
    const badCwd = req.cwd === undefined ? undefined : cwdProblem(req.cwd);
    if (badCwd) return failedProcess(spawnFailure(EXIT_NOT_EXECUTABLE, `cannot execute '${req.argv[0]}': ${badCwd}`));
    const plan = this.planUser(req);
    if ("error" in plan) return failedProcess(spawnFailure(EXIT_NOT_EXECUTABLE, plan.error));
    // bytes a string cannot carry need the native exec: Node's spawn passes only strings
    const exactEnv = this.exactEntries(plan.env);
    const exact = req.exactArgv !== undefined || exactEnv.size > 0;
    const needsTrampoline =
      plan.switchTo !== undefined || (this.opts.native !== null && ((req.group === "foreground" && this.opts.stdinIsTty) || exact));
    return needsTrampoline ? this.viaTrampoline(req, plan.env, plan.switchTo, exactEnv) : this.direct(req, plan.env);
  }

  /** The child's environment entries that are foyer's own non-UTF-8 ones, unchanged: their exact bytes. */
  private exactEntries(env: Record<string, string>): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    for (const [name, bytes] of this.opts.exactEnv ?? []) {
      if (env[name] !== undefined && bytes.toString("utf8") === `${name}=${env[name]}`) out.set(name, bytes);
    }
    return out;
  }

  // Refuse rather than run as root when a switch was asked for and cannot happen.
  private planUser(req: SpawnRequest): UserPlan {
    if (req.user === undefined) return { env: req.env };
    const { native, uid, gid } = this.opts;
    if (!native) return { error: `cannot run as user '${req.user}': the native addon is not loaded` };
    // the same resolver as file owners and validation (a numeric uid without an entry: gid 0)
    const resolved = resolveUser(req.user, native);
    if (!resolved.ok) return { error: `cannot run as user '${req.user}': ${resolved.error}` };
    const user = resolved.value;
    const env = loginEnv(req.env, user);
    if (uid === 0) return { env, switchTo: user };
    if (user.uid === uid && user.gid === gid) return { env };
    return { error: `cannot run as user '${req.user}': foyer runs as uid ${uid}, not root` };
  }

  private direct(req: SpawnRequest, env: Record<string, string>): SpawnedProcess {
    const [file, ...args] = req.argv as [string, ...string[]];
    const previousUmask = req.umask === undefined ? undefined : process.umask(req.umask);
    try {
      // spawn forks synchronously, so a temporary process umask applies to this child only.
      const child = spawn(file, args, { env, cwd: req.cwd, stdio: stdioFor(req.stdio), detached: true });
      return this.track(child, file, null);
    } catch (err) {
      return failedProcess(spawnErrorStatus(file, err as NodeJS.ErrnoException));
    } finally {
      if (previousUmask !== undefined) process.umask(previousUmask);
    }
  }

  private viaTrampoline(req: SpawnRequest, env: Record<string, string>, user: ResolvedUser | undefined, exactEnv: ReadonlyMap<string, Buffer>): SpawnedProcess {
    const [self, ...selfArgs] = this.opts.self as [string, ...string[]];
    const stdio = [...(stdioFor(req.stdio) as unknown[]), "pipe"] as StdioOptions;
    const session = req.group === "session";
    const argv = req.exactArgv ?? req.argv;
    const request: TrampolineRequest = {
      file: toWire(argv[0]!),
      argv: argv.map(toWire),
      envp: Object.entries(env).map(([k, v]) => toWire(exactEnv.get(k) ?? `${k}=${v}`)),
      cwd: req.cwd,
      umask: req.umask,
      session: session ? 1 : 2,
      ...(user ? { uid: user.uid, gid: user.gid, groups: user.groups } : {}),
    };
    let child: ChildProcess;
    try {
      // In the request's cwd (checked as the user again by execAs), else foyer's own: CMD keeps the
      // caller's working directory like tini and gosu.
      child = spawn(self, [...selfArgs, ...TRAMPOLINE_ARGV], { env: this.opts.trampolineEnv, stdio, detached: session, cwd: req.cwd });
    } catch (err) {
      return failedProcess(spawnErrorStatus(self, err as NodeJS.ErrnoException));
    }
    const channel = child.stdio[TRAMPOLINE_FD] as NodeJS.ReadWriteStream | null | undefined;
    channel?.on("error", () => {}); // EPIPE when the trampoline died early: its exit status tells
    channel?.end(JSON.stringify(request));
    return this.track(child, req.argv[0]!, channel ?? null);
  }

  private track(child: ChildProcess, file: string, channel: NodeJS.ReadWriteStream | null): SpawnedProcess {
    const pid = child.pid ?? 0;
    if (pid > 0) this.opts.managed.add(pid);
    let gone = pid === 0;
    const report = channel ? readReport(channel) : Promise.resolve(null);
    const exited = new Promise<ExitStatus>((resolve) => {
      child.once("error", (err: NodeJS.ErrnoException) => {
        if (pid === 0) resolve(spawnErrorStatus(file, err));
      });
      child.once("exit", (code, signal) => {
        gone = true;
        this.opts.managed.delete(pid);
        void report.then((r) => resolve(r ? spawnFailure(r.exitCode, r.message) : statusOf(code, signal)));
      });
    });
    return {
      pid,
      stdout: child.stdout,
      stderr: child.stderr,
      exited,
      // through the trampoline, the pid is foyer itself until its exec: the program runs only once
      // the channel closed without a failure report
      ...(channel ? { running: report.then((r) => r === null) } : {}),
      killGroup: (signal) => !gone && killGroupOrPid(pid, signal),
    };
  }
}

function statusOf(code: number | null, signal: NodeJS.Signals | null): ExitStatus {
  return { code, signal, exitCode: exitCodeFor({ code, signal }) };
}

function stdioFor(stdio: SpawnRequest["stdio"]): StdioOptions {
  return stdio === "inherit" ? ["inherit", "inherit", "inherit"] : ["ignore", "pipe", "pipe"];
}

/** Why `cwd` cannot be a working directory, or undefined when it can. */
function cwdProblem(cwd: string): string | undefined {
  try {
    return statSync(cwd).isDirectory() ? undefined : `working directory ${cwd} is not a directory`;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOENT") return `working directory ${cwd} does not exist`;
    if (e.code === "ENOTDIR") return `working directory ${cwd} is not a directory`;
    return `working directory ${cwd}: ${typeof e.errno === "number" ? getSystemErrorMessage(e.errno) : e.message}`;
  }
}

/** ENOENT → 127 "not found", anything else → 126, with one line naming the program. */
function spawnErrorStatus(file: string, err: NodeJS.ErrnoException): ExitStatus {
  const reason = typeof err.errno === "number" ? getSystemErrorMessage(err.errno) : err.message;
  return spawnFailure(execFailureExitCode(err.code), `cannot execute '${file}': ${reason}`);
}

// Everything the trampoline wrote before closing fd 3; nothing means the exec succeeded.
function readReport(channel: NodeJS.ReadWriteStream): Promise<TrampolineReport | null> {
  return new Promise((resolve) => {
    let text = "";
    channel.setEncoding("utf8");
    channel.on("data", (d: string) => (text += d));
    channel.once("close", () => {
      try {
        resolve(text.trim() ? (JSON.parse(text) as TrampolineReport) : null);
      } catch {
        resolve(null);
      }
    });
  });
}

function failedProcess(status: ExitStatus): SpawnedProcess {
  return { pid: 0, stdout: null, stderr: null, exited: Promise.resolve(status), killGroup: () => false };
}
