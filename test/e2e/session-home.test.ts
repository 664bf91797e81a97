// The rstudio-session profile in a Debian root, foyer started as the session user (not root), as
// the Job Launcher starts a session container: the user's existing home (a volume) keeps its owner
// and mode; the static dirs and foyer's record are the user's own; a second start changes nothing.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "../..");
const ROOTFS = process.env.ROOTFS ?? "/tmp/foyer-testkit/rootfs";
const haveRootfs = existsSync(join(ROOTFS, "bin/sh"));

describe.skipIf(!haveRootfs && !process.env.CI)("rstudio-session profile, started as the session user", () => {
  it("makes the user's static dirs and dotfile in its existing home, as the user, then runs the session command", () => {
    const app = mkdtempSync(join(tmpdir(), "foyer-session-"));
    chmodSync(app, 0o755);
    copyFileSync(join(ROOT, "dist/foyer"), join(app, "foyer"));
    writeFileSync(join(app, "spec.yaml"), `profile: rstudio-session\nhome:\n  dotfiles:\n    .Rprofile: { template: "# R profile of {{user}}\\n" }\n`);
    const script = `set -e
useradd --no-log-init --create-home --shell /bin/bash --uid 4242 alice
chmod 0750 /home/alice
HOME=/home/alice setpriv --reuid=4242 --regid=4242 --init-groups /opt/app/foyer run --spec /opt/app/spec.yaml -- sh -c 'echo "session as $(id -un) in $HOME"' 2>&1
stat -c 'HOME=%U %a' /home/alice
stat -c 'DIR=%U %a %n' /home/alice/.local/share/rstudio /home/alice/.config/rstudio
stat -c 'FILE=%U %a %n' /home/alice/.Rprofile /home/alice/.foyer-home.json
cat /home/alice/.Rprofile
setpriv --reuid=4242 --regid=4242 --init-groups /opt/app/foyer init --spec /opt/app/spec.yaml 2>&1 | tail -1`;
    const r = spawnSync("sh", [join(ROOT, "test/e2e/run-in-rootfs.sh"), "bash", "-c", script], { encoding: "utf8", env: { ...process.env, ROOTFS, APP: app }, timeout: 60_000 });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(0);
    expect(out).toContain("session as alice in /home/alice");
    expect(out).toContain("HOME=alice 750"); // an existing home keeps its mode
    expect(out).toContain("DIR=alice 755 /home/alice/.local/share/rstudio");
    expect(out).toContain("DIR=alice 755 /home/alice/.config/rstudio");
    expect(out).toContain("FILE=alice 644 /home/alice/.Rprofile");
    expect(out).toContain("FILE=alice 600 /home/alice/.foyer-home.json");
    expect(out).toContain("# R profile of alice");
    expect(out).toContain("nothing to change");
  });
});
