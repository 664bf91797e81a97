// The trampoline: foyer started as `foyer exec-as __exec` by the Spawner, to become one child.
// It reads a request from fd 3 (never argv: no secrets on a command line), and the addon drops
// privileges and execs. fd 3 is close-on-exec, so the parent sees it close on success, or reads
// a one-line failure report and the exit code 126/127 when the exec failed.
import * as fs from "node:fs";
import { EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND } from "./exit-status.js";
import { loadNative, type NativeExecRequest } from "./native.js";

/** The fd the request arrives on and the report leaves on. */
export const TRAMPOLINE_FD = 3;
/** The hidden argv that selects trampoline mode (`foyer exec-as __exec`). */
export const TRAMPOLINE_ARGV = ["exec-as", "__exec"];

/** A byte string in the JSON request: a string when it is UTF-8, else its bytes in base64. */
export type WireBytes = string | { b64: string };

/** What the parent sends: the exec request, exact bytes as WireBytes. */
export type TrampolineRequest = Omit<NativeExecRequest, "file" | "argv" | "envp"> & { file: WireBytes; argv: WireBytes[]; envp: WireBytes[] };

/** A string as itself, Buffer bytes in base64. */
export function toWire(value: string | Buffer): WireBytes {
  return typeof value === "string" ? value : { b64: value.toString("base64") };
}

function fromWire(value: WireBytes): string | Buffer {
  return typeof value === "string" ? value : Buffer.from(value.b64, "base64");
}

/** What the trampoline sends back when it could not exec. */
export interface TrampolineReport {
  exitCode: number;
  message: string;
}

const ENOENT = 2;
const ENOTDIR = 20;

/** Run as the trampoline: exec the requested program or return 126/127 after reporting why. */
export function runTrampoline(): number {
  let req: TrampolineRequest;
  try {
    req = JSON.parse(fs.readFileSync(TRAMPOLINE_FD, "utf8")) as TrampolineRequest;
  } catch (err) {
    return report({ exitCode: EXIT_NOT_EXECUTABLE, message: `bad exec request: ${(err as Error).message}` });
  }
  const native = loadNative();
  if (!native.ok) {
    return report({ exitCode: EXIT_NOT_EXECUTABLE, message: `cannot execute '${String(fromWire(req.file))}': native addon unavailable: ${native.error}` });
  }
  const file = fromWire(req.file);
  const failure = native.addon.execAs({ ...req, file, argv: req.argv.map(fromWire), envp: req.envp.map(fromWire), reportFd: TRAMPOLINE_FD });
  const notFound = failure.stage === "exec" && (failure.errno === ENOENT || failure.errno === ENOTDIR);
  const what = failure.stage === "exec" ? "" : failure.stage === "chdir" ? `working directory ${req.cwd}: ` : `${failure.stage} failed: `;
  return report({
    exitCode: notFound ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE,
    message: `cannot execute '${String(file)}': ${what}${failure.message}`,
  });
}

// The parent prints the message; stderr is the fall-back when the report channel is gone.
function report(r: TrampolineReport): number {
  try {
    fs.writeSync(TRAMPOLINE_FD, JSON.stringify(r) + "\n");
  } catch {
    process.stderr.write(`foyer: ${r.message}\n`);
  }
  return r.exitCode;
}
