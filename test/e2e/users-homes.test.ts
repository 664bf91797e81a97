// `foyer users sync` with a home: section, in a throw-away Debian root: the accounts a static source
// provisions get their homes (0700, theirs), static dirs and dotfiles; a second sync changes nothing.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "../..");
const ROOTFS = process.env.ROOTFS ?? "/tmp/foyer-testkit/rootfs";
const haveRootfs = existsSync(join(ROOTFS, "bin/sh"));

describe.skipIf(!haveRootfs && !process.env.CI)("users sync makes the provisioned accounts' homes", () => {
  it("homes, dirs and dotfiles for each accepted account, owned by it; a second sync changes nothing", () => {
    const app = mkdtempSync(join(tmpdir(), "foyer-users-homes-"));
    chmodSync(app, 0o755);
    copyFileSync(join(ROOT, "dist/foyer"), join(app, "foyer"));
    writeFileSync(
      join(app, "spec.yaml"),
      `users:
  sources:
    - type: static
      users: [{ name: ann, uid: 5001, groups: [analysts] }, { name: bo, uid: 5002 }]
      groups: [{ name: analysts, gid: 6000 }]
home:
  dirs: [.jupyter/runtime]
  dotfiles:
    .bashrc: { template: "# {{user}}'s bashrc\\n" }
`,
    );
    const script = `set -e
/opt/app/foyer users sync --spec /opt/app/spec.yaml 2>&1
for u in ann bo; do stat -c "HOME %n %U %a" /home/$u; stat -c "FILE %n %U %a" /home/$u/.bashrc /home/$u/.jupyter/runtime; cat /home/$u/.bashrc; done
/opt/app/foyer users sync --spec /opt/app/spec.yaml 2>&1 | sed 's/^/AGAIN /'`;
    const r = spawnSync("sh", [join(ROOT, "test/e2e/run-in-rootfs.sh"), "bash", "-c", script], { encoding: "utf8", env: { ...process.env, ROOTFS, APP: app }, timeout: 60_000 });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(0);
    expect(out).toContain("HOME /home/ann ann 700");
    expect(out).toContain("HOME /home/bo bo 700");
    expect(out).toContain("FILE /home/ann/.bashrc ann 644");
    expect(out).toContain("FILE /home/bo/.jupyter/runtime bo 755");
    expect(out).toContain("# ann's bashrc");
    expect(out).toContain("# bo's bashrc");
    expect(out).not.toMatch(/^AGAIN .*(create|update) /m);
  });
});
