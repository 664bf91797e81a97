// End to end: the binary alone as PID 1 of a Debian root with Debian's Jupyter server, built like
// docker-stacks' image (jovyan, uid 1000, group users). With NB_USER/NB_UID/NB_GID it renames and
// re-creates the user (supplementary group users), makes its home, dotfile and favorites, runs the
// Jupyter server as that user; /api answers from the host; TERM stops it; foyer exits 0.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "../..");
const ROOTFS = process.env.ROOTFS_JUPYTER ?? "/tmp/foyer-testkit/rootfs-jupyter";
const haveRootfs = existsSync(join(ROOTFS, "usr/lib/python3/dist-packages/jupyter_server"));

async function waitFor<T>(what: () => string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function statusOf(pid: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, "utf8").split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

// CI builds this root in .ci/run (INCLUDE=python3-notebook,python3-jupyter-server)
describe.skipIf(!haveRootfs && !process.env.CI)("Jupyter single-user server, foyer as PID 1 in a Debian root", () => {
  it("creates NB_USER with NB_UID and its groups, home, dotfile, favorites; runs Debian's Jupyter as that user; /api answers; TERM stops it with exit 0", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const app = mkdtempSync(join(tmpdir(), "foyer-jupyter-"));
    chmodSync(app, 0o755);
    copyFileSync(join(ROOT, "dist/foyer"), join(app, "foyer"));
    writeFileSync(
      join(app, "spec.yaml"),
      `profile: jupyter-singleuser
home:
  dotfiles:
    .bash_aliases: { template: "# aliases of {{user}}\\nalias ll='ls -l'\\n" }
    .bashrc: { content: "# foyer's bashrc\\n" }
  jupyterlabFavorites:
    - { path: work, name: Work }
programs:
  jupyter:
    ready: { http: "http://127.0.0.1:${port}/api", timeout: 60s }
`,
    );
    const keep = join(mkdtempSync(join(tmpdir(), "foyer-jupyter-upper-")), "upper");
    // the image: docker-stacks' user, and a `jupyter server` entry point over Debian's module
    const script = `set -e
useradd --no-log-init --create-home --shell /bin/bash --uid 1000 --no-user-group jovyan
printf '#!/bin/sh\\nexec python3 -m jupyter "$@"\\n' > /usr/local/bin/jupyter && chmod 755 /usr/local/bin/jupyter
printf '#!/bin/sh\\nexec python3 -m jupyter_server "$@"\\n' > /usr/local/bin/jupyter-server && chmod 755 /usr/local/bin/jupyter-server
exec env NB_USER=ada NB_UID=1234 NB_GID=2345 NB_GROUP=lab DOCKER_STACKS_JUPYTER_CMD=server "NOTEBOOK_ARGS=--port=${port} --ip=127.0.0.1" /opt/app/foyer run --spec /opt/app/spec.yaml`;
    const child = spawn("sh", [join(ROOT, "test/e2e/run-in-rootfs.sh"), "bash", "-c", script], { env: { ...process.env, ROOTFS, APP: app, KEEP: keep }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    let gone = false;
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => ((gone = true), resolve(code))));
    try {
      const api = await waitFor(
        () => `/api; output so far:\n${out}`,
        async () => {
          if (gone) throw new Error(`foyer exited before /api answered:\n${out}`);
          try {
            const r = await fetch(`http://127.0.0.1:${port}/api`);
            return r.ok ? ((await r.json()) as { version: string }) : undefined;
          } catch {
            return undefined;
          }
        },
        60_000,
      );
      expect(api.version).toMatch(/^\d+\./);
      await waitFor(() => `foyer's ready line; output:\n${out}`, async () => (/jupyter is ready/.test(out) ? true : undefined), 10_000);
      // the server process, seen from the host: its user, group and supplementary groups
      const pids = spawnSync("pgrep", ["-f", `jupyter_server --port=${port}`], { encoding: "utf8" }).stdout.trim().split("\n").map(Number);
      const st = statusOf(pids[0]!);
      expect(st.Uid!.split(/\s+/)[0]).toBe("1234");
      expect(st.Gid!.split(/\s+/)[0]).toBe("2345");
      expect(st.Groups!.split(/\s+/).sort()).toEqual(["100", "2345"]);
      // in its home, with the login variables of the re-created account
      expect(readlinkSync(`/proc/${pids[0]}/cwd`)).toMatch(/\/home\/ada$/);
      const environ = readFileSync(`/proc/${pids[0]}/environ`, "utf8").split("\0");
      expect(environ).toEqual(expect.arrayContaining(["HOME=/home/ada", "USER=ada", "JUPYTER_MODE=singleuser", "XDG_CACHE_HOME=/home/ada/.cache"]));
      child.kill("SIGTERM"); // run-in-rootfs.sh forwards it to the namespace's PID 1: foyer
      expect(await exited, out).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
    expect(out).toMatch(/all programs stopped/);
    expect(out).toMatch(/exiting with code 0/);
    // what foyer made, from the overlay's upper layer
    const home = join(keep, "home/ada");
    expect(statSync(home)).toMatchObject({ uid: 1000 }); // copied from jovyan's home, as start.sh (no CHOWN_HOME)
    expect(readFileSync(join(keep, "etc/passwd"), "utf8")).toMatch(/^ada:x:1234:2345::\/home\/ada:\/bin\/bash$/m);
    expect(readFileSync(join(keep, "etc/group"), "utf8")).toMatch(/^users:x:100:ada$/m);
    expect(readFileSync(join(home, ".bash_aliases"), "utf8")).toBe("# aliases of ada\nalias ll='ls -l'\n");
    expect(statSync(join(home, ".bash_aliases")).uid).toBe(1234);
    // the image's own .bashrc (from /etc/skel, copied with the home) was not foyer's: kept, and said so
    expect(readFileSync(join(home, ".bashrc"), "utf8")).toContain("~/.bashrc: executed by bash");
    expect(out).toMatch(/kept \/home\/ada\/\.bashrc: it was there before foyer wrote it/);
    const fav = JSON.parse(readFileSync(join(home, ".jupyter/lab/user-settings/@jlab-enhanced/favorites/favorites.jupyterlab-settings"), "utf8")) as { favorites: Array<{ path: string }> };
    expect(fav.favorites.map((f) => f.path)).toEqual(["work"]);
    expect(statSync(join(home, ".jupyter/runtime")).uid).toBe(1234);
  });
});
