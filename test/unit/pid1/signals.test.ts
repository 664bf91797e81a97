import { describe, expect, it } from "vitest";
import { FORWARDED_SIGNALS, installSignalRouter } from "../../../src/pid1/signals.js";

describe("FORWARDED_SIGNALS", () => {
  it("covers tini's forwarded set and leaves out what foyer must keep for itself", () => {
    for (const s of ["SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP", "SIGUSR1", "SIGUSR2", "SIGWINCH", "SIGCONT", "SIGALRM", "SIGPWR"]) {
      expect(FORWARDED_SIGNALS).toContain(s);
    }
    for (const s of ["SIGCHLD", "SIGPIPE", "SIGKILL", "SIGSTOP", "SIGSEGV", "SIGTTIN", "SIGTTOU", "SIGPROF"]) {
      expect(FORWARDED_SIGNALS).not.toContain(s);
    }
  });
});

describe("installSignalRouter", () => {
  it("routes a real signal to the callback until uninstalled", async () => {
    const got: string[] = [];
    const uninstall = installSignalRouter((s) => got.push(s));
    process.kill(process.pid, "SIGWINCH"); // default action: ignore, so harmless if it went astray
    await new Promise((r) => setTimeout(r, 50));
    uninstall();
    process.kill(process.pid, "SIGWINCH");
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual(["SIGWINCH"]);
    expect(process.listenerCount("SIGTERM")).toBe(0);
  });
});
