// Runs dist/foyer for real: as PID 1 of a fresh PID namespace (unshare --pid --fork --mount-proc),
// or as a plain child (then foyer is a subreaper). Gives the host pid of foyer for signalling.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { fileURLToPath } from "node:url";

/** The binary under test (built by `make`). */
export const FOYER = fileURLToPath(new URL("../../../dist/foyer", import.meta.url));

/** A running foyer. */
export interface Running {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** host pid of foyer itself (the namespace's PID 1 when started in a namespace) */
  foyerPid(): Promise<number>;
  /** resolves when `text` appeared on stdout */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Start `foyer ARGS` (in a new PID namespace unless `pidns: false`). */
export function startFoyer(
  args: string[],
  opts: { pidns?: boolean; env?: NodeJS.ProcessEnv; wrap?: string[]; binary?: string; cwd?: string } = {},
): Running {
  const pidns = opts.pidns ?? true;
  const argv = [...(opts.wrap ?? []), opts.binary ?? FOYER, ...args];
  const [file, ...rest] = pidns ? ["unshare", "--pid", "--fork", "--mount-proc", ...argv] : (argv as [string, ...string[]]);
  const proc = spawn(file!, rest, { stdio: ["ignore", "pipe", "pipe"], env: opts.env ?? process.env, cwd: opts.cwd });
  let out = "";
  let err = "";
  proc.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    proc.on("close", (code, signal) => resolve({ code, signal, stdout: out, stderr: err })),
  );
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    done,
    async foyerPid() {
      if (!pidns && !opts.wrap) return proc.pid!;
      // unshare --fork: foyer (or the wrapper that execs it) is unshare's only child.
      for (let i = 0; i < 500; i++) {
        const kids = readChildren(proc.pid!);
        if (kids.length) {
          const pid = kids[0]!;
          if (fs.readlinkSync(`/proc/${pid}/exe`).endsWith("/foyer")) return pid;
        }
        await sleep(10);
      }
      throw new Error("foyer did not start");
    },
    async waitFor(text, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${JSON.stringify(text)}; stdout=${out} stderr=${err}`);
        await sleep(5);
      }
    },
  };
}

/** Run to completion. */
export function runFoyer(args: string[], opts: Parameters<typeof startFoyer>[1] = {}) {
  return startFoyer(args, opts).done;
}

/** Children of a host pid (all threads). */
export function readChildren(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, "latin1");
      for (const s of text.split(" ")) if (s) out.push(Number(s));
    }
  } catch {
    // gone
  }
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fail fast with a useful message when the binary was not built. */
export function requireBinary(): void {
  if (!fs.existsSync(FOYER)) throw new Error(`${FOYER} missing: run 'make' first`);
}
