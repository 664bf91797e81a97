// Reading a file someone else may control, for a check: through src/fs readRegularFile (opened
// O_NONBLOCK and looked at on the descriptor, so a file swapped for a FIFO or /dev/zero cannot hang
// foyer or fill its memory; links followed only when root or foyer made them, so a planted
// `~/overrides.json -> /etc/shadow` is not read by root).
import { readRegularFile as readFile, realFs, UnsafePathError } from "../fs/index.js";

/** A job-json-overrides file larger than this is not read (it is a JSON snippet, not data). */
export const MAX_OVERRIDE_BYTES = 1 << 20;

/** A regular file's text, or why it cannot be used ("does not exist", "is not a regular file"…). */
export function readRegularFile(path: string, maxBytes: number): { ok: true; text: string } | { ok: false; error: string } {
  try {
    const bytes = readFile(realFs, path, maxBytes, { followOwnLinks: true });
    if (!Buffer.isBuffer(bytes)) return { ok: false, error: `is larger than ${maxBytes} bytes` };
    return { ok: true, text: bytes.toString("utf8") };
  } catch (err) {
    if (err instanceof UnsafePathError) return { ok: false, error: err.path === path ? err.problem : `cannot be read: ${err.message}` };
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) return { ok: false, error: (err as Error).message.endsWith("not a regular file") ? "is not a regular file" : `cannot be read (${(err as Error).message})` };
    return { ok: false, error: code === "ENOENT" ? "does not exist" : code === "EACCES" ? "is not readable (permission denied)" : `cannot be read (${code})` };
  }
}

/** Whether a job-json-overrides file on disk is usable: undefined if so, else why not (the plugin reads it as JSON). */
export function overrideFileOnDisk(path: string): string | undefined {
  const r = readRegularFile(path, MAX_OVERRIDE_BYTES);
  if (!r.ok) return r.error;
  try {
    JSON.parse(r.text);
    return undefined;
  } catch {
    return "is not valid JSON";
  }
}

/** The same, where the plan writes some files first: those count as usable when their content parses. */
export function overrideFileCheck(planned: ReadonlyMap<string, string>): (path: string) => string | undefined {
  return (path) => {
    const text = planned.get(path);
    if (text === undefined) return overrideFileOnDisk(path);
    try {
      JSON.parse(text);
      return undefined;
    } catch {
      return "is not valid JSON";
    }
  };
}
