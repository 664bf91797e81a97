// Program output → foyer's stdout/stderr, one whole line per record, prefixed with the program's
// name (`rserver | line`) or as one JSON object per line. Every write holds only whole lines, so
// lines of different programs never mix mid-line. The last lines of each program are kept for
// the status page. A sink that breaks (foyer's stdout piped into `head`, a log collector gone:
// EPIPE) never takes foyer down: its lines are dropped from then on and supervision goes on.
import type { Readable } from "node:stream";
import { isUtf8 } from "node:buffer";
import { LineSplitter } from "./lines.js";
import type { Redactor } from "../log/index.js";

/** A place lines go: process.stdout/stderr, or a test's collector. */
export interface Sink {
  /** false = buffer full: the mux pauses the program's pipe until "drain" (backpressure, not memory) */
  write(data: Buffer, done?: (err?: Error | null) => void): unknown;
  once?(event: "drain", listener: () => void): unknown;
  /** a stream reports a broken pipe as an "error" event: unheard, Node would crash foyer with it */
  on?(event: "error", listener: (err: Error) => void): unknown;
  /** bytes written but not yet taken by the reader (a Node stream's) */
  readonly writableLength?: number;
}

/** Where formatted lines go (foyer's own stdout and stderr). */
export interface OutputSinks {
  stdout: Sink;
  stderr: Sink;
}

/** One kept line, for the status page. */
export interface KeptLine {
  time: number;
  stream: "stdout" | "stderr";
  text: string;
}

/** Options of the multiplexer. */
export interface OutputOptions {
  format: "text" | "json";
  sinks: OutputSinks;
  now: () => number;
  /** masks secret values in lines (a program printing its own secret must not leak it into logs) */
  redactor?: Redactor;
  /** lines kept per program */
  keep?: number;
  /** told once per stream when its sink breaks (its output is dropped from then on) */
  onSinkError?: (stream: "stdout" | "stderr", err: Error) => void;
}

type StreamName = "stdout" | "stderr";

const KEPT_TEXT_MAX = 2000;

/**
 * Output waiting for a sink that does not drain (a stalled log collector), at most: past it, lines
 * are dropped and counted, and the count is said once it drains. Pausing a program's pipe bounds a
 * running program, but a crash-looping one writes its lines at every exit, and foyer held them all.
 */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** Prefixes, formats and writes program output; remembers the last lines of each program. */
export class OutputMux {
  private readonly kept = new Map<string, KeptLine[]>();
  private readonly open = new Set<Promise<void>>();
  private readonly broken = new Set<StreamName>();
  /**
   * program pipes paused until their sink drains (resumed at once if the sink breaks instead, or
   * when their program is gone). One "drain" listener per sink resumes them: a listener per pipe
   * would hold every paused pipe, and its program, for as long as the sink stays full.
   */
  private readonly paused = new Map<Readable, StreamName>();
  private readonly awaitingDrain = new Set<StreamName>();
  /** lines dropped per stream while its sink was full (said when it drains) */
  private readonly dropped = new Map<StreamName, number>();
  private width = 0;

  constructor(private readonly options: OutputOptions) {
    for (const stream of ["stdout", "stderr"] as const) this.sink(stream).on?.("error", (err) => this.broke(stream, err));
  }

  /** Align prefixes to the longest name (like docker compose). */
  registerName(name: string): void {
    this.width = Math.max(this.width, name.length);
  }

  /**
   * Forward one stream of a program; resolves when the stream ended and its last line was written.
   * Once `exited` (the program's) resolves, its pipe is read to the end whatever the sink: a paused
   * pipe of a program that is gone would be held for ever with its buffers (a crash-looping program
   * under a stalled log collector grew foyer by megabytes a second); past MAX_QUEUED_BYTES its
   * lines are dropped and counted instead.
   */
  attach(program: string, stream: "stdout" | "stderr", readable: Readable, exited?: Promise<unknown>): Promise<void> {
    const splitter = new LineSplitter();
    const pieces = this.uncutSecrets(splitter);
    let gone = false;
    void exited?.then(() => {
      gone = true;
      if (this.paused.delete(readable)) readable.resume();
    });
    const ended = new Promise<void>((resolve) => {
      readable.on("data", (chunk: Buffer) => {
        if (this.write(program, stream, pieces(splitter.push(chunk))) || gone) return;
        // foyer's own stdout is full (a slow log collector): stop reading the program's pipe, so the
        // program waits instead of foyer buffering without bound
        const sink = this.sink(stream);
        if (!sink.once || this.broken.has(stream)) return;
        readable.pause();
        this.paused.set(readable, stream);
        if (this.awaitingDrain.has(stream)) return;
        this.awaitingDrain.add(stream);
        sink.once("drain", () => {
          this.awaitingDrain.delete(stream);
          for (const [r, s] of this.paused) if (s === stream && this.paused.delete(r)) r.resume();
        });
      });
      const finish = (): void => {
        this.write(program, stream, pieces(splitter.flush(), true));
        resolve();
      };
      readable.once("end", finish);
      readable.once("error", finish);
    });
    this.open.add(ended);
    void ended.then(() => this.open.delete(ended));
    return ended;
  }

  /**
   * An over-long line reaches the mux in 64 KiB pieces; a secret across a cut would be masked in
   * neither piece. Each cut piece therefore ends where the Redactor says no secret can be cut (its
   * last bytes are carried over to the next piece), so pieces differ a little from 64 KiB.
   */
  private uncutSecrets(splitter: LineSplitter): (lines: Buffer[], end?: boolean) => Buffer[] {
    const redactor = this.options.redactor;
    let carry: Buffer | undefined;
    return (lines, end = false) => {
      if (!redactor) return lines;
      const out: Buffer[] = [];
      for (const line of lines) {
        const data = carry ? Buffer.concat([carry, line]) : line;
        carry = undefined;
        if (!splitter.cut.has(line)) {
          out.push(data);
          continue;
        }
        const at = redactor.safeCut(data);
        if (at > 0) out.push(data.subarray(0, at));
        carry = Buffer.from(data.subarray(at));
      }
      if (end && carry) out.push(carry);
      return out;
    };
  }

  /** Write complete lines of one program as a single write; false when the sink asks to wait. */
  write(program: string, stream: "stdout" | "stderr", lines: Buffer[]): boolean {
    if (lines.length === 0) return true;
    const now = this.options.now();
    const masked = lines.map((line) => this.masked(line));
    this.keep(program, stream, masked, now);
    if (this.broken.has(stream)) return true;
    if ((this.sink(stream).writableLength ?? 0) > MAX_QUEUED_BYTES) {
      this.drop(stream, lines.length);
      return false;
    }
    const parts = masked.map((line) => this.format(program, stream, line, now));
    const sink = this.sink(stream);
    let data = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    // a write that will wait in the sink's queue gets a buffer of its own size: a small Buffer is a
    // view of a 64 KiB pool slab, and a queue of them would hold a slab each
    if ((sink.writableLength ?? 0) > 0) data = Buffer.from(Uint8Array.prototype.slice.call(data).buffer);
    try {
      const ok = sink.write(data, (err) => err && this.broke(stream, err));
      return ok !== false || this.broken.has(stream);
    } catch (err) {
      this.broke(stream, err as Error);
      return true;
    }
  }

  private drop(stream: StreamName, count: number): void {
    const before = this.dropped.get(stream) ?? 0;
    this.dropped.set(stream, before + count);
    if (before > 0) return;
    this.sink(stream).once?.("drain", () => {
      const n = this.dropped.get(stream) ?? 0;
      this.dropped.delete(stream);
      const msg = `${n} line(s) of program output dropped: foyer's ${stream} was not being read`;
      const text = this.options.format === "json" ? JSON.stringify({ time: new Date(this.options.now()).toISOString(), level: "warn", source: "foyer", msg }) : `foyer warn  ${msg}`;
      this.write0(stream, () => {}, Buffer.from(text + "\n"));
    });
  }

  // The sink is gone: drop its output from now on, and let paused program pipes flow again (nothing
  // will drain them), so programs never block on a write and still stop in order.
  private broke(stream: StreamName, err: Error): void {
    if (this.broken.has(stream)) return;
    this.broken.add(stream);
    this.options.onSinkError?.(stream, err);
    if (this.sink("stdout") === this.sink("stderr")) this.broken.add(stream === "stdout" ? "stderr" : "stdout");
    for (const readable of this.paused.keys()) readable.resume();
    this.paused.clear();
  }

  /** Resolves once every program pipe has ended and everything written has left foyer (call before exiting). */
  async flush(): Promise<void> {
    await Promise.all(this.open);
    const drained = (stream: StreamName): Promise<void> =>
      this.broken.has(stream) ? Promise.resolve() : new Promise((resolve) => this.write0(stream, resolve));
    await Promise.all([drained("stdout"), drained("stderr")]);
  }

  // an empty write (or `data`) whose callback runs once everything queued before it has left (or failed)
  private write0(stream: StreamName, done: () => void, data = Buffer.alloc(0)): void {
    try {
      this.sink(stream).write(data, () => done());
    } catch {
      done();
    }
  }

  private sink(stream: StreamName): Sink {
    return stream === "stdout" ? this.options.sinks.stdout : this.options.sinks.stderr;
  }

  /** The last kept lines of a program, oldest first. */
  lastLines(program: string): KeptLine[] {
    return this.kept.get(program) ?? [];
  }

  /**
   * Each line is masked as bytes, before any encoding (JSON, base64) and whether or not it is valid
   * UTF-8: a line with one stray byte, or printed as base64, must not carry a secret out. A
   * multi-line secret arrives one line at a time; the Redactor masks each of its lines.
   */
  private masked(line: Buffer): Buffer {
    return this.options.redactor ? this.options.redactor.redactBytes(line) : line;
  }

  /** One output record for an already masked line. */
  private format(program: string, stream: "stdout" | "stderr", body: Buffer, now: number): Buffer {
    if (this.options.format === "json") {
      const text = isUtf8(body) ? { line: body.toString("utf8") } : { lineBase64: body.toString("base64") };
      return Buffer.from(JSON.stringify({ time: new Date(now).toISOString(), program, stream, ...text }) + "\n");
    }
    const prefix = Buffer.from(`${program.padEnd(this.width)} | `);
    return Buffer.concat([prefix, body, NL]);
  }

  private keep(program: string, stream: "stdout" | "stderr", lines: Buffer[], time: number): void {
    const max = this.options.keep ?? 50;
    if (max <= 0) return;
    let list = this.kept.get(program);
    if (!list) this.kept.set(program, (list = []));
    for (const line of lines.slice(-max)) {
      // lines arrive masked: a secret across the cut cannot show its first part
      list.push({ time, stream, text: line.subarray(0, KEPT_TEXT_MAX).toString("utf8") });
    }
    if (list.length > max) list.splice(0, list.length - max);
  }
}

const NL = Buffer.from("\n");
