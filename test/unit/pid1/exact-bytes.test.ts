import { describe, expect, it } from "vitest";
import { exactBytes } from "../../../src/pid1/exact-bytes.js";

const b = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));
const proc = (cmdline: Buffer[], environ: Buffer[]) => (path: string) => (path.endsWith("cmdline") ? cmdline : environ);

describe("exactBytes", () => {
  it("is undefined when CMD and the environment are UTF-8 (the strings are exact)", () => {
    expect(exactBytes(["ls", "-la"], proc([b("foyer"), b("run"), b("ls"), b("-la")], [b("A=é")]))).toBeUndefined();
  });

  it("gives every CMD argument's bytes and the non-UTF-8 environment entries by name", () => {
    const arg = b("caf", [0xe9]);
    const entry = b("X=caf", [0xe9]);
    const r = exactBytes(["echo", arg.toString("utf8")], proc([b("foyer"), b("run"), b("--"), b("echo"), arg], [b("A=1"), entry]));
    expect(r?.argv).toEqual([b("echo"), arg]);
    expect([...r!.env]).toEqual([["X", entry]]);
  });

  it("is undefined when /proc's tail is not the CMD foyer parsed, or /proc cannot be read", () => {
    expect(exactBytes(["other"], proc([b("foyer"), b("run"), b("echo", [0xff])], []))).toBeUndefined();
    expect(exactBytes(["x"], () => { throw new Error("no /proc"); })).toBeUndefined();
  });
});
