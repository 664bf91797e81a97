// foyer as an init vs tini and dumb-init (Debian packages), side by side. Prints numbers and ratios;
// asserts nothing. Run through bench/pid1/run.sh (needs root, unshare, hyperfine, tini, dumb-init).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const FOYER = path.resolve(process.argv[2] ?? "dist/foyer");
const ORPHANS = Number(process.env.ORPHANS ?? 10_000);
const SIGNAL_RUNS = Number(process.env.SIGNAL_RUNS ?? 20);
const INITS: Record<string, string[]> = {
  tini: ["tini", "-s", "-g", "--"],
  "dumb-init": ["dumb-init", "--"],
  foyer: [FOYER, "run", "--"],
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const hr = () => process.hrtime.bigint();
const fmt = (x: number, d = 1) => x.toFixed(d);

/** The init's host pid when started under `unshare --fork` (its only child). */
async function childOf(pid: number): Promise<number> {
  for (let i = 0; i < 1000; i++) {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "latin1").trim();
    if (kids) return Number(kids.split(" ")[0]);
    await sleep(2);
  }
  throw new Error(`no child of ${pid}`);
}

function inNamespace(init: string[], cmd: string[], stdio: "pipe" | "ignore" = "pipe"): ChildProcess {
  return spawn("unshare", ["--pid", "--fork", "--mount-proc", ...init, ...cmd], { stdio: ["ignore", stdio, "inherit"] });
}

/** Start-to-exec overhead for CMD=true: hyperfine medians minus bare `true`. */
function startOverhead(): Record<string, number> {
  const out = "/tmp/foyer-bench-hyperfine.json";
  const cmds = ["true", ...Object.values(INITS).map((i) => [...i, "true"].join(" "))];
  execFileSync("hyperfine", ["-N", "--warmup", "3", "--runs", "30", "--export-json", out, ...cmds], { stdio: "ignore" });
  const results = (JSON.parse(fs.readFileSync(out, "utf8")) as { results: Array<{ median: number }> }).results;
  const base = results[0]!.median * 1000;
  const names = Object.keys(INITS);
  return Object.fromEntries(names.map((n, i) => [n, results[i + 1]!.median * 1000 - base]));
}

/** Peak RSS (VmHWM) and private memory (RssAnon) of the init while it supervises one `sleep`. */
async function rss(init: string[]): Promise<{ peak: number; anon: number }> {
  const p = inNamespace(init, ["sleep", "2"], "ignore");
  const pid = await childOf(p.pid!);
  await sleep(1500);
  const status = fs.readFileSync(`/proc/${pid}/status`, "latin1");
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]) / 1024;
  await new Promise((r) => p.on("close", r));
  return { peak: mb("VmHWM"), anon: mb("RssAnon") };
}

// The main program under the init: makes N orphans blocked on a fifo, releases them all at once and
// times until the init's children list is back to just itself (every orphan exited and reaped).
const ORPHAN_PROGRAM = `
const fs = require("fs"), cp = require("child_process");
const N = Number(process.argv[1]), fifo = "/tmp/foyer-bench-fifo-" + Date.now() + "-" + Math.random().toString(36).slice(2);
cp.execFileSync("mkfifo", [fifo]);
cp.execFileSync("sh", ["-c", "i=0; while [ $i -lt " + N + " ]; do cat " + fifo + " >/dev/null & i=$((i+1)); done"], { stdio: "ignore" });
const kids = () => fs.readdirSync("/proc/1/task").flatMap((t) => fs.readFileSync("/proc/1/task/" + t + "/children", "latin1").split(" ").filter(Boolean));
while (kids().length < N + 1) cp.execFileSync("sleep", ["0.05"]);
cp.execFileSync("sleep", ["0.3"]);
const poke = () => { try { fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); } catch {} };
const t0 = process.hrtime.bigint(); let last = 0n;
poke();
while (kids().length > 1) { if (process.hrtime.bigint() - last > 20000000n) { poke(); last = process.hrtime.bigint(); } }
console.log(Number(process.hrtime.bigint() - t0) / 1e6);
fs.rmSync(fifo);
`;

async function reapTime(init: string[]): Promise<number> {
  const p = inNamespace(init, [process.execPath, "-e", ORPHAN_PROGRAM, String(ORPHANS)]);
  let out = "";
  p.stdout!.on("data", (d: Buffer) => (out += d));
  await new Promise((r) => p.on("close", r));
  return Number(out.trim());
}

// The child records when its SIGTERM handler ran (CLOCK_MONOTONIC, comparable across processes).
const SIGNAL_PROGRAM = `process.on("SIGTERM", () => { console.log("got " + process.hrtime.bigint()); process.exit(0); }); console.log("ready"); setInterval(() => {}, 1000);`;

async function signalLatency(init: string[]): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < SIGNAL_RUNS; i++) {
    const p = inNamespace(init, [process.execPath, "-e", SIGNAL_PROGRAM]);
    let out = "";
    p.stdout!.on("data", (d: Buffer) => (out += d));
    const pid = await childOf(p.pid!);
    while (!out.includes("ready")) await sleep(2);
    await sleep(20);
    const t0 = hr();
    process.kill(pid, "SIGTERM");
    await new Promise((r) => p.on("close", r));
    samples.push(Number(BigInt(/got (\d+)/.exec(out)![1]!) - t0) / 1e6);
  }
  return median(samples);
}

async function main(): Promise<void> {
  const names = Object.keys(INITS);
  const rows: Record<string, Record<string, number>> = {};
  const overhead = startOverhead();
  for (const n of names) rows[n] = { "start overhead ms (CMD=true, median of 30)": overhead[n]! };
  for (const n of names) {
    const r = await rss(INITS[n]!);
    rows[n]!["peak RSS MB (VmHWM, supervising sleep)"] = r.peak;
    rows[n]!["private RSS MB (RssAnon, same)"] = r.anon;
  }
  for (const n of names) rows[n]![`ms until ${ORPHANS} orphans reaped`] = await reapTime(INITS[n]!);
  for (const n of names) rows[n]![`SIGTERM latency ms (median of ${SIGNAL_RUNS})`] = await signalLatency(INITS[n]!);
  const metrics = Object.keys(rows.foyer!);
  const w = Math.max(...metrics.map((m) => m.length));
  console.log(`${"".padEnd(w)}  ${names.map((n) => n.padStart(10)).join("")}  foyer/tini  foyer/dumb-init`);
  for (const m of metrics) {
    const v = names.map((n) => rows[n]![m]!);
    const f = rows.foyer![m]!;
    console.log(`${m.padEnd(w)}  ${v.map((x) => fmt(x, 2).padStart(10)).join("")}  ${fmt(f / rows.tini![m]!, 2).padStart(10)}x  ${fmt(f / rows["dumb-init"]![m]!, 2).padStart(14)}x`);
  }
}

void main();
