// Runs the supervisor as users do: `dist/foyer run --spec SPEC [-- CMD]` as PID 1 of a fresh PID
// namespace (`unshare --pid --fork --mount-proc`). Build it first with `make`.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
/** The stand-in programs. */
export const BIN = join(ROOT, "test/fixtures/supervise/bin");
/** The binary under test ($FOYER_BIN: another build, e.g. to see a regression test fail on old code). */
export const FOYER = process.env.FOYER_BIN ?? join(ROOT, "dist/foyer");

/** A fresh scratch directory. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), "foyer-sup-"));
}

/** A running foyer (inside its PID namespace). */
export interface Running {
  proc: ChildProcess;
  stdout: () => string;
  stdoutBytes: () => Buffer;
  stderr: () => string;
  /** host pid of foyer itself (PID 1 inside the namespace) */
  foyerPid: () => number;
  signal: (sig: NodeJS.Signals) => void;
  done: Promise<{ code: number; ms: number }>;
}

/** Start `foyer run --spec` with a spec (an object, written as JSON) and optional `-- CMD`. */
export function startFoyer(spec: object, opts: { main?: string[]; env?: Record<string, string> } = {}): Running {
  const dir = scratch();
  const specFile = join(dir, "spec.json");
  writeFileSync(specFile, JSON.stringify({ control: { enabled: false }, ...spec }));
  const argv = ["--pid", "--fork", "--mount-proc", FOYER, "run", "--spec", specFile, ...(opts.main ? ["--", ...opts.main] : [])];
  const t0 = Date.now();
  const proc = spawn("unshare", argv, {
    env: { PATH: `${BIN}:/usr/bin:/bin`, ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  proc.stdout!.on("data", (d: Buffer) => out.push(d));
  proc.stderr!.on("data", (d: Buffer) => err.push(d));
  const done = new Promise<{ code: number; ms: number }>((res) => proc.on("close", (code, sig) => res({ code: code ?? 128 + (sig ? 15 : 0), ms: Date.now() - t0 })));
  const foyerPid = (): number => {
    const children = readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, "utf8").trim();
    return Number(children.split(" ")[0]);
  };
  return {
    proc,
    stdout: () => Buffer.concat(out).toString(),
    stdoutBytes: () => Buffer.concat(out),
    stderr: () => Buffer.concat(err).toString(),
    foyerPid,
    signal: (sig) => process.kill(foyerPid(), sig),
    done,
  };
}

/** Poll until `check` is true (or fail after `ms`). */
export async function until(check: () => boolean, ms = 20_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Lines of a stand-in's event log ("name event nanos"), or [] before it exists. */
export function events(log: string): Array<{ name: string; what: string; t: number }> {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const parts = l.split(" ");
      return { name: parts[0]!, what: parts.slice(1, -1).join(" "), t: Number(BigInt(parts.at(-1)!) / 1_000_000n) };
    });
}

/** foyer's JSON log records from stderr. */
export function records(stderr: string): Array<Record<string, unknown> & { msg: string; time: string }> {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown> & { msg: string; time: string });
}

/** A memory figure of a process from /proc/PID/status, in KiB (VmRSS: all resident; RssAnon: its own, private). */
export function memKiB(pid: number, field: "VmRSS" | "RssAnon" = "VmRSS"): number {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0);
}
