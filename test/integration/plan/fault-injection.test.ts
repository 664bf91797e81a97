// SIGKILL a real apply at random points (≥ 50 runs), alternating between two versions of a plan
// whose files differ in bytes, mode and owner. After every kill each target must be exactly its
// previous state or its new one (never partial, never new bytes with old mode/owner); afterwards a
// clean apply converges to byte-identical output and a further apply changes nothing.
import { spawn } from "node:child_process";
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Action } from "../../../src/plan/index.js";

const RUNS = 60;
const FILES = 20;
let work: string;
let child: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "foyer-fault-"));
  chmodSync(work, 0o755);
  child = join(work, "child.cjs");
  buildSync({ entryPoints: [join(import.meta.dirname, "fault-child.ts")], bundle: true, platform: "node", format: "cjs", outfile: child, logLevel: "error" });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Version = "A" | "B";
const META = { A: { mode: 0o644, uid: 0, gid: 0 }, B: { mode: 0o640, uid: 1234, gid: 2345 } } as const;
const root = () => join(work, "root");
const conf = () => join(root(), "etc", "product");
const filePath = (i: number) => join(conf(), `file${String(i).padStart(2, "0")}.conf`);
const linkPath = () => join(root(), "current");

/** Sizeable, distinct content per file and version, so a partial write is detectable anywhere. */
function content(v: Version, i: number): string {
  const line = `${v}${i}:` + `${v}`.repeat(100) + "\n";
  return line.repeat(300 + i * 20);
}

function plan(v: Version): Action[] {
  const m = META[v];
  return [
    { kind: "ensure-dir", path: conf(), reason: "fault test", mode: 0o755 },
    ...Array.from({ length: FILES }, (_, i): Action => ({ kind: "write-file", path: filePath(i), reason: "fault test", content: content(v, i), mode: m.mode, owner: `${m.uid}:${m.gid}`, secret: false })),
    { kind: "symlink", path: linkPath(), reason: "fault test", target: `/opt/version-${v}` },
  ];
}

type State = "missing" | Version;

/** Which version a file is, checking bytes AND mode AND owner; throws on anything else. */
function fileState(i: number): State {
  let st;
  try {
    st = lstatSync(filePath(i));
  } catch {
    return "missing";
  }
  const bytes = readFileSync(filePath(i), "utf8");
  const v = (["A", "B"] as const).find((x) => bytes === content(x, i));
  if (!v) throw new Error(`${filePath(i)} is partial or corrupt (${bytes.length} bytes)`);
  const m = META[v];
  if ((st.mode & 0o7777) !== m.mode || st.uid !== m.uid || st.gid !== m.gid) {
    throw new Error(`${filePath(i)} has version ${v} bytes but mode ${(st.mode & 0o7777).toString(8)} owner ${st.uid}:${st.gid}`);
  }
  return v;
}

function linkState(): State {
  try {
    return readlinkSync(linkPath()).slice(-1) as Version;
  } catch {
    return "missing";
  }
}

/** Run the child on a plan; kill it `killAfterMs` after it says "go" (undefined = let it finish). */
function runChild(v: Version, killAfterMs?: number): Promise<{ killed: boolean; out: string }> {
  const planFile = join(work, `plan-${v}.json`);
  writeFileSync(planFile, JSON.stringify(plan(v)));
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, planFile], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => {
      const first = out === "";
      out += d.toString();
      if (first && killAfterMs !== undefined) setTimeout(() => p.kill("SIGKILL"), killAfterMs);
    });
    p.stderr.on("data", (d: Buffer) => (err += d.toString()));
    p.on("error", reject);
    p.on("close", (code, signal) => {
      if (signal === "SIGKILL") resolve({ killed: true, out });
      else if (code === 0) resolve({ killed: false, out });
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

test(`SIGKILL at random points during apply (${RUNS} runs): no partial file, no file missing its mode/owner, then convergence`, async () => {
  // calibrate: how long does a full apply of a version change take?
  await runChild("A");
  const calib = JSON.parse((await runChild("B")).out.split("\n")[1]!) as { ms: number; changed: number };
  expect(calib.changed).toBe(FILES + 1); // every file and the link changed; the dir did not
  // the kill window adapts to the machine's speed right now (other tests may be loading it)
  let window = Math.max(5, calib.ms * 1.2);

  const prev = new Map<number, State>(Array.from({ length: FILES }, (_, i) => [i, fileState(i)]));
  let prevLink = linkState();
  let killedMidway = 0;
  let completed = 0;
  let killedBeforeAnyChange = 0;
  for (let run = 0; run < RUNS; run++) {
    if (run % 10 === 0) rmSync(root(), { recursive: true, force: true }); // also exercise first-time creation
    if (run % 10 === 0) {
      for (let i = 0; i < FILES; i++) prev.set(i, "missing");
      prevLink = "missing";
    }
    const v: Version = run % 2 === 0 ? "A" : "B";
    const r = await runChild(v, Math.random() * window);
    const states = Array.from({ length: FILES }, (_, i) => fileState(i));
    states.forEach((s, i) => expect([prev.get(i), v]).toContain(s));
    expect([prevLink, v]).toContain(linkState());
    const changedSome = states.some((s, i) => s !== prev.get(i));
    const done = states.every((s) => s === v);
    if (!r.killed) completed++;
    else if (changedSome && !done) killedMidway++;
    else if (!changedSome && !done) killedBeforeAnyChange++;
    if (!r.killed || (done && changedSome)) window *= 0.85;
    else if (!changedSome) window *= 1.1;
    states.forEach((s, i) => prev.set(i, s));
    prevLink = linkState();
    const dir = lstatSync(conf(), { throwIfNoEntry: false });
    if (dir) expect(dir.mode & 0o7777).toBe(0o755);
  }
  // the kills must really have landed inside applies, not only before or after them
  expect(killedMidway).toBeGreaterThanOrEqual(RUNS / 6);

  const converge = await runChild("B");
  expect(converge.killed).toBe(false);
  for (let i = 0; i < FILES; i++) expect(fileState(i)).toBe("B");
  expect(linkState()).toBe("B");
  expect(readdirSync(conf()).filter((n) => n.startsWith("."))).toEqual([]); // no temp left behind
  const again = JSON.parse((await runChild("B")).out.split("\n")[1]!) as { changed: number };
  expect(again.changed).toBe(0);
  console.log(
    `fault injection: ${RUNS} runs, final kill window ${window.toFixed(1)} ms (first ${(calib.ms * 1.2).toFixed(1)}): ${killedMidway} killed mid-apply, ` +
      `${killedBeforeAnyChange} before any change, ${completed} completed, ${RUNS - killedMidway - killedBeforeAnyChange - completed} killed after the last change`,
  );
}, 60_000);
