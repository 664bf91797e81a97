// Reading a file someone else may control, for a check: open first, then look at what was opened
// (O_NONBLOCK: opening a FIFO does not wait for a writer), so a file swapped for a FIFO or
// /dev/zero between a check and the read cannot hang foyer or fill its memory.
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";

/** A job-json-overrides file larger than this is not read (it is a JSON snippet, not data). */
export const MAX_OVERRIDE_BYTES = 1 << 20;

/** A regular file's text, or why it cannot be used ("does not exist", "is not a regular file"…). */
export function readRegularFile(path: string, maxBytes: number): { ok: true; text: string } | { ok: false; error: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, error: code === "ENOENT" ? "does not exist" : code === "EACCES" ? "is not readable (permission denied)" : `cannot be read (${code})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, error: "is not a regular file" };
    if (st.size > maxBytes) return { ok: false, error: `is larger than ${maxBytes} bytes` };
    return { ok: true, text: readFileSync(fd, "utf8") };
  } catch (err) {
    return { ok: false, error: `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  } finally {
    closeSync(fd);
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
