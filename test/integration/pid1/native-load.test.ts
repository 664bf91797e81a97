// Where the addon is loaded from when /tmp, /dev/shm... are noexec, and what happens when nowhere
// works: a loud message, `run` still works (without reaping), user switches are refused.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOYER, requireBinary, runFoyer } from "./harness.js";

let bin: string;

beforeAll(() => {
  requireBinary();
  bin = fs.mkdtempSync(path.join(os.tmpdir(), "foyer-native-bin-"));
  fs.copyFileSync(FOYER, path.join(bin, "foyer"));
  fs.chmodSync(path.join(bin, "foyer"), 0o755);
});

afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

// A private mount namespace where the usual temp dirs are noexec tmpfs (as in many containers).
function withNoexec(extraSetup: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const noexec = ["/tmp", "/dev/shm", "/run", "/var/tmp"].map((d) => `mount -t tmpfs -o noexec tmpfs ${d}`).join(" && ");
  // The binary's copy is mounted (over /mnt) before /tmp is hidden, so it stays reachable.
  const setup = `mount --bind ${bin} /mnt && ${noexec} && ${extraSetup} exec "$@"`;
  const wrap = ["unshare", "--mount", "--pid", "--fork", "--mount-proc", "sh", "-c", setup, "sh"];
  return runFoyer(args, { wrap, pidns: false, binary: "/mnt/foyer", env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/nonexistent", ...env } });
}

const ORPHANS = "i=0; while [ $i -lt 10 ]; do (sleep 0.1 &); i=$((i+1)); done; sleep 1.2; echo zombies=$(cat /proc/[0-9]*/stat | grep -c ') Z '); exit 3";

describe("loading the native addon from the single binary", () => {
  it("falls back past noexec /tmp, /dev/shm, /run, /var/tmp to the binary's directory", async () => {
    const r = await withNoexec("", ["run", "--", "sh", "-c", ORPHANS]);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("zombies=0");
    expect(r.code).toBe(3);
  });

  it("with no exec-capable directory: says so loudly, still runs CMD with its code, refuses exec-as", async () => {
    const ro = "mount -o remount,bind,ro /mnt &&";
    const run = await withNoexec(ro, ["run", "--", "sh", "-c", ORPHANS]);
    expect(run.stderr).toMatch(/native addon not loaded: no writable exec-capable directory \(set FOYER_NATIVE_DIR\)/);
    expect(run.stderr).toMatch(/unavailable: orphan reaping, user switching/);
    expect(run.stdout.trim()).toBe("zombies=10"); // honest: nobody reaps them
    expect(run.code).toBe(3);
    const asUser = await withNoexec(ro, ["exec-as", "nobody", "--", "sh", "-c", "echo ran-as-$(id -u)"]);
    expect(asUser.stdout).not.toContain("ran-as-");
    expect(asUser.code).toBe(126);
    expect(asUser.stderr).toMatch(/cannot run as user 'nobody': the native addon is not loaded/);
  });

  it("FOYER_NATIVE_DIR points it at a chosen directory", async () => {
    const r = await withNoexec("mount -t tmpfs tmpfs /srv &&", ["run", "--log-level", "debug", "--", "true"], {
      FOYER_NATIVE_DIR: "/srv",
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/native addon loaded from=\/srv/);
  });

  it("never writes and loads the addon in a directory someone else can change (a user's $HOME when foyer runs as root)", async () => {
    // the only exec-capable writable place is a home that belongs to uid 65534: that user could swap
    // foyer's fresh directory for their own (a link where the addon is written, their own library)
    const home = "mount -o remount,bind,ro /mnt && mount -t tmpfs -o mode=0755 tmpfs /srv && chown 65534 /srv &&";
    const r = await withNoexec(home, ["run", "--log-level", "debug", "--", "true"], { HOME: "/srv" });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/native addon loaded from=\/srv/);
    expect(r.stderr).toMatch(/\/srv: belongs to uid 65534: not a place for foyer's code/);
  });
});
