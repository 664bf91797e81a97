import { describe, expect, it } from "vitest";
import { Logger, Redactor, memoryLogger } from "../../../src/log/index.js";
import { didYouMean, editDistance } from "../../../src/spec/suggest.js";
import { overridesFromEnv } from "../../../src/spec/overrides.js";
import { deepMerge } from "../../../src/spec/merge.js";
import { parseDuration } from "../../../src/spec/primitives.js";

describe("Redactor", () => {
  it("masks every occurrence, longest secret first, and the trimmed form of a file secret", () => {
    const r = new Redactor();
    r.add("short", "abc");
    r.add("long", "abcdef");
    r.add("file", "from-file\n");
    expect(r.redact("abcdef abc x from-file")).toBe("<secret:long> <secret:short> x <secret:file>");
    expect(r.leaks("…abc…")).toBe(true);
    expect(r.leaks("nothing")).toBe(false);
  });

  it("ignores empty values (they would match everywhere)", () => {
    const r = new Redactor();
    r.add("empty", "");
    expect(r.redact("text")).toBe("text");
  });
});

describe("Logger", () => {
  it("filters by level and redacts text lines", () => {
    const r = new Redactor();
    r.add("db", "hunter2");
    const log = memoryLogger("info", r);
    log.debug("hidden");
    log.info("connecting with hunter2", { user: "alice", note: "two words" });
    expect(log.lines).toEqual(['foyer info  connecting with <secret:db> user=alice note="two words"\n']);
  });

  it("writes one JSON object per line, redacted after serialising", () => {
    const r = new Redactor();
    r.add("tok", "t0k3n");
    const lines: string[] = [];
    const log = new Logger({ level: "debug", format: "json", redactor: r, sink: { write: (l) => void lines.push(l) }, now: () => new Date(0) });
    log.warn("bad", { value: "t0k3n" });
    expect(JSON.parse(lines[0]!)).toEqual({ time: "1970-01-01T00:00:00.000Z", level: "warn", source: "foyer", msg: "bad", value: "<secret:tok>" });
  });
});

describe("spec helpers", () => {
  it("counts a transposition as one edit, so common typos get a suggestion", () => {
    expect(editDistance("restrat", "restart")).toBe(1);
    expect(didYouMean("levle", ["level", "format"])).toBe("level");
    expect(didYouMean("zzz", ["level", "format"])).toBeUndefined();
  });

  it("reads FOYER__ overrides as nested YAML scalars", () => {
    expect(overridesFromEnv({ FOYER__health__listen: "127.0.0.1:9000", FOYER__programs__a__critical: "true", OTHER: "x" }).data).toEqual({
      health: { listen: "127.0.0.1:9000" },
      programs: { a: { critical: true } },
    });
  });

  it("deep-merges maps, replaces lists, deletes on null", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null, e: 2 })).toEqual({ a: { b: 1, c: [3] }, e: 2 });
  });

  it("parses durations", () => {
    expect([parseDuration("150ms"), parseDuration("10s"), parseDuration("2m"), parseDuration(1.5), parseDuration("soon"), parseDuration(-1)]).toEqual([150, 10_000, 120_000, 1500, undefined, undefined]);
  });
});
