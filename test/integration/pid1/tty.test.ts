// With a terminal on stdin (`script` gives foyer a pty), `foyer run` makes CMD the terminal's
// foreground process group like tini (so shells and Ctrl-C work); exec-as detaches CMD from it.
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { FOYER, requireBinary } from "./harness.js";

beforeAll(requireBinary);

function underPty(command: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn("script", ["-qec", command, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d));
    p.on("close", (code) => resolve({ code, out: out.replace(/\r/g, "") }));
    p.stdin.end();
  });
}

// pid, pgrp, tty_nr and tpgid of CMD itself (fields 1, 5, 7, 8 of /proc/PID/stat). Single-quoted
// below: `script` runs the command through $SHELL -c, which must not expand $$ itself.
const SHOW = `echo stat=$(cut -d" " -f1,5,7,8 /proc/$$/stat) foyer=$PPID; echo cwd=$(pwd)`;

describe("a terminal on stdin", () => {
  it("foyer run: CMD leads its own process group, which is the terminal's foreground group", async () => {
    const r = await underPty(`unshare --pid --fork --mount-proc ${FOYER} run -- sh -c '${SHOW}; exit 4'`);
    const m = /stat=(\d+) (\d+) (\d+) (-?\d+)/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    const [, pid, pgrp, ttyNr, tpgid] = m!;
    expect(r.out).toMatch(/foyer=1\s/); // CMD's own stat, not the outer shell's
    expect(pgrp).toBe(pid);
    expect(ttyNr).not.toBe("0");
    expect(tpgid).toBe(pgrp);
    expect(r.out).toContain(`cwd=${process.cwd()}\n`); // through the trampoline, yet in the caller's cwd
    expect(r.code).toBe(4);
  });

  it("foyer exec-as: CMD has no controlling terminal (cannot inject keystrokes into it)", async () => {
    const r = await underPty(`${FOYER} exec-as nobody -- sh -c '${SHOW}; exit 5'`);
    const m = /stat=(\d+) (\d+) (\d+) (-?\d+)/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(r.out).not.toMatch(/foyer=1\s/);
    expect(m![1]).toBe(m![2]); // a session (and group) of its own
    expect(m![3]).toBe("0");
    expect(m![4]).toBe("-1");
    expect(r.code).toBe(5);
  });

  it("foyer, now a background group, can still log to the terminal under `stty tostop`", async () => {
    // After CMD exits foyer logs the leftovers it stopped. Without SIG_IGN for SIGTTOU that write
    // stops foyer (or, in an orphaned group as here, fails with EIO and the line is lost).
    const r = await underPty(`stty tostop; timeout 20 ${FOYER} run -- sh -c 'sleep 30 & exit 6'`);
    expect(r.out).toContain("stopped leftover processes terminated=1");
    expect(r.code).toBe(6);
  });
});
