import { constants } from "node:os";
import { describe, expect, it } from "vitest";
import { FORWARDED_SIGNALS } from "../../../src/pid1/signals.js";
import { decodeWaitStatus, execFailureExitCode, exitCodeFor, signalName, signalNumber } from "../../../src/pid1/exit-status.js";

describe("exitCodeFor", () => {
  it("passes every exit code 0-255 through", () => {
    const codes = Array.from({ length: 256 }, (_, code) => code);
    expect(codes.map((code) => exitCodeFor({ code, signal: null }))).toEqual(codes);
  });

  it("gives 128+n for every forwarded signal", () => {
    for (const signal of FORWARDED_SIGNALS) expect(exitCodeFor({ code: null, signal })).toBe(128 + constants.signals[signal]);
  });

  it.each([
    ["SIGHUP", 129],
    ["SIGINT", 130],
    ["SIGKILL", 137],
    ["SIGTERM", 143],
    ["SIGUSR1", 138],
    ["SIGPWR", 158],
  ])("%s gives 128+n = %i", (signal, expected) => {
    expect(exitCodeFor({ code: null, signal })).toBe(expected);
  });
});

describe("decodeWaitStatus", () => {
  it("reads WIFEXITED statuses", () => {
    expect(decodeWaitStatus(42 << 8)).toEqual({ code: 42, signal: null });
    expect(decodeWaitStatus(0)).toEqual({ code: 0, signal: null });
  });

  it("reads WIFSIGNALED statuses, with or without a core dump bit", () => {
    expect(decodeWaitStatus(15)).toEqual({ code: null, signal: "SIGTERM" });
    expect(decodeWaitStatus(3 | 0x80)).toEqual({ code: null, signal: "SIGQUIT" });
  });
});

describe("signal names", () => {
  it("maps numbers and names both ways, preferring the common names", () => {
    expect(signalNumber("SIGTERM")).toBe(15);
    expect(signalName(6)).toBe("SIGABRT");
    expect(signalName(29)).toBe("SIGIO");
    expect(signalName(40)).toBe("SIG40");
  });
});

describe("execFailureExitCode", () => {
  it("is 127 for not found and 126 for everything else", () => {
    expect(execFailureExitCode("ENOENT")).toBe(127);
    expect(execFailureExitCode("ENOTDIR")).toBe(127);
    expect(execFailureExitCode("EACCES")).toBe(126);
    expect(execFailureExitCode("ENOEXEC")).toBe(126);
    expect(execFailureExitCode(undefined)).toBe(126);
  });
});
