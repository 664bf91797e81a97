// The idle sources against fixed /proc text (real formats, copied from a Linux host) and against a
// local HTTP server that answers like Jupyter's /api/status.
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { establishedTo, groupTicks, idleSource, type SourceDeps } from "../../../src/sessions/sources.js";
import { IdleSourceSchema } from "../../../src/sessions/schema.js";
import { realClock } from "../../../src/time/clock.js";
import { ManualClock } from "../../../src/time/manual-clock.js";

// port 8888 = 0x22B8; state 01 ESTABLISHED, 0A LISTEN, 06 TIME_WAIT
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:22B8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:22B8 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000  1000        0 4243 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:A1B2 0100007F:22B8 01 00000000:00000000 00:00000000 00000000     0        0 4244 1 0000000000000000 20 4 30 10 -1
   3: 0100007F:22B8 0100007F:A1B3 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:22B8 00000000000000000000000001000000:C350 01 00000000:00000000 00:00000000 00000000  1000        0 5555 1 0000000000000000 20 4 30 10 -1
`;

const deps = (over: Partial<SourceDeps> = {}): SourceDeps => ({ clock: realClock(), timeout: 2000, secret: () => undefined, pidOf: () => undefined, ...over });
const source = (input: unknown, over: Partial<SourceDeps> = {}) => idleSource(IdleSourceSchema.parse(input), deps(over));

describe("connections", () => {
  it("counts ESTABLISHED connections whose local port is the server's, not listeners, outgoing ones or TIME_WAIT", () => {
    expect(establishedTo(8888, TCP)).toBe(1);
    expect(establishedTo(8888, TCP6)).toBe(1);
    expect(establishedTo(41394, TCP)).toBe(1); // 0xA1B2: the client side
    expect(establishedTo(8889, TCP)).toBe(0);
  });

  it("busy with tcp and tcp6 added up; idle with none", async () => {
    const files: Record<string, string> = { "/proc/net/tcp": TCP, "/proc/net/tcp6": TCP6 };
    expect(await source({ connections: 8888 }, { readProc: (p) => files[p] ?? "" }).check()).toEqual({ busy: true, detail: "2 established connections to port 8888" });
    expect(await source({ connections: 9999 }, { readProc: (p) => files[p] ?? "" }).check()).toEqual({ busy: false, detail: "0 established connections to port 9999" });
  });
});

describe("cpu", () => {
  // /proc/PID/stat: a comm with spaces and ')' must not shift the fields
  const stat = (pid: number, pgrp: number, utime: number, stime: number) => `${pid} (my (odd) prog) S 1 ${pgrp} ${pgrp} 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 1 0 100 1000 100`;

  it("adds the ticks of every process in the program's process group only", () => {
    const files: Record<string, string> = { "/proc/10/stat": stat(10, 10, 100, 50), "/proc/11/stat": stat(11, 10, 30, 20), "/proc/12/stat": stat(12, 99, 1000, 1000) };
    expect(groupTicks(10, [10, 11, 12, 13], (p) => files[p] ?? "")).toBe(200);
  });

  it("busy above the threshold over the interval, idle below; the first sample counts as busy", async () => {
    const clock = new ManualClock();
    let ticks = 0;
    const src = source({ cpu: "rstudio", above: 5 }, { clock, pidOf: (n) => (n === "rstudio" ? 10 : undefined), listPids: () => [10], readProc: () => stat(10, 10, ticks, 0) });
    expect((await src.check()).busy).toBe(true);
    await clock.advance(10_000);
    ticks += 100; // 1 s of CPU in 10 s = 10 %
    expect(await src.check()).toEqual({ busy: true, detail: "10.0% CPU (threshold 5%)" });
    await clock.advance(10_000);
    ticks += 2; // 20 ms in 10 s = 0.2 %
    expect(await src.check()).toEqual({ busy: false, detail: "0.2% CPU (threshold 5%)" });
  });

  it("a program that is not running is idle", async () => {
    expect(await source({ cpu: "rstudio" }).check()).toEqual({ busy: false, detail: "rstudio is not running" });
  });
});

describe("http and jupyter over a real local server", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));
  const serve = (handler: Parameters<typeof createServer>[1]): Promise<string> =>
    new Promise((resolve) => {
      server = createServer(handler).listen(0, "127.0.0.1", () => {
        const a = server!.address();
        resolve(`http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`);
      });
    });

  it("http: 2xx/3xx is idle (the RFC's idleProbe), anything else busy", async () => {
    let code = 200;
    const base = await serve((_req, res) => res.writeHead(code).end());
    const src = source({ http: `${base}/idle` });
    expect((await src.check()).busy).toBe(false);
    code = 302;
    expect((await src.check()).busy).toBe(false);
    code = 503;
    expect((await src.check()).busy).toBe(true);
  });

  it("jupyter: kernels or connections make it busy; last_activity is passed on; the token is sent from the secret", async () => {
    let status = { kernels: 1, connections: 0, last_activity: "2026-01-01T00:05:00.000Z", started: "2026-01-01T00:00:00Z" };
    const seen: Array<string | undefined> = [];
    const base = await serve((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url !== "/user/ada/api/status") return res.writeHead(404).end();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(status));
    });
    const src = source({ jupyter: `${base}/user/ada`, tokenSecret: "jtoken" }, { secret: (n) => (n === "jtoken" ? "s3cret-t0ken" : undefined) });
    expect(await src.check()).toEqual({ busy: true, detail: "kernels=1 connections=0", lastActivity: Date.parse("2026-01-01T00:05:00Z") });
    status = { ...status, kernels: 0, connections: 2 };
    expect((await src.check()).busy).toBe(true);
    status = { ...status, kernels: 0, connections: 0 };
    expect((await src.check()).busy).toBe(false);
    expect(seen).toEqual(["token s3cret-t0ken", "token s3cret-t0ken", "token s3cret-t0ken"]);
  });

  it("jupyter: a 403 (wrong token) or a non-JSON answer rejects (the monitor counts it busy)", async () => {
    let mode = "403";
    const base = await serve((_req, res) => (mode === "403" ? res.writeHead(403).end() : res.writeHead(200).end("<html>")));
    const src = source({ jupyter: base });
    await expect(src.check()).rejects.toThrow("HTTP 403");
    mode = "html";
    await expect(src.check()).rejects.toThrow("not JSON");
  });
});
