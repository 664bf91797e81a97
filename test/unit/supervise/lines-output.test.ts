import { describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { LineSplitter, MAX_LINE_BYTES } from "../../../src/supervise/lines.js";
import { OutputMux } from "../../../src/supervise/output.js";
import { Redactor } from "../../../src/log/index.js";

const b = (s: string) => Buffer.from(s);
const strs = (lines: Buffer[]) => lines.map((l) => l.toString());

describe("LineSplitter", () => {
  it("joins lines split across chunks and keeps a partial last line until flush", () => {
    const s = new LineSplitter();
    expect(strs(s.push(b("one\ntw")))).toEqual(["one"]);
    expect(strs(s.push(b("o\n\nthr")))).toEqual(["two", ""]);
    expect(strs(s.push(b("ee")))).toEqual([]);
    expect(strs(s.flush())).toEqual(["three"]);
    expect(s.flush()).toEqual([]);
  });

  it("cuts long lines at the bound without losing a byte", () => {
    const s = new LineSplitter(10);
    const out = [...s.push(b("abcdefghijklmnopqrstuvwxy")), ...s.push(b("z\n0123456789\n")), ...s.flush()];
    expect(strs(out)).toEqual(["abcdefghij", "klmnopqrst", "uvwxyz", "0123456789"]);
  });

  it("keeps a 1 MiB line whole across 64 KiB pieces", () => {
    const big = Buffer.alloc(1024 * 1024 + 5, 0x61);
    const s = new LineSplitter();
    const out: Buffer[] = [];
    for (let i = 0; i < big.length; i += 4096) out.push(...s.push(big.subarray(i, i + 4096)));
    out.push(...s.push(b("\n")));
    expect(out.every((l) => l.length <= MAX_LINE_BYTES)).toBe(true);
    expect(Buffer.concat(out).equals(big)).toBe(true);
  });

  it("passes binary bytes through unchanged", () => {
    const bin = Buffer.from([0, 255, 254, 13, 10, 128, 0]);
    const s = new LineSplitter();
    expect(Buffer.concat([...s.push(bin), ...s.flush()])).toEqual(Buffer.from([0, 255, 254, 13, 128, 0]));
  });
});

function mux(format: "text" | "json", redactor?: Redactor) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const m = new OutputMux({ format, now: () => Date.UTC(2026, 0, 2, 3, 4, 5), keep: 3, sinks: { stdout: { write: (d) => out.push(d) }, stderr: { write: (d) => err.push(d) } }, ...(redactor ? { redactor } : {}) });
  return { m, out: () => Buffer.concat(out).toString(), err: () => Buffer.concat(err).toString(), writes: out };
}

describe("OutputMux", () => {
  it("prefixes each line with the program name, aligned, and writes whole lines only", async () => {
    const { m, out, err, writes } = mux("text");
    m.registerName("launcher");
    const so = new PassThrough();
    const se = new PassThrough();
    const done = Promise.all([m.attach("web", "stdout", so), m.attach("web", "stderr", se)]);
    so.write("hel");
    so.write("lo\nwor");
    se.write("oops\n");
    so.end("ld");
    se.end();
    await done;
    expect(out()).toBe("web      | hello\nweb      | world\n");
    expect(err()).toBe("web      | oops\n");
    expect(writes.every((w) => w.toString().endsWith("\n"))).toBe(true);
  });

  it("writes one JSON object per line; non-UTF-8 lines as base64", () => {
    const { m, out } = mux("json");
    m.write("app", "stdout", [b("héllo"), Buffer.from([0xff, 0x00])]);
    expect(out().trim().split("\n").map((l) => JSON.parse(l))).toEqual([
      { time: "2026-01-02T03:04:05.000Z", program: "app", stream: "stdout", line: "héllo" },
      { time: "2026-01-02T03:04:05.000Z", program: "app", stream: "stdout", lineBase64: "/wA=" },
    ]);
  });

  it("keeps the last N lines per program and masks secrets in output", () => {
    const r = new Redactor();
    r.add("db", "hunter2");
    const { m, out } = mux("text", r);
    m.write("app", "stdout", ["1", "2", "pw=hunter2", "4"].map(b));
    expect(m.lastLines("app").map((l) => l.text)).toEqual(["2", "pw=<secret:db>", "4"]);
    expect(out()).not.toContain("hunter2");
  });

  it("pauses a program's pipe while foyer's stdout is full, loses nothing, and flushes before exit", async () => {
    const { EventEmitter } = await import("node:events");
    const got: string[] = [];
    let full = false;
    const sink = Object.assign(new EventEmitter(), {
      write(d: Buffer, done?: () => void) {
        got.push(d.toString());
        if (done) setImmediate(done);
        return !full;
      },
    });
    const m = new OutputMux({ format: "text", now: Date.now, sinks: { stdout: sink, stderr: sink } });
    const src = new PassThrough();
    const finished = m.attach("p", "stdout", src);
    full = true;
    src.write("a\n");
    await new Promise((r) => setImmediate(r));
    expect(src.isPaused()).toBe(true);
    src.end("b\n");
    await new Promise((r) => setImmediate(r));
    expect(got.join("")).toBe("p | a\n");
    full = false;
    sink.emit("drain");
    await finished;
    expect(got.join("")).toBe("p | a\np | b\n");
    await m.flush();
  });

  it("a sink that breaks (EPIPE) is dropped, not fatal: paused pipes flow again, lines are still kept, told once", async () => {
    const { EventEmitter } = await import("node:events");
    const got: string[] = [];
    let broken = false;
    const epipe = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
    const stdout = Object.assign(new EventEmitter(), {
      write(d: Buffer, done?: (err?: Error | null) => void) {
        if (broken) {
          setImmediate(() => done?.(epipe));
          return false;
        }
        got.push(d.toString());
        if (done) setImmediate(done);
        return false; // always "full": the mux pauses the program's pipe
      },
    });
    const errs: string[] = [];
    const told: string[] = [];
    const stderr = { write: (d: Buffer, done?: () => void) => (errs.push(d.toString()), done?.(), true) };
    const m = new OutputMux({ format: "text", now: Date.now, sinks: { stdout, stderr }, onSinkError: (stream, err) => told.push(`${stream}: ${(err as NodeJS.ErrnoException).code}`) });
    const src = new PassThrough();
    const finished = m.attach("p", "stdout", src);
    src.write("first\n");
    await new Promise((r) => setImmediate(r));
    expect(src.isPaused()).toBe(true);
    // the reader goes away: the stream reports EPIPE as an "error" event (unheard, it would crash foyer)
    broken = true;
    stdout.emit("error", epipe);
    expect(src.isPaused()).toBe(false);
    for (let i = 0; i < 1000; i++) src.write(`line ${i}\n`);
    src.end("last\n");
    await finished;
    expect(got.join("")).toBe("p | first\n");
    expect(m.lastLines("p").at(-1)!.text).toBe("last");
    expect(m.write("p", "stderr", [b("stderr still works")])).toBe(true);
    expect(errs.join("")).toBe("p | stderr still works\n");
    stdout.emit("error", epipe);
    expect(told).toEqual(["stdout: EPIPE"]);
    await m.flush();
  });

  it("an error reported only through a write's callback breaks the sink too", async () => {
    const told: string[] = [];
    let writes = 0;
    const failing = { write: (_d: Buffer, done?: (err?: Error | null) => void) => (writes++, done?.(new Error("EPIPE")), true) };
    const ok = { write: (_d: Buffer, done?: () => void) => (done?.(), true) };
    const m = new OutputMux({ format: "text", now: Date.now, sinks: { stdout: failing, stderr: ok }, onSinkError: (stream) => told.push(stream) });
    m.write("p", "stdout", [b("one")]);
    m.write("p", "stdout", [b("two")]);
    expect(writes).toBe(1);
    expect(told).toEqual(["stdout"]);
    await m.flush();
  });
});
