// Node decodes its argv and environment as UTF-8, turning any other byte into U+FFFD, and its
// child_process can pass only strings on. tini and gosu pass CMD's arguments and the environment
// through byte for byte (a Latin-1 file name, a value from a legacy locale), so foyer takes the
// exact bytes from /proc/self/cmdline and /proc/self/environ when some are not UTF-8, and the
// Spawner hands them to execve through the native addon (for every child: an inherited value that
// reaches a program unchanged keeps its bytes).
import { readFileSync } from "node:fs";
import { isUtf8 } from "node:buffer";

/** NUL-terminated entries of a /proc file. */
function entries(path: string): Buffer[] {
  const bytes = readFileSync(path);
  const out: Buffer[] = [];
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(0, start);
    out.push(bytes.subarray(start, end < 0 ? bytes.length : end));
    start = end < 0 ? bytes.length : end + 1;
  }
  return out;
}

let ownEnvironment: Map<string, Buffer> | undefined;

/**
 * foyer's own environment entries that are not UTF-8, by name (empty when /proc cannot tell).
 * Read once and kept: the environment foyer started with does not change, and once foyer is not
 * dumpable (runtime.ts) a non-root foyer may no longer open its own /proc/self/environ.
 */
export function exactEnvironment(read?: (path: string) => Buffer[]): Map<string, Buffer> {
  if (read) return readExactEnvironment(read);
  return (ownEnvironment ??= readExactEnvironment(entries));
}

function readExactEnvironment(read: (path: string) => Buffer[]): Map<string, Buffer> {
  const env = new Map<string, Buffer>();
  let environ: Buffer[];
  try {
    environ = read("/proc/self/environ");
  } catch {
    return env;
  }
  for (const e of environ) {
    if (isUtf8(e)) continue;
    const eq = e.indexOf(0x3d);
    if (eq > 0) env.set(e.subarray(0, eq).toString("utf8"), e);
  }
  return env;
}

/**
 * The exact bytes of `cmd`, the last arguments foyer was given, when some are not UTF-8; undefined
 * when all are (the strings are exact then) or /proc cannot tell.
 */
export function exactArgv(cmd: readonly string[], read: (path: string) => Buffer[] = entries): Buffer[] | undefined {
  let args: Buffer[];
  try {
    args = read("/proc/self/cmdline");
  } catch {
    return undefined;
  }
  const argv = args.slice(args.length - cmd.length);
  // the tail of foyer's own argv is CMD: each entry must decode to the string foyer parsed
  if (argv.length !== cmd.length || argv.some((b, i) => b.toString("utf8") !== cmd[i])) return undefined;
  return argv.every((b) => isUtf8(b)) ? undefined : argv;
}
