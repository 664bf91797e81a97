// The Spawner's direct path with real (unprivileged) processes; the trampoline and user switching
// run in test/integration/pid1 against the built binary.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ProcessSpawner } from "../../../src/pid1/spawner.js";

function spawner(managed = new Set<number>()) {
  return new ProcessSpawner({ managed, native: null, self: ["/nonexistent/foyer"], trampolineEnv: {}, uid: 1000, gid: 1000, stdinIsTty: false });
}
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

// A child's output as it arrives: wait for a text or for the end, never for a guessed time.
function collect(stream: Readable) {
  let text = "";
  const waiters: Array<() => void> = [];
  stream.setEncoding("utf8").on("data", (d: string) => {
    text += d;
    waiters.splice(0).forEach((w) => w());
  });
  const ended = new Promise<void>((resolve) => stream.once("close", resolve));
  return {
    text: () => text,
    ended,
    async until(needle: string) {
      while (!text.includes(needle)) await new Promise<void>((r) => waiters.push(r));
    },
  };
}

/** Field 5 of /proc/PID/stat: the process group. */
function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}

describe("ProcessSpawner (direct spawn)", () => {
  it("records the pid while it runs and reports its exit code", async () => {
    const managed = new Set<number>();
    const p = spawner(managed).spawn({ argv: ["sh", "-c", "exit 42"], env, stdio: "pipe", group: "session" });
    expect(managed.has(p.pid)).toBe(true);
    expect(await p.exited).toEqual({ code: 42, signal: null, exitCode: 42 });
    expect(managed.has(p.pid)).toBe(false);
  });

  it("puts the child in its own process group and signals the whole group", async () => {
    // The child traps TERM and keeps waiting for its own child; only a signal to the whole group
    // reaches the grandchild, which then exits and lets the child finish with 3.
    const grandchild = `trap 'echo grandchild-got-TERM; exit 0' TERM; echo ready; while :; do sleep 0.05; done`;
    const script = `sh -c "${grandchild}" & gc=$!; trap 'echo child-got-TERM' TERM; wait $gc; wait $gc; exit 3`;
    const p = spawner().spawn({ argv: ["sh", "-c", script], env, stdio: "pipe", group: "session" });
    const out = collect(p.stdout!);
    await out.until("ready");
    expect(processGroupOf(p.pid)).toBe(p.pid);
    expect(p.killGroup("SIGTERM")).toBe(true);
    expect(await p.exited).toMatchObject({ code: 3, signal: null, exitCode: 3 });
    await out.ended;
    expect(out.text()).toContain("grandchild-got-TERM");
    expect(out.text()).toContain("child-got-TERM");
    expect(p.killGroup("SIGTERM")).toBe(false);
  });

  it("passes exactly the given environment and captures stdout", async () => {
    const p = spawner().spawn({ argv: ["sh", "-c", 'echo "$A|${HOME-unset}"'], env: { ...env, A: "1" }, stdio: "pipe", group: "session" });
    const out = collect(p.stdout!);
    await out.ended;
    expect(out.text()).toBe("1|unset\n");
  });

  it("applies the umask to the child only", async () => {
    const before = process.umask();
    const p = spawner().spawn({ argv: ["sh", "-c", "umask"], env, stdio: "pipe", group: "session", umask: 0o077 });
    const out = collect(p.stdout!);
    await out.ended;
    expect(out.text().trim()).toBe("0077");
    expect(process.umask()).toBe(before);
  });

  it("reports not found as 127 and a directory as 126, with one line", async () => {
    const nf = await spawner().spawn({ argv: ["no-such-cmd-xyz"], env, stdio: "pipe", group: "session" }).exited;
    expect(nf).toMatchObject({ exitCode: 127, spawnError: "cannot execute 'no-such-cmd-xyz': no such file or directory" });
    const dir = await spawner().spawn({ argv: ["/"], env, stdio: "pipe", group: "session" }).exited;
    expect(dir).toMatchObject({ exitCode: 126, spawnError: "cannot execute '/': permission denied" });
  });

  it("refuses a user switch without the addon instead of running as itself", async () => {
    const p = spawner().spawn({ argv: ["sh", "-c", "echo ran"], env, stdio: "pipe", group: "session", user: "nobody" });
    expect(p.pid).toBe(0);
    expect(await p.exited).toMatchObject({ exitCode: 126, spawnError: "cannot run as user 'nobody': the native addon is not loaded" });
  });

  it("a missing or non-directory cwd is 126 naming the directory, not 'command not found'", async () => {
    const dir = mkdtempSync(join(tmpdir(), "foyer-spawner-"));
    writeFileSync(join(dir, "file"), "");
    const gone = await spawner().spawn({ argv: ["sh", "-c", "exit 0"], env, cwd: join(dir, "gone"), stdio: "pipe", group: "session" }).exited;
    expect(gone).toMatchObject({ exitCode: 126, spawnError: `cannot execute 'sh': working directory ${dir}/gone does not exist` });
    const file = await spawner().spawn({ argv: ["sh", "-c", "exit 0"], env, cwd: join(dir, "file"), stdio: "pipe", group: "session" }).exited;
    expect(file).toMatchObject({ exitCode: 126, spawnError: `cannot execute 'sh': working directory ${dir}/file is not a directory` });
    const ok = await spawner().spawn({ argv: ["sh", "-c", "exit 7"], env, cwd: dir, stdio: "pipe", group: "session" }).exited;
    expect(ok.exitCode).toBe(7);
    rmSync(dir, { recursive: true });
  });

  it("reports an empty command as 127 without spawning anything", async () => {
    const p = spawner().spawn({ argv: [], env, stdio: "pipe", group: "session" });
    expect(p.pid).toBe(0);
    expect(await p.exited).toMatchObject({ exitCode: 127, spawnError: "cannot execute an empty command" });
  });
});
