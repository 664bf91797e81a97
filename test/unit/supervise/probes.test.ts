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
import { realClock } from "../../../src/time/clock.js";
import { ManualClock } from "../../../src/time/manual-clock.js";

const listen = (s: TcpServer | Server): Promise<number> =>
  new Promise((r) => s.listen(0, "127.0.0.1", () => r((s.address() as { port: number }).port)));
// real sockets and processes answer at once; only the timeouts need a clock that tests drive
const ctx = { spawner: testSpawner(), env: { PATH: "/usr/bin:/bin" }, clock: realClock() };

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
    expect(await tcpProbe("127.0.0.1", port, 1000, ctx.clock)).toBe(true);
    await new Promise((r) => srv.close(r));
    expect(await tcpProbe("127.0.0.1", port, 1000, ctx.clock)).toBe(false);
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

  it("gives up on a server that never answers when the attempt's time is up, not before", async () => {
    const silent = createHttp(() => undefined);
    const port = await listen(silent);
    const clock = new ManualClock();
    let result: boolean | undefined;
    const attempt = probeAttempt(ReadySchema.parse({ http: `http://127.0.0.1:${port}/` }), { ...ctx, clock })(300).then((ok) => (result = ok));
    await clock.advance(299);
    expect(result).toBeUndefined();
    await clock.advance(1);
    await attempt;
    expect(result).toBe(false);
    silent.closeAllConnections();
    silent.close();
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
  it("exec fails when the command outlives the attempt (killed when its time is up, not before)", async () => {
    const clock = new ManualClock();
    let result: boolean | undefined;
    const attempt = probeAttempt(ReadySchema.parse({ exec: ["sleep", "10"] }), { ...ctx, clock })(200).then((ok) => (result = ok));
    expect(clock.pending()).toEqual([200]);
    await clock.advance(199);
    expect(result).toBeUndefined();
    await clock.advance(1);
    await attempt;
    expect(result).toBe(false);
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
  it("polls every interval until the probe passes", async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const at: number[] = [];
    const r = await clock.drive(waitReady(async () => at.push(clock.now() - t0) >= 3, { timeout: 5000, interval: 10 }, new AbortController().signal, clock));
    expect(r).toBe("ready");
    expect(at).toEqual([0, 10, 20]);
  });
  it("times out after the start timeout", async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    let attempts = 0;
    expect(await clock.drive(waitReady(async () => (attempts++, false), { timeout: 200, interval: 20 }, new AbortController().signal, clock))).toBe("timeout");
    expect(clock.now() - t0).toBe(200);
    expect(attempts).toBe(10);
  });
  it("stops when aborted", async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const ac = new AbortController();
    clock.setTimeout(() => ac.abort(), 50);
    expect(await clock.drive(waitReady(async () => false, { timeout: 5000, interval: 1000 }, ac.signal, clock))).toBe("aborted");
    expect(clock.now() - t0).toBe(50);
  });
});
