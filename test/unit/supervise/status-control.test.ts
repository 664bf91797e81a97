import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "node:net";
import { isReady, renderHtml, renderMetrics, duration, type StatusReport } from "../../../src/supervise/status.js";
import { controlRequest, parseRequest, startControlServer } from "../../../src/supervise/control.js";
import type { ProgramSnapshot } from "../../../src/supervise/program.js";

const prog = (name: string, over: Partial<ProgramSnapshot> = {}): ProgramSnapshot => ({
  name, state: "RUNNING", pid: 42, restarts: 0, critical: false, oneshot: false, ready: true, startedAt: 1000, readyAt: 1500, lastExit: null, ...over,
});
const report = (programs: ProgramSnapshot[]): StatusReport => ({ phase: "running", now: 61_000, startedAt: 0, ready: isReady(programs, "running"), programs });

describe("readiness of the whole", () => {
  it("is every critical program ready, else every program", () => {
    expect(isReady([prog("a", { critical: true }), prog("b", { ready: false, state: "FATAL" })], "running")).toBe(true);
    expect(isReady([prog("a", { critical: true, ready: false, state: "STARTING" }), prog("b")], "running")).toBe(false);
    expect(isReady([prog("a"), prog("b", { ready: false })], "running")).toBe(false);
    expect(isReady([prog("a", { critical: true })], "stopping")).toBe(false);
  });
});

describe("metrics", () => {
  it("prints Prometheus text with state, restarts, uptime, ready and last exit per program", () => {
    const text = renderMetrics(report([prog("web", { restarts: 3, lastExit: { code: 2, signal: null, exitCode: 2, at: 0 } })]));
    expect(text).toContain('foyer_program_state{program="web",state="RUNNING"} 1');
    expect(text).toContain('foyer_program_state{program="web",state="FATAL"} 0');
    expect(text).toContain('foyer_program_restarts_total{program="web"} 3');
    expect(text).toContain('foyer_program_uptime_seconds{program="web"} 60.000');
    expect(text).toContain('foyer_program_last_exit_code{program="web"} 2');
    expect(text).toContain("foyer_ready 1");
    for (const line of text.trim().split("\n")) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.]+)$/);
  });
});

describe("status page", () => {
  it("escapes program output and has no external assets or scripts", () => {
    const r = report([prog("web")]);
    r.programs[0]!.lines = [{ time: 0, stream: "stderr", text: '<script>alert("x")</script>' }];
    const html = renderHtml(r);
    expect(html).not.toContain("<script");
    expect(html).toContain("&#60;script&#62;");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain("1m 0s");
  });
  it("says why foyer stopped a program that was not ready in time", () => {
    const html = renderHtml(report([prog("slow", { state: "FATAL", ready: false, lastExit: { code: null, signal: "SIGTERM", exitCode: 143, at: 0, reason: "not ready after 60s" } })]));
    expect(html).toContain("not ready after 60s (SIGTERM)");
  });
  it("formats durations", () => {
    expect([5_000, 65_000, 3_700_000, 90_000_000].map(duration)).toEqual(["5s", "1m 5s", "1h 1m", "1d 1h"]);
  });
});

describe("control socket", () => {
  let server: Server | undefined;
  afterEach(() => void server?.close());

  it("answers one JSON line per request on a 0600 socket", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "foyer-ctl-")), "sub", "control.sock");
    server = await startControlServer(path, async (req) => (req.cmd === "status" ? { ok: true, programs: [] } : { ok: false, error: `no ${req.program}` }));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await controlRequest(path, { cmd: "status" })).toEqual({ ok: true, programs: [] });
    expect(await controlRequest(path, { cmd: "stop", program: "x" })).toEqual({ ok: false, error: "no x" });
  });

  it("replaces a stale socket but refuses one in use", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "foyer-ctl-")), "control.sock");
    server = await startControlServer(path, async () => ({ ok: true }));
    await expect(startControlServer(path, async () => ({ ok: true }))).rejects.toThrow(/in use/);
  });

  it("explains a missing socket", async () => {
    await expect(controlRequest("/nonexistent/foyer.sock", { cmd: "status" })).rejects.toThrow(/is foyer running/);
  });

  it("validates requests", () => {
    expect(parseRequest({ cmd: "restart", program: "web" })).toEqual({ cmd: "restart", program: "web" });
    expect(() => parseRequest({ cmd: "rm -rf" })).toThrow(/expected/);
  });
});
