// Accounts of users: through validate, plan, init and run (the binary, as root, in a private mount
// and PID namespace whose /etc and /var are overlays): a spec that provisions alice, owns a file by
// her and runs a program as her validates, plans, and runs: alice is created by the same sync as
// `foyer users sync` before the plan's actions and before any program starts.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FOYER, PATH } from "./harness.js";

const SPEC = (dir: string) => `users:
  sources:
    - type: static
      users: [{ name: alice, uid: 4321 }]
files:
  - { path: ${dir}/alice.txt, content: "hello\\n", owner: alice, mode: "0640" }
programs:
  job:
    command: [/bin/sh, -c, 'echo "job runs as $(id -u):$(id -g) $(id -un) HOME=$HOME"; echo "file $(stat -c %u:%g:%a ${dir}/alice.txt)"']
    user: alice
    critical: true
    restart: never
log: { format: text }
`;

/** `script` as root in fresh PID and mount namespaces, /etc and /var overlays private to it. */
function inNamespace(dir: string, script: string, env: Record<string, string> = {}) {
  const setup = `set -e
for top in etc var; do
  mkdir -p "$T/ovl/$top.u" "$T/ovl/$top.w"
  mount -t overlay overlay -o "lowerdir=/$top,upperdir=$T/ovl/$top.u,workdir=$T/ovl/$top.w" "/$top"
done
${script}`;
  const r = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "--propagation", "private", "sh", "-c", setup], { encoding: "utf8", env: { PATH, T: dir, FOYER, ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
}

function scratch(): string {
  const dir = mkdtempSync("/tmp/foyer-users-run-");
  chmodSync(dir, 0o755);
  return dir;
}

describe("users: accounts in validate, plan, init and run", () => {
  it("alice (static, uid 4321) owns a file and runs a program: validate and plan pass before she exists; run creates her, the file is 4321's, the program runs as 4321", () => {
    const dir = scratch();
    writeFileSync(join(dir, "spec.yaml"), SPEC(dir));
    const r = inNamespace(dir, `
! getent passwd alice >/dev/null || { echo "alice exists before the test"; exit 3; }
"$FOYER" validate --spec "$T/spec.yaml"; echo "validate=$?"
"$FOYER" plan --spec "$T/spec.yaml" > "$T/plan.txt"; echo "plan=$?"
getent passwd alice >/dev/null && echo "alice after plan" || echo "no alice after plan"
set +e
"$FOYER" run --spec "$T/spec.yaml"; echo "run=$?"
getent passwd alice; id alice
"$FOYER" init --spec "$T/spec.yaml" 2>&1 | grep -E 'users:|nothing to change'; echo "again=$?"`);
    expect(r.out).toContain("validate=0");
    expect(r.out).toContain("plan=0");
    expect(r.out).toContain("no alice after plan");
    expect(readFileSync(join(dir, "plan.txt"), "utf8")).toMatch(/^• users sync \(before the actions, under \/etc\/\.pwd\.lock\): user alice \(uid 4321\)\n[\s\S]*alice\.txt/);
    expect(r.out).toContain("run=0");
    expect(r.out).toContain("job runs as 4321:4321 alice HOME=/home/alice");
    expect(r.out).toContain("file 4321:4321:640");
    expect(r.out).toMatch(/^alice:x:4321:4321::\/home\/alice:\/bin\/bash$/m);
    expect(r.out).toContain("uid=4321(alice) gid=4321 groups=4321"); // a static user without a group of that gid (the users module's rule)
    // the account files are written by the users sync (under its lock), in the namespace's /etc only
    expect(readFileSync(join(dir, "ovl/etc.u/passwd"), "utf8")).toMatch(/^alice:x:4321:/m);
    expect(readFileSync(join(dir, "ovl/etc.u/shadow"), "utf8")).toMatch(/^alice:!:/m);
    expect(readFileSync(join(dir, "ovl/var.u/lib/foyer/users.json"), "utf8")).toContain('"alice"');
    // init afterwards: the same sync, and it changes nothing
    expect(r.out).toMatch(/users: nothing to change in \/etc \(1 user\(s\)/);
    expect(r.out).toMatch(/nothing to change: 1 path\(s\) already up to date/);
    expect(readFileSync("/etc/passwd", "utf8")).not.toMatch(/^alice:/m);
  });

  it("a sync that refuses alice (uid of a local account, onInvalid: fail) is an error in validate: exit 78, nothing written", () => {
    const dir = scratch();
    writeFileSync(join(dir, "spec.yaml"), SPEC(dir).replace("uid: 4321", "uid: 65534").replace("- type: static", "- type: static\n      onInvalid: fail"));
    const r = inNamespace(dir, `set +e
"$FOYER" validate --spec "$T/spec.yaml"; echo "validate=$?"
"$FOYER" run --spec "$T/spec.yaml"; echo "run=$?"
test -e "$T/alice.txt" && echo "file written" || echo "no file"`);
    expect(r.out).toContain("validate=78");
    expect(r.out).toContain("run=78");
    expect(r.out).toMatch(/users\.sources\[0\] \(static\): user alice \(users\[0\]\): uid 65534 belongs to a local account foyer did not create/);
    expect(r.out).toContain("no file");
  });
});

describe("the Posit test user's password, through foyer validate (profile: workbench)", () => {
  const validate = (env: Record<string, string>) => {
    const dir = scratch();
    writeFileSync(join(dir, "spec.yaml"), "profile: workbench\ncontrol: { enabled: false }\n");
    const r = spawnSync(FOYER, ["validate", "--spec", join(dir, "spec.yaml")], { encoding: "utf8", env: { PATH, ...env } });
    return { status: r.status, out: r.stdout + r.stderr };
  };

  it("Posit's public default 'rstudio' is accepted with a warning that it is no secret; another password under 8 characters is refused, naming the variable, never printing it", () => {
    const def = validate({ RSW_TESTUSER: "rstudio", RSW_TESTUSER_PASSWD: "rstudio" });
    expect(def.status, def.out).toBe(0);
    expect(def.out).toMatch(/test user's password is Posit's public default "rstudio".*→ at RSW_TESTUSER_PASSWD \(env RSW_TESTUSER_PASSWD\)/);
    const short = validate({ RSW_TESTUSER: "rstudio", PWB_TESTUSER_PASSWD: "s3cr3t" });
    expect(short.status).toBe(78);
    expect(short.out).toMatch(/PWB_TESTUSER_PASSWD is shorter than 8 characters/);
    expect(short.out).not.toContain("s3cr3t");
    const bad = validate({ RSW_TESTUSER: "Bad;Name" });
    expect(bad.status).toBe(78);
    expect(bad.out).toMatch(/user Bad;Name \(RSW_TESTUSER\): "Bad;Name" is not a valid login name.*onInvalid: fail[\s\S]*env RSW_TESTUSER/);
  });
});
