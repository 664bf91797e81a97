// The health server (checked with curl-like fetches and in headless Chromium) and `foyer ctl`.
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { chownSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { BIN, FOYER, scratch, startFoyer, until } from "./harness.js";

const run = promisify(execFile);
/** Where the status page screenshot is kept for people to look at. */
const SHOT_DIR = process.env.FOYER_TEST_ARTIFACTS ?? "/tmp/foyer-test-artifacts";

const CHROMIUM = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
}

describe("health server", () => {
  it("serves /healthz, /readyz (503 until critical programs are ready), /status, /metrics and a status page Chromium renders", async () => {
    const dir = scratch();
    const port = 41900 + Math.floor(Math.random() * 90);
    const flag = join(dir, "rserver.ready");
    const foyer = await startFoyer({
      health: { listen: `127.0.0.1:${port}` },
      programs: {
        launcher: { command: ["sh", "-c", "echo 'launcher: listening on 5559'; echo 'warn: <b>not bold</b>' >&2; exec sleep 60"] },
        rserver: { command: ["sh", "-c", `echo 'rserver starting'; sleep 60`], after: ["launcher"], critical: true, ready: { file: flag, interval: "20ms" } },
        flaky: { command: [join(BIN, "crash"), "9"], restart: "never" },
      },
    });
    const base = `http://127.0.0.1:${port}`;
    await until(() => /started rserver/.test(foyer.stderr()), 20_000, "rserver to start");
    expect((await get(`${base}/healthz`)).status).toBe(200);
    const notReady = await get(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.body).toContain("rserver (STARTING)");
    writeFileSync(flag, "");
    await until(() => /rserver is ready/.test(foyer.stderr()), 20_000, "rserver ready");
    expect((await get(`${base}/readyz`)).status).toBe(200);

    const status = JSON.parse((await get(`${base}/status`)).body) as { programs: Array<{ name: string; state: string; pid: number | null; lastExit: { exitCode: number } | null }> };
    const byName = Object.fromEntries(status.programs.map((p) => [p.name, p]));
    expect(byName.rserver!.state).toBe("RUNNING");
    expect(byName.rserver!.pid).toBeGreaterThan(1);
    expect(byName.flaky!.state).toBe("EXITED"); // no probe: ready at once, then exited, restart: never
    expect(byName.flaky!.lastExit!.exitCode).toBe(9);
    const metrics = await get(`${base}/metrics`);
    expect(metrics.type).toContain("text/plain; version=0.0.4");
    expect(metrics.body).toContain('foyer_program_state{program="flaky",state="EXITED"} 1');
    expect(metrics.body).toContain('foyer_program_ready{program="rserver"} 1');
    expect((await fetch(`${base}/`, { method: "POST" })).status).toBe(405);

    // the page as a browser sees it
    const profile = join(dir, "chromium-profile");
    const dom = (await run("chromium", [...CHROMIUM, `--user-data-dir=${profile}`, "--dump-dom", `${base}/`], { timeout: 60_000 })).stdout;
    expect(dom).toContain("launcher: listening on 5559");
    expect(dom).toContain("&lt;b&gt;not bold&lt;/b&gt;");
    expect(dom).toMatch(/rserver[\s\S]*RUNNING/);
    expect(dom).toMatch(/flaky[\s\S]*EXITED[\s\S]*code 9/);
    mkdirSync(SHOT_DIR, { recursive: true });
    const shot = join(SHOT_DIR, "supervise-status-page.png");
    await run("chromium", [...CHROMIUM, `--user-data-dir=${profile}-2`, "--window-size=1100,800", `--screenshot=${shot}`, `${base}/`], { timeout: 60_000 });
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    foyer.signal("SIGTERM");
    expect((await foyer.done).code).toBe(0);
  }, 150_000);
});

describe("foyer ctl", () => {
  it("status, stop, start and restart over a 0600 control socket", async () => {
    const dir = scratch();
    const socket = join(dir, "run", "control.sock");
    const foyer = await startFoyer({ control: { socket }, programs: { web: { command: ["sleep", "60"] }, worker: { command: ["sleep", "60"], after: ["web"] } } });
    await until(() => existsSync(socket) && /worker is ready/.test(foyer.stderr()), 20_000, "control socket");
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    const ctl = (...args: string[]) => run(FOYER, ["ctl", "--socket", socket, ...args]).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    const status = await ctl("status");
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/^web\s+RUNNING\s+pid \d+/m);
    expect(status.out).toMatch(/^worker\s+RUNNING\s+pid \d+/m);

    expect((await ctl("stop", "worker")).out).toBe("worker: STOPPED\n");
    const after = await ctl("status");
    expect(after.code).toBe(3);
    expect(after.out).toMatch(/^worker\s+STOPPED/m);
    expect((await ctl("start", "worker")).out).toMatch(/^worker: RUNNING \(pid \d+\)\n$/);
    const before = /pid (\d+)/.exec((await ctl("status")).out)![1];
    const restarted = await ctl("restart", "web");
    expect(restarted.out).toMatch(/^web: RUNNING \(pid \d+\)\n$/);
    expect(restarted.out).not.toContain(`pid ${before})`);
    const missing = await ctl("stop", "nope");
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("no program named 'nope' (programs: web, worker)");

    foyer.signal("SIGTERM");
    expect((await foyer.done).code).toBe(0);
  }, 60_000);

  it("a control socket under a directory a user owns: a link the user planted there is not followed (no directory made through it)", async () => {
    const dir = scratch();
    const home = join(dir, "home");
    mkdirSync(home, { mode: 0o755 });
    chownSync(home, 65534, 65534);
    const target = join(dir, "elsewhere"); // stands for /etc
    mkdirSync(target, { mode: 0o755 });
    symlinkSync(target, join(home, ".config"));
    lchownSync(join(home, ".config"), 65534, 65534); // the link is the user's
    expect(lstatSync(join(home, ".config")).uid).toBe(65534);
    const foyer = await startFoyer({ control: { socket: join(home, ".config/foyer/control.sock") }, programs: { p: { command: ["sleep", "60"] } } });
    await until(() => /p is ready/.test(foyer.stderr()), 20_000, "p ready");
    expect(foyer.stderr()).toMatch(/control socket disabled: .*\.config is a symbolic link foyer does not follow: it belongs to uid 65534/);
    expect(readdirSync(target)).toEqual([]);
    foyer.signal("SIGTERM");
    expect((await foyer.done).code).toBe(0);
  }, 60_000);

  it("ctl status says why a program ended: 'not ready after …', or why it could not start", async () => {
    const dir = scratch();
    const socket = join(dir, "control.sock");
    const foyer = await startFoyer({
      control: { socket },
      programs: {
        slow: { command: ["sleep", "60"], ready: { tcp: 1, timeout: "500ms", interval: "50ms" }, restart: "never", stop: { grace: "1s" } },
        missing: { command: ["/nonexistent-foyer-test/bin"], restart: "never" },
        fine: { command: ["sleep", "60"] },
      },
    });
    await until(() => /slow was not ready after 0\.5s/.test(foyer.stderr()) && /missing could not start/.test(foyer.stderr()), 20_000, "both to end");
    const status = await run(FOYER, ["ctl", "--socket", socket, "status"]).then(
      (r) => r.stdout,
      (e: { stdout: string }) => e.stdout,
    );
    expect(status).toMatch(/^slow\s+FATAL\s+last exit 143: not ready after 0\.5s$/m);
    expect(status).toMatch(/^missing\s+FATAL\s+last exit 127: cannot execute '\/nonexistent-foyer-test\/bin': no such file or directory$/m);
    foyer.signal("SIGTERM");
    await foyer.done;
  }, 60_000);
});
