// Small formatting helpers shared by the supervisor's log messages.

/** "TERM" or "SIGTERM" → "SIGTERM" (the form process.kill and the spawner accept). */
export function sigName(signal: string): string {
  return signal.startsWith("SIG") ? signal : `SIG${signal}`;
}

/** "1.5s" */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** How one run of a process ended, as kept for status (program runs and oneshot downs alike). */
export interface RunExit {
  code: number | null;
  signal: string | null;
  exitCode: number;
  at: number;
  spawnError?: string;
  /** why foyer stopped that run on its own (e.g. "not ready after 60s") */
  reason?: string;
}

/** "exited with code 3" / "was killed by SIGKILL (exit 137)" / "could not start: ..." / "was not ready after 60s; ..." */
export function describeExit(e: RunExit | null): string {
  if (!e) return "never ran";
  if (e.spawnError) return `could not start: ${e.spawnError} (exit ${e.exitCode})`;
  const how = e.signal ? `was killed by ${sigName(e.signal)} (exit ${e.exitCode})` : `exited with code ${e.code}`;
  // a run foyer stopped on its own says why first: an OOM-looking "killed by SIGKILL" alone would mislead
  return e.reason ? `was ${e.reason}; when stopped it ${how}` : how;
}
