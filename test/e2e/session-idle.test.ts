// End to end: Debian's Jupyter server (jupyter_server + ipykernel) as the session of kind jupyter,
// foyer as PID 1 of a Debian root. /idle reads the server's /api/status with the token from a
// secret: idle with no kernel, busy while a kernel runs, idle again after it is shut down.
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "../..");
const ROOTFS = process.env.ROOTFS_JUPYTER ?? "/tmp/foyer-testkit/rootfs-jupyter";
const haveRootfs = existsSync(join(ROOTFS, "usr/lib/python3/dist-packages/jupyter_server")) && existsSync(join(ROOTFS, "usr/lib/python3/dist-packages/ipykernel"));
const TOKEN = "tok-\"quoted\\-and-long-enough";

interface Idle {
  state: string;
  lastActivity: string;
  sources: Array<{ name: string; busy: boolean; detail: string }>;
}

async function poll<T>(what: () => string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!haveRootfs && !process.env.CI)("session idle detection with Debian's Jupyter server", () => {
  it("/idle: idle with no kernel, busy while a kernel runs (kernels=1) and while a client is connected to it, idle after it is shut down; the token never shows", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const health = port + 1;
    const app = mkdtempSync(join(tmpdir(), "foyer-session-"));
    chmodSync(app, 0o755);
    copyFileSync(join(ROOT, "dist/foyer"), join(app, "foyer"));
    writeFileSync(
      join(app, "spec.json"),
      JSON.stringify({
        secrets: { jtoken: { env: "JTOKEN" } },
        health: { listen: `127.0.0.1:${health}` },
        session: {
          kind: "jupyter",
          ports: { server: port },
          idle: { sources: [{ jupyter: `http://127.0.0.1:${port}/`, tokenSecret: "jtoken" }], interval: "200ms" },
        },
        programs: {
          jupyter: {
            command: ["python3", "-m", "jupyter_server", `--port=${port}`, "--ip=127.0.0.1", "--no-browser", "--allow-root"],
            secrets: { JUPYTER_TOKEN: "jtoken" },
            env: { HOME: "/root" },
          },
        },
      }),
    );
    const child = spawn("sh", [join(ROOT, "test/e2e/run-in-rootfs.sh"), "/usr/bin/env", `JTOKEN=${TOKEN}`, "/opt/app/foyer", "run", "--spec", "/opt/app/spec.json"], {
      env: { ...process.env, ROOTFS, APP: app },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const idle = async (): Promise<{ status: number; body: Idle }> => {
      const r = await fetch(`http://127.0.0.1:${health}/idle`);
      return { status: r.status, body: (await r.json()) as Idle };
    };
    const until = (state: string) => poll(() => `/idle ${state}; output:\n${out}`, async () => ((await idle()).body.state === state ? idle() : undefined));
    const api = (path: string, method = "GET") => fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `token ${TOKEN}` } });
    try {
      // the kind's readiness probe (/api, through no proxy here: Traefik is not in this root)
      await poll(() => `jupyter ready; output:\n${out}`, async () => (/jupyter is ready/.test(out) ? true : undefined));
      expect(out).toMatch(/the routing proxy is not run: \/usr\/local\/bin\/traefik is not there/);
      const quiet = await until("idle");
      expect(quiet.status).toBe(200);
      expect(quiet.body.sources[0]!.detail).toBe("kernels=0 connections=0");

      const kernel = (await (await api("/api/kernels", "POST")).json()) as { id: string };
      expect(kernel.id).toMatch(/^[0-9a-f-]{36}$/);
      const busy = await poll(() => `kernels=1; output:\n${out}`, async () => {
        const r = await idle();
        return r.body.sources[0]!.detail.startsWith("kernels=1") ? r : undefined;
      });
      expect(busy.status).toBe(503);
      expect(busy.body.sources[0]!.detail).toBe("kernels=1 connections=0");
      // a browser tab on the kernel: its websocket is one of Jupyter's connections
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/kernels/${kernel.id}/channels?token=${encodeURIComponent(TOKEN)}`);
      await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
      await poll(() => `connections=1; output:\n${out}`, async () => ((await idle()).body.sources[0]!.detail === "kernels=1 connections=1" ? true : undefined), 20_000);
      ws.close();
      await poll(() => `connections=0; output:\n${out}`, async () => ((await idle()).body.sources[0]!.detail === "kernels=1 connections=0" ? true : undefined), 20_000);

      expect((await api(`/api/kernels/${kernel.id}`, "DELETE")).status).toBe(204);
      const after = await until("idle");
      expect(after.status).toBe(200);
      // Jupyter's own last_activity moved with the kernel's life
      expect(Date.parse(after.body.lastActivity)).toBeGreaterThanOrEqual(Date.parse(quiet.body.lastActivity));
      expect(JSON.stringify(after.body)).not.toContain(TOKEN);
      child.kill("SIGTERM");
      expect(await exited, out).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
    expect(out).toMatch(/exiting with code 0/);
    expect(out).not.toContain(TOKEN);
  }, 120_000);
});
