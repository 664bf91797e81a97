import { describe, expect, it } from "vitest";
import { FORWARDED_SIGNALS, STOP_SIGNALS, installSignalRouter, openSignalInbox, stopReceived, stoppedBySignalCode } from "../../../src/pid1/signals.js";

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

// Resolves when the process has handled `signal` (a separate listener tells us, instead of a timer).
function handled(signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => process.once(signal, () => resolve()));
}

describe("installSignalRouter", () => {
  it("routes a real signal to the callback until uninstalled", async () => {
    const got: string[] = [];
    const uninstall = installSignalRouter((s) => got.push(s));
    let seen = handled("SIGWINCH");
    process.kill(process.pid, "SIGWINCH"); // default action: ignore, so harmless if it went astray
    await seen;
    uninstall();
    seen = handled("SIGWINCH");
    process.kill(process.pid, "SIGWINCH");
    await seen;
    expect(got).toEqual(["SIGWINCH"]);
    expect(process.listenerCount("SIGTERM")).toBe(0);
  });
});

describe("the signal inbox", () => {
  it("keeps what arrives during synchronous work and reports the stop signal after it", async () => {
    const inbox = openSignalInbox();
    process.kill(process.pid, "SIGWINCH");
    process.kill(process.pid, "SIGTERM"); // safe: the inbox holds a handler for it
    const until = Date.now() + 50;
    while (Date.now() < until); // foyer loading a spec: no event-loop turn, no JS handler yet
    expect(inbox.pendingStop()).toBeUndefined();
    expect(await stopReceived(inbox)).toBe("SIGTERM");
    expect(stoppedBySignalCode("SIGTERM")).toBe(143);
    const got: string[] = [];
    const unsubscribe = inbox.subscribe((s) => got.push(s));
    expect(got).toEqual(["SIGWINCH", "SIGTERM"]); // replayed in order
    const seen = handled("SIGUSR2");
    process.kill(process.pid, "SIGUSR2");
    await seen;
    expect(got).toEqual(["SIGWINCH", "SIGTERM", "SIGUSR2"]);
    unsubscribe();
    expect(inbox.pendingStop()).toBeUndefined();
    expect(STOP_SIGNALS).toEqual(["SIGTERM", "SIGINT", "SIGQUIT"]);
  });
});
