// The one way foyer runs a command as a user: its own `exec-as` (the trampoline and the addon's
// execAs: initgroups + setgid + setuid, login variables from the same resolver), never setpriv or
// spawn({uid, gid}). Programs and hooks get there through the Spawner; a synchronous one-off (the
// plan's run-command-as-user) through `foyer exec-as USER -- CMD`, built here.
import { spawnSync } from "node:child_process";

/** One command to run as `user`, in `cwd`, with exactly `env` (plus the user's login variables). */
export interface RunAsRequest {
  user: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

/** How it ended: the exit code, or the signal, or why it could not start. */
export interface RunAsResult {
  code: number | null;
  signal: string | null;
  error?: string;
}

/** Runs a command as a user and waits for it. */
export type RunAs = (req: RunAsRequest) => RunAsResult;

// exec-as loads the native addon again: where foyer was told to find it (noexec /tmp containers)
function addonLocation(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["FOYER_NATIVE_DIR", "FOYER_NATIVE_ADDON"]) if (process.env[name]) out[name] = process.env[name];
  return out;
}

/** argv of `foyer exec-as USER -- CMD…`, given how to start foyer itself. */
export function execAsArgv(self: readonly string[], user: string, argv: readonly string[]): string[] {
  return [...self, "exec-as", user, "--", ...argv];
}

/**
 * Run through `foyer exec-as` synchronously. `self` starts foyer (the binary, or node + bundle).
 * stdin is closed, output goes to foyer's stderr/stdout; exec-as exits with the command's code
 * (126/127 when the switch or exec failed, with its message on stderr).
 */
export function runAsSync(self: readonly string[]): RunAs {
  return ({ user, argv, cwd, env }) => {
    const [file, ...args] = execAsArgv(self, user, argv) as [string, ...string[]];
    const r = spawnSync(file, args, { cwd, env: { ...addonLocation(), ...env }, stdio: ["ignore", "inherit", "inherit"] });
    return { code: r.status, signal: r.signal, ...(r.error ? { error: r.error.message } : {}) };
  };
}
