// Small formatting helpers shared by the supervisor's log messages.

/** "TERM" or "SIGTERM" → "SIGTERM" (the form process.kill and the spawner accept). */
export function sigName(signal: string): string {
  return signal.startsWith("SIG") ? signal : `SIG${signal}`;
}

/** "1.5s" */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}
