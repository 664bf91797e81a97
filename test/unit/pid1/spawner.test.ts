// The Spawner's direct path with real (unprivileged) processes; the trampoline and user switching
// run in test/integration/pid1 against the built binary.
import { describe, expect, it } from "vitest";
import { ProcessSpawner } from "../../../src/pid1/spawner.js";

function spawner(managed = new Set<number>()) {
  return new ProcessSpawner({ managed, native: null, self: ["/nonexistent/foyer"], trampolineEnv: {}, uid: 1000, gid: 1000, stdinIsTty: false });
}
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

describe("ProcessSpawner (direct spawn)", () => {
  it("records the pid while it runs and reports its exit code", async () => {
    const managed = new Set<number>();
    const p = spawner(managed).spawn({ argv: ["sh", "-c", "exit 42"], env, stdio: "pipe", group: "session" });
    expect(managed.has(p.pid)).toBe(true);
    expect(await p.exited).toEqual({ code: 42, signal: null, exitCode: 42 });
    expect(managed.has(p.pid)).toBe(false);
  });

  it("puts the child in its own process group and signals the whole group", async () => {
    const p = spawner().spawn({ argv: ["sh", "-c", "sleep 30 & wait"], env, stdio: "pipe", group: "session" });
    await new Promise((r) => setTimeout(r, 100));
    expect(p.killGroup("SIGTERM")).toBe(true);
    expect(await p.exited).toMatchObject({ code: null, signal: "SIGTERM", exitCode: 143 });
    expect(p.killGroup("SIGTERM")).toBe(false);
  });

  it("passes exactly the given environment and captures stdout", async () => {
    const p = spawner().spawn({ argv: ["sh", "-c", 'echo "$A|${HOME-unset}"'], env: { ...env, A: "1" }, stdio: "pipe", group: "session" });
    let out = "";
    p.stdout!.on("data", (d: Buffer) => (out += d));
    await p.exited;
    await new Promise((r) => setTimeout(r, 20));
    expect(out).toBe("1|unset\n");
  });

  it("applies the umask to the child only", async () => {
    const before = process.umask();
    const p = spawner().spawn({ argv: ["sh", "-c", "umask"], env, stdio: "pipe", group: "session", umask: 0o077 });
    let out = "";
    p.stdout!.on("data", (d: Buffer) => (out += d));
    await p.exited;
    await new Promise((r) => setTimeout(r, 20));
    expect(out.trim()).toBe("0077");
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

  it("reports an empty command as 127 without spawning anything", async () => {
    const p = spawner().spawn({ argv: [], env, stdio: "pipe", group: "session" });
    expect(p.pid).toBe(0);
    expect(await p.exited).toMatchObject({ exitCode: 127, spawnError: "cannot execute an empty command" });
  });
});
