import { describe, expect, it } from "vitest";
import { exactArgv, exactEnvironment } from "../../../src/pid1/exact-bytes.js";

const b = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));
const proc = (cmdline: Buffer[], environ: Buffer[]) => (path: string) => (path.endsWith("cmdline") ? cmdline : environ);
const noProc = () => {
  throw new Error("no /proc");
};

describe("exact bytes of CMD and of foyer's environment", () => {
  it("none when CMD and the environment are UTF-8 (the strings are exact)", () => {
    const read = proc([b("foyer"), b("run"), b("ls"), b("-la")], [b("A=é")]);
    expect(exactArgv(["ls", "-la"], read)).toBeUndefined();
    expect(exactEnvironment(read).size).toBe(0);
  });

  it("every CMD argument's bytes when one is not UTF-8; the non-UTF-8 environment entries by name", () => {
    const arg = b("caf", [0xe9]);
    const entry = b("X=caf", [0xe9]);
    const read = proc([b("foyer"), b("run"), b("--"), b("echo"), arg], [b("A=1"), entry]);
    expect(exactArgv(["echo", arg.toString("utf8")], read)).toEqual([b("echo"), arg]);
    expect([...exactEnvironment(read)]).toEqual([["X", entry]]);
  });

  it("none when /proc's tail is not the CMD foyer parsed, or /proc cannot be read", () => {
    expect(exactArgv(["other"], proc([b("foyer"), b("run"), b("echo", [0xff])], []))).toBeUndefined();
    expect(exactArgv(["x"], noProc)).toBeUndefined();
    expect(exactEnvironment(noProc).size).toBe(0);
  });
});
