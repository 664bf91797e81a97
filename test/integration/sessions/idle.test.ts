// /idle through the binary: foyer as PID 1 of a PID namespace with a session: whose server is a real
// HTTP server; a real client holding a TCP connection to the server port makes the session busy,
// closing it makes it idle again; culling stops the session in order with exit code 0.
import { connect, type Socket } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { scratch, startFoyer, until } from "../supervise/harness.js";

const randomPort = (): number => 20000 + Math.floor(Math.random() * 30000);

interface Idle {
  state: string;
  lastActivity: string;
  idleSeconds: number;
  sources: Array<{ name: string; busy: boolean; detail: string }>;
}

async function idle(base: string): Promise<{ status: number; body: Idle } | undefined> {
  try {
    const res = await fetch(`${base}/idle`);
    return { status: res.status, body: (await res.json()) as Idle };
  } catch {
    return undefined;
  }
}

async function untilIdle(base: string, state: string, what: string): Promise<{ status: number; body: Idle }> {
  let last: { status: number; body: Idle } | undefined;
  const end = Date.now() + 20_000;
  for (;;) {
    last = await idle(base);
    if (last?.body.state === state) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last /idle: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function spec(dir: string, server: number, health: number, idleExtra: object = {}) {
  return {
    health: { listen: `127.0.0.1:${health}` },
    session: {
      kind: "jupyter",
      ports: { server },
      routing: { traefik: join(dir, "no-traefik"), dir: join(dir, "traefik") },
      idle: { sources: [{ connections: server }], interval: "100ms", ...idleExtra },
    },
    // the session's server: a real HTTP server on the session's server port (Jupyter is tested in test/e2e)
    programs: { jupyter: { command: ["python3", "-m", "http.server", String(server), "--bind", "127.0.0.1"], ready: { tcp: server } } },
  };
}

describe("session idle detection (/idle)", () => {
  it("flips idle → busy while a client holds a TCP connection to the server port, and back after it closes", async () => {
    const dir = scratch();
    const server = randomPort();
    const health = randomPort();
    const foyer = startFoyer(spec(dir, server, health));
    const base = `http://127.0.0.1:${health}`;
    let client: Socket | undefined;
    try {
      await until(() => /jupyter is ready/.test(foyer.stderr()), 20_000, "the server to be ready");
      const first = await untilIdle(base, "idle", "idle at first");
      expect(first.status).toBe(200);
      expect(first.body.sources).toEqual([{ name: `connections :${server}`, busy: false, detail: `0 established connections to port ${server}` }]);

      client = connect({ host: "127.0.0.1", port: server });
      await new Promise((r) => client!.once("connect", r));
      const busy = await untilIdle(base, "busy", "busy while the client is connected");
      expect(busy.status).toBe(503);
      expect(busy.body.sources[0]!.detail).toBe(`1 established connection to port ${server}`);
      expect(busy.body.idleSeconds).toBe(0);
      const activeAt = Date.parse(busy.body.lastActivity);
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^foyer_session_idle 0$/m);

      client.destroy();
      const after = await untilIdle(base, "idle", "idle after the client left");
      expect(after.status).toBe(200);
      expect(Date.parse(after.body.lastActivity)).toBeGreaterThanOrEqual(activeAt);
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^foyer_session_idle 1$/m);

      // the routing proxy's binary is absent: its config is written all the same, and foyer says so
      expect(foyer.stderr()).toMatch(/the routing proxy is not run: .*no-traefik is not there/);
      const dynamic = parse(readFileSync(join(dir, "traefik/dynamic.yaml"), "utf8")) as { http: { services: { main: unknown } } };
      expect(dynamic.http.services.main).toEqual({ loadBalancer: { servers: [{ url: `http://127.0.0.1:${server}` }], passHostHeader: true } });
      expect(existsSync(join(dir, "traefik/traefik.yaml"))).toBe(true);
    } finally {
      client?.destroy();
      foyer.signal("SIGTERM");
    }
    expect((await foyer.done).code).toBe(0);
  }, 60_000);

  it("an HTTP source polling the server does not count itself as a client of it", async () => {
    const dir = scratch();
    const server = randomPort();
    const health = randomPort();
    const foyer = startFoyer(spec(dir, server, health, { sources: [{ http: `http://127.0.0.1:${server}/` }, { connections: server }] }));
    const base = `http://127.0.0.1:${health}`;
    try {
      await until(() => /jupyter is ready/.test(foyer.stderr()), 20_000, "the server to be ready");
      const first = await untilIdle(base, "idle", "idle");
      // ten more polls, every one idle
      for (let polls = 0, seen = (first.body as Idle & { checkedAt: string }).checkedAt; polls < 10; ) {
        const r = (await idle(base))!;
        expect(r.body.state, JSON.stringify(r.body)).toBe("idle");
        const at = (r.body as Idle & { checkedAt: string }).checkedAt;
        if (at !== seen) {
          seen = at;
          polls++;
        }
        await new Promise((res) => setTimeout(res, 20));
      }
    } finally {
      foyer.signal("SIGTERM");
    }
    expect((await foyer.done).code).toBe(0);
  }, 60_000);

  it("culls: after session.idle.cull idle, an ordered shutdown with the reason and exit code 0; a connection postpones it", async () => {
    const dir = scratch();
    const server = randomPort();
    const health = randomPort();
    const foyer = startFoyer(spec(dir, server, health, { cull: "2s" }));
    await until(() => /jupyter is ready/.test(foyer.stderr()), 20_000, "the server to be ready");
    const client = connect({ host: "127.0.0.1", port: server });
    await new Promise((r) => client.once("connect", r));
    await new Promise((r) => setTimeout(r, 3000));
    expect(foyer.proc.exitCode).toBeNull(); // busy: not culled
    const closedAt = Date.now();
    client.destroy();
    const { code } = await foyer.done;
    expect(code).toBe(0);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(1500); // 2 s from the last poll that saw the client (≤ 1 interval before it left)
    expect(foyer.stderr()).toMatch(/shutting down: culled: the session has been idle for 2 s \(session\.idle\.cull: 2 s; last activity /);
    expect(foyer.stderr()).toMatch(/exiting with code 0/);
  }, 60_000);
});
