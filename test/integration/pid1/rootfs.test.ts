// The single binary, copied alone into a plain Debian root (no Node, no build tree), is PID 1 there.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOYER, requireBinary } from "./harness.js";

const TESTKIT = "/work/shared/testkit";
const ROOTFS = process.env.ROOTFS ?? "/tmp/foyer-testkit/rootfs";
let app: string;

beforeAll(() => {
  requireBinary();
  // ~60 s once per machine (debootstrap minbase); reused afterwards.
  if (!fs.existsSync(path.join(ROOTFS, "bin/sh"))) execFileSync("sh", [`${TESTKIT}/make-rootfs.sh`, ROOTFS], { stdio: "ignore" });
  app = fs.mkdtempSync(path.join(os.tmpdir(), "foyer-rootfs-app-"));
  fs.copyFileSync(FOYER, path.join(app, "foyer"));
  fs.chmodSync(path.join(app, "foyer"), 0o755);
});

afterAll(() => fs.rmSync(app, { recursive: true, force: true }));

function inRootfs(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn("sh", [`${TESTKIT}/run-in-rootfs.sh`, ...args], { env: { ...process.env, ROOTFS, APP: app }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d));
    p.stderr.on("data", (d: Buffer) => (stderr += d));
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("dist/foyer alone in a Debian root", () => {
  it("runs `foyer run -- sh -c 'exit 3'` as PID 1 and exits 3", async () => {
    const r = await inRootfs(["/opt/app/foyer", "run", "--", "sh", "-c", "exit 3"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(3);
  });

  it("reaps orphans there (the addon loads from the SEA asset)", async () => {
    const script = "i=0; while [ $i -lt 20 ]; do (sleep 0.1 &); i=$((i+1)); done; sleep 1.2; echo pid=$PPID zombies=$(cat /proc/[0-9]*/stat | grep -c ') Z '); exit 3";
    const r = await inRootfs(["/opt/app/foyer", "run", "--", "sh", "-c", script]);
    expect(r.stdout.trim()).toBe("pid=1 zombies=0");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(3);
  });
});
