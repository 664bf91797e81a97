// How a process ended, as one shell-style number: its exit code, 128+n when signal n killed it,
// 126/127 when it never ran. Pure: no I/O.
import { constants } from "node:os";
import type { ExitStatus } from "./types.js";

/** Exit code when the program could not be executed (permission, format, user switch). */
export const EXIT_NOT_EXECUTABLE = 126;
/** Exit code when the program was not found. */
export const EXIT_NOT_FOUND = 127;

const SIGNALS: Record<string, number> = constants.signals;

/** The number of a signal name ("SIGTERM" → 15), undefined for unknown names. */
export function signalNumber(name: string): number | undefined {
  return SIGNALS[name];
}

/** The name of a signal number (15 → "SIGTERM"), or `SIG<n>` for numbers Node has no name for. */
export function signalName(n: number): string {
  for (const [name, value] of Object.entries(SIGNALS)) if (value === n && name !== "SIGIOT" && name !== "SIGPOLL") return name;
  return `SIG${n}`;
}

/** tini's rule: the code when it exited, 128+n when killed by signal n (mod 256 like a shell). */
export function exitCodeFor(status: { code: number | null; signal: string | null }): number {
  if (status.code !== null) return status.code & 0xff;
  if (status.signal !== null) return (128 + (signalNumber(status.signal) ?? 0)) & 0xff;
  return 0;
}

/** Decode a raw waitpid status word (WIFEXITED / WIFSIGNALED) into code or signal. */
export function decodeWaitStatus(raw: number): { code: number | null; signal: string | null } {
  const sig = raw & 0x7f;
  if (sig === 0) return { code: (raw >> 8) & 0xff, signal: null };
  return { code: null, signal: signalName(sig) };
}

/** The errno name that decides 126 vs 127: ENOENT (and a missing directory) means "not found". */
export function execFailureExitCode(errnoName: string | undefined): number {
  return errnoName === "ENOENT" || errnoName === "ENOTDIR" ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE;
}

/** The ExitStatus of a program that never ran. */
export function spawnFailure(exitCode: number, message: string): ExitStatus {
  return { code: null, signal: null, exitCode, spawnError: message };
}
