// Hook directories with docker-stacks semantics: files run in name order; `*.sh` files are
// sourced by bash (as docker-stacks' start.sh, itself bash, does; /bin/sh only where there is no
// bash) so their exports reach later hooks and the programs; other executables are run; anything
// else is skipped with a log line. A failing hook aborts (with its output in the error) or is
// logged and skipped, per `onFailure`.
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Spawner } from "../pid1/types.js";
import type { Logger } from "../log/index.js";
import type { Hook } from "../spec/schema.js";
import { FoyerError } from "../errors.js";
import { LineSplitter } from "./lines.js";
import type { OutputMux } from "./output.js";
import { envAfterSourcing, parseEnvZ } from "./env.js";
import { seconds } from "./format.js";
import { settlesWithin, type Clock } from "../time/clock.js";

/** A hook failed and the policy is abort: the message carries the hook's output (redacted). */
export class HookError extends FoyerError {}

/** What running a hook directory needs. */
export interface HookRunOptions {
  phase: "start" | "init" | "finish";
  hook: Hook;
  env: Record<string, string>;
  spawner: Spawner;
  logger: Logger;
  output: OutputMux;
  clock: Clock;
  /** aborted when foyer is asked to stop: the running hook gets SIGTERM and no further hook runs */
  signal?: AbortSignal;
}

const OUTPUT_TAIL = 4000;
/** How long a finished hook's pipes may take to deliver its last lines (a background child may hold them open). */
const PIPE_DRAIN_MS = 300;

// docker-stacks hooks are bash (`[[ ]]`, arrays, `source`): a POSIX sh (dash) fails on them
const BASH_PATHS = ["/bin/bash", "/usr/bin/bash"];

/** The shell that sources `*.sh` hooks: bash when the image has it, else /bin/sh. */
export function hookShell(exists: (path: string) => boolean = existsSync): string {
  return BASH_PATHS.find(exists) ?? "/bin/sh";
}

/** Run every hook in the directory; returns the env after them (sourced exports included). */
export async function runHookDir(opts: HookRunOptions): Promise<Record<string, string>> {
  const { hook, phase, logger } = opts;
  const entries = await listHooks(hook.dir);
  if (entries === undefined) {
    logger.debug(`${phase} hooks: ${hook.dir} does not exist; nothing to run`);
    return opts.env;
  }
  let env = opts.env;
  const shell = hookShell();
  for (const name of entries) {
    const path = join(hook.dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    const sourced = name.endsWith(".sh");
    if (!sourced && (info.mode & 0o111) === 0) {
      logger.info(`${phase} hook ${name}: not executable and not *.sh; skipped`, { hook: path });
      continue;
    }
    logger.info(`${phase} hook ${name}: ${sourced ? "sourcing" : "running"}`, { hook: path });
    const result = await runOne(path, name, sourced ? shell : undefined, env, opts);
    if (opts.signal?.aborted) {
      logger.warn(`${phase} hook ${name} interrupted: foyer is stopping; later hooks and the programs do not run`, { hook: path });
      break;
    }
    if (result.ok) {
      if (result.env) env = envAfterSourcing(env, result.env, hook.user !== undefined);
      continue;
    }
    const output = logger.options.redactor.redact(lastWholeLines(result.output, OUTPUT_TAIL)).trimEnd();
    const message = `${phase} hook ${path} ${result.why}${output ? `; its output:\n${indent(output)}` : " (no output)"}`;
    if (hook.onFailure === "abort") throw new HookError(message, result.exitCode);
    logger.warn(`${message}\ncontinuing (onFailure: continue)`, { hook: path });
  }
  return env;
}

/** The end of a text, from a line start: a secret cut in two by the tail would no longer be recognised and masked. */
function lastWholeLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = text.slice(-max);
  const start = tail.indexOf("\n");
  return start < 0 ? "" : tail.slice(start + 1);
}

/** Hook file names in byte order, or undefined when the directory does not exist. */
async function listHooks(dir: string): Promise<string[] | undefined> {
  try {
    return (await readdir(dir)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new FoyerError(`cannot read hook directory ${dir}: ${(err as Error).message}`);
  }
}

interface HookResult {
  ok: boolean;
  why: string;
  exitCode: number;
  output: string;
  env?: Record<string, string>;
}

/** Run one hook: sourced by `shell` when given (its exports are captured), else executed. */
async function runOne(path: string, name: string, shell: string | undefined, env: Record<string, string>, opts: HookRunOptions): Promise<HookResult> {
  const sourced = shell !== undefined;
  // unguessable enough for a marker (not a secret); avoids loading node:crypto into PID 1
  const marker = `__FOYER_ENV_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}__`;
  // `.` runs the file in this shell, so its exports survive; `env -0` then prints them after a
  // marker line that the hook's own output cannot contain by accident
  const argv = sourced ? [shell, "-c", `. "$1" || exit $?; printf '\\n%s\\n' "$2"; exec env -0`, "sh", path, marker] : [path];
  const proc = opts.spawner.spawn({ argv, env, user: opts.hook.user, stdio: "pipe", group: "session" });
  const label = `${opts.phase}:${name}`;
  const captured: Buffer[] = [];
  let tail = "";
  const keep = (text: string): void => void (tail = (tail + text).slice(-OUTPUT_TAIL * 2));
  const stderrDone = forwardLines(proc.stderr, (lines) => {
    opts.output.write(label, "stderr", lines);
    keep(lines.map((l) => l.toString("utf8") + "\n").join(""));
  });
  const stdoutDone = collect(proc.stdout, captured, marker, (lines) => opts.output.write(label, "stdout", lines));
  let timedOut = false;
  const timer = opts.clock.setTimeout(() => {
    timedOut = true;
    proc.killGroup("SIGKILL");
  }, opts.hook.timeout);
  const interrupt = (): void => void proc.killGroup("SIGTERM");
  opts.signal?.addEventListener("abort", interrupt, { once: true });
  const status = await proc.exited;
  opts.signal?.removeEventListener("abort", interrupt);
  opts.clock.clearTimeout(timer);
  await settlesWithin(opts.clock, PIPE_DRAIN_MS, Promise.all([stderrDone, stdoutDone]));
  const stdout = Buffer.concat(captured).toString("utf8");
  const at = sourced ? stdout.lastIndexOf(`\n${marker}\n`) : -1;
  const shown = at >= 0 ? stdout.slice(0, at) : stdout;
  const output = shown + (shown && !shown.endsWith("\n") ? "\n" : "") + tail;
  if (timedOut) return { ok: false, why: `timed out after ${seconds(opts.hook.timeout)}`, exitCode: 124, output };
  if (status.spawnError) return { ok: false, why: `could not start: ${status.spawnError}`, exitCode: status.exitCode, output };
  if (status.exitCode !== 0) return { ok: false, why: `failed (exit ${status.exitCode})`, exitCode: status.exitCode, output };
  if (!sourced) return { ok: true, why: "", exitCode: 0, output };
  if (at < 0) {
    opts.logger.warn(`${opts.phase} hook ${name} exited while being sourced; its exports are ignored`, { hook: path });
    return { ok: true, why: "", exitCode: 0, output };
  }
  return { ok: true, why: "", exitCode: 0, output, env: parseEnvZ(stdout.slice(at + marker.length + 2)) };
}

function forwardLines(stream: NodeJS.ReadableStream | null, each: (lines: Buffer[]) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  const splitter = new LineSplitter();
  stream.on("data", (chunk: Buffer) => each(splitter.push(chunk)));
  return new Promise((resolve) => stream.once("end", () => (each(splitter.flush()), resolve())));
}

// Keep stdout from the marker on whole (the env dump follows it), only the last lines before it,
// and show the hook's own lines live. An empty line is held back: it may be the one `printf '\n'`
// adds before the marker.
function collect(stream: NodeJS.ReadableStream | null, into: Buffer[], marker: string, show: (lines: Buffer[]) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  const splitter = new LineSplitter();
  let held: Buffer | undefined;
  let done = false;
  const each = (lines: Buffer[]): void => {
    const out: Buffer[] = [];
    for (const line of lines) {
      if (done) break;
      if (line.toString("latin1") === marker) {
        done = true;
        break;
      }
      if (held) out.push(held);
      held = undefined;
      if (line.length === 0) held = line;
      else out.push(line);
    }
    show(out);
  };
  stream.on("data", (chunk: Buffer) => {
    into.push(chunk);
    each(splitter.push(chunk));
    // before the marker, only the last lines are ever used (a failure message): a hook printing
    // gigabytes must not make PID 1 hold them
    if (!done) keepLastLines(into, OUTPUT_TAIL * 2 + marker.length + 2);
  });
  return new Promise((resolve) =>
    stream.once("end", () => {
      each(splitter.flush());
      if (!done && held) show([held]);
      resolve();
    }),
  );
}

/**
 * Cut `chunks` down to their last `max` bytes or fewer, starting at a newline (kept: it may be the
 * one before the marker), so no line, and no secret in it, is cut in two.
 */
function keepLastLines(chunks: Buffer[], max: number): void {
  let total = 0;
  for (const c of chunks) total += c.length;
  if (total <= max) return;
  const all = Buffer.concat(chunks, total);
  const nl = all.indexOf(0x0a, total - max);
  chunks.splice(0, chunks.length, ...(nl < 0 ? [] : [Buffer.from(all.subarray(nl))]));
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}
