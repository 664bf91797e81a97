import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer as createTcp, type Server as TcpServer } from "node:net";
import { createServer as createHttp, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttps } from "node:https";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BROWSER_USER_AGENT, probeAttempt, statusRange, tcpProbe, waitReady } from "../../../src/supervise/probes.js";
import { ReadySchema } from "../../../src/spec/schema.js";
import { testSpawner } from "../../fixtures/supervise/test-spawner.js";

const listen = (s: TcpServer | Server): Promise<number> =>
  new Promise((r) => s.listen(0, "127.0.0.1", () => r((s.address() as { port: number }).port)));
const ctx = { spawner: testSpawner(), env: { PATH: "/usr/bin:/bin" } };

let seen: IncomingMessage[] = [];
const http = createHttp((req, res) => {
  seen.push(req);
  const code = Number(new URL(req.url!, "http://x").searchParams.get("code") ?? 200);
  // a product that only answers browsers
  const browserOnly = req.url!.startsWith("/browser") && !req.headers["user-agent"]?.includes("Mozilla");
  res.writeHead(browserOnly ? 403 : code);
  res.end();
});
let httpPort = 0;
let dir = "";

beforeAll(async () => {
  httpPort = await listen(http);
  dir = mkdtempSync(join(tmpdir(), "foyer-probe-"));
});
afterAll(() => void http.close());

describe("tcp probe", () => {
  it("passes when something listens and fails when nothing does", async () => {
    const srv = createTcp((c) => c.end());
    const port = await listen(srv);
    expect(await tcpProbe("127.0.0.1", port, 1000)).toBe(true);
    await new Promise((r) => srv.close(r));
    expect(await tcpProbe("127.0.0.1", port, 1000)).toBe(false);
  });
});

describe("http probe", () => {
  const probe = (input: Record<string, unknown>) => probeAttempt(ReadySchema.parse(input), ctx)(2000);

  it("checks the status against the expected range", async () => {
    expect(statusRange("200-399")).toEqual([200, 399]);
    expect(await probe({ http: `http://127.0.0.1:${httpPort}/?code=302` })).toBe(true);
    expect(await probe({ http: `http://127.0.0.1:${httpPort}/?code=503` })).toBe(false);
    expect(await probe({ http: `http://127.0.0.1:${httpPort}/?code=401`, status: "401" })).toBe(true);
  });

  it("sends the method, headers and a browser user-agent when asked", async () => {
    seen = [];
    expect(await probe({ http: `http://127.0.0.1:${httpPort}/browser` })).toBe(false);
    expect(await probe({ http: `http://127.0.0.1:${httpPort}/browser`, userAgent: true, method: "HEAD", headers: { "x-probe": "1" } })).toBe(true);
    expect(seen[1]!.method).toBe("HEAD");
    expect(seen[1]!.headers["user-agent"]).toBe(BROWSER_USER_AGENT);
    expect(seen[1]!.headers["x-probe"]).toBe("1");
  });

  it("fails on a refused connection", async () => {
    expect(await probe({ http: "http://127.0.0.1:1/" })).toBe(false);
  });

  it("https: refuses a self-signed certificate unless insecure", async () => {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem"), "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
    const srv = createHttps({ key: readFileSync(join(dir, "k.pem")), cert: readFileSync(join(dir, "c.pem")) }, (_q, s) => s.end("ok"));
    const port = await listen(srv);
    expect(await probe({ http: `https://127.0.0.1:${port}/` })).toBe(false);
    expect(await probe({ http: `https://127.0.0.1:${port}/`, insecure: true })).toBe(true);
    srv.close();
  });
});

describe("exec and file probes", () => {
  it("exec passes on exit 0 only", async () => {
    expect(await probeAttempt(ReadySchema.parse({ exec: ["true"] }), ctx)(2000)).toBe(true);
    expect(await probeAttempt(ReadySchema.parse({ exec: ["sh", "-c", "exit 3"] }), ctx)(2000)).toBe(false);
  });
  it("exec fails when the command outlives the attempt", async () => {
    const t0 = Date.now();
    expect(await probeAttempt(ReadySchema.parse({ exec: ["sleep", "10"] }), ctx)(200)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
  it("file passes once the file exists", async () => {
    const f = join(dir, "ready");
    const attempt = probeAttempt(ReadySchema.parse({ file: f }), ctx);
    expect(await attempt(100)).toBe(false);
    writeFileSync(f, "");
    expect(await attempt(100)).toBe(true);
  });
});

describe("waitReady", () => {
  it("polls until the probe passes", async () => {
    let n = 0;
    const r = await waitReady(async () => ++n >= 3, { timeout: 5000, interval: 10 }, new AbortController().signal, Date.now);
    expect(r).toBe("ready");
    expect(n).toBe(3);
  });
  it("times out after the start timeout", async () => {
    const t0 = Date.now();
    expect(await waitReady(async () => false, { timeout: 200, interval: 20 }, new AbortController().signal, Date.now)).toBe("timeout");
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(1000);
  });
  it("stops when aborted", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    expect(await waitReady(async () => false, { timeout: 5000, interval: 1000 }, ac.signal, Date.now)).toBe("aborted");
  });
});
