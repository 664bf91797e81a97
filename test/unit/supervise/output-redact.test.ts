// Program output is masked line by line, so a multi-line secret (a PEM key) must be masked on each
// of its lines, in text and JSON output and in the lines kept for /status and the status page;
// a line that is not UTF-8, or longer than what is kept, must not let a secret through either.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Redactor } from "../../../src/log/index.js";
import { MAX_LINE_BYTES } from "../../../src/supervise/lines.js";
import { OutputMux } from "../../../src/supervise/output.js";
import { renderHtml } from "../../../src/supervise/status.js";

const PEM = [
  "-----BEGIN RSA PRIVATE KEY-----",
  "MIIEpAIBAAKCAQEAZq7x1u9Sx0ExampleKeyMaterialLineOneForTests0123",
  "Zq7bcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  "Zq7Q==",
  "-----END RSA PRIVATE KEY-----",
].join("\n");
const PASSWORD = "pa55-Zq7-word";

function mux(format: "text" | "json") {
  const redactor = new Redactor();
  redactor.add("tls", PEM + "\n");
  redactor.add("db", PASSWORD);
  const out: Buffer[] = [];
  const m = new OutputMux({ format, now: () => 0, keep: 50, redactor, sinks: { stdout: { write: (d) => out.push(d) }, stderr: { write: (d) => out.push(d) } } });
  return { m, out: () => Buffer.concat(out) };
}

async function print(m: OutputMux, ...chunks: Buffer[]): Promise<void> {
  const s = new PassThrough();
  const done = m.attach("app", "stdout", s);
  for (const c of chunks) s.write(c);
  s.end();
  await done;
}

describe("program output redaction", () => {
  for (const format of ["text", "json"] as const) {
    it(`${format}: every line of a printed PEM key is masked, in the output and the kept lines`, async () => {
      const { m, out } = mux(format);
      // `cat key.pem` in one chunk, and the same key split at awkward places
      await print(m, Buffer.from(`key follows\n${PEM}\n`));
      const half = Math.floor(PEM.length / 2);
      await print(m, Buffer.from(PEM.slice(0, half)), Buffer.from(PEM.slice(half) + "\n"));
      const text = out().toString();
      expect(text).not.toContain("Zq7");
      expect(text).toContain("<secret:tls>");
      const kept = m.lastLines("app").map((l) => l.text).join("\n");
      expect(kept).not.toContain("Zq7");
      const html = renderHtml({ phase: "running", now: 0, startedAt: 0, ready: true, programs: [{ name: "app", state: "RUNNING", pid: 2, restarts: 0, critical: false, oneshot: false, ready: true, startedAt: 0, readyAt: 0, lastExit: null, lines: m.lastLines("app") }] });
      expect(html).not.toContain("Zq7");
    });

    it(`${format}: a line that is not UTF-8 is still masked`, async () => {
      const { m, out } = mux(format);
      await print(m, Buffer.concat([Buffer.from([0xff]), Buffer.from(` password ${PASSWORD} `), Buffer.from([0xfe, 0x0a])]));
      const raw = out();
      const decoded = format === "json" ? Buffer.from((JSON.parse(raw.toString()) as { lineBase64: string }).lineBase64, "base64") : raw;
      expect(decoded.includes(Buffer.from("Zq7"))).toBe(false);
      expect(decoded.toString("latin1")).toContain("<secret:db>");
    });
  }

  it("a secret across the cut of a long kept line is masked before the cut", async () => {
    const { m } = mux("text");
    await print(m, Buffer.from("x".repeat(1995) + PASSWORD + "\n"));
    const kept = m.lastLines("app")[0]!.text;
    expect(kept).not.toContain("Zq7");
    expect(kept).not.toContain("pa55");
    expect(kept).toBe("x".repeat(1995) + "<secr");
  });
});

describe("over-long lines cut into 64 KiB pieces", () => {
  for (const offset of [1, 5, 12]) {
    it(`a secret across the cut (${offset} bytes before it) is masked, and every other byte arrives in order`, async () => {
      const { m, out } = mux("text");
      // the secret starts `offset` bytes before the 64 KiB bound of the splitter
      const before = "a".repeat(MAX_LINE_BYTES - offset);
      const after = "b".repeat(100_000);
      await print(m, Buffer.from(before + PASSWORD + after + "\nnext line\n"));
      const lines = out().toString().split("\n").filter(Boolean);
      expect(lines.join("\n")).not.toContain("Zq7");
      const body = lines.map((l) => l.replace(/^app \| /, ""));
      expect(body.at(-1)).toBe("next line");
      expect(body.slice(0, -1).join("")).toBe(before + "<secret:db>" + after);
      expect(body.slice(0, -1).every((l) => Buffer.byteLength(l) <= MAX_LINE_BYTES + 64)).toBe(true);
    });
  }

  it("a 1 MiB line with no secret passes byte for byte", async () => {
    const { m, out } = mux("text");
    const big = "x".repeat(1024 * 1024);
    await print(m, Buffer.from(big + "\n"));
    expect(out().toString().split("\n").filter(Boolean).map((l) => l.replace(/^app \| /, "")).join("")).toBe(big);
  });
});
