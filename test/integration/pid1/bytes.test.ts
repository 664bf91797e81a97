// `foyer run -- CMD` and `foyer exec-as` pass CMD's arguments and the environment through byte for
// byte, like tini and gosu, also when they are not UTF-8 (a Latin-1 file name, a legacy locale's
// value): Node decodes argv and the environment with U+FFFD, so foyer takes the exact bytes from
// /proc/self/cmdline and /proc/self/environ. What would go into a text file (a secret, {{env}}, an
// override) is refused instead of silently changed. Bytes are built by bash's $'\xNN' (Node's own spawn
// could not pass them to foyer either).
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FOYER } from "./harness.js";

/** Run a bash script (with FOYER set) and return its stdout bytes, stderr and status. */
function bash(script: string, cwd: string) {
  const file = join(cwd, "run.sh");
  writeFileSync(file, `#!/bin/bash\nset -e\n${script}\n`, { mode: 0o755 });
  const r = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", file], { cwd, env: { PATH: "/usr/bin:/bin", FOYER }, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

const EXPECTED = Buffer.concat([Buffer.from("ar"), Buffer.from([0xff]), Buffer.from("g|caf"), Buffer.from([0xe9]), Buffer.from("|")]);

describe("arguments and environment that are not UTF-8", () => {
  const dir = mkdtempSync(join(tmpdir(), "foyer-bytes-"));
  chmodSync(dir, 0o755);

  it.each([
    ["run --", `"$FOYER" run --`],
    ["run (no --)", `"$FOYER" run`],
    ["exec-as nobody", `"$FOYER" exec-as nobody --`],
    // a non-root foyer is not dumpable, so it must read its /proc/self/environ before that
    ["run -- as a non-root foyer", `setpriv --reuid=65534 --regid=65534 --clear-groups "$FOYER" run --`],
  ])("%s: CMD gets the exact bytes of its arguments and of the environment", (_what, prefix) => {
    const r = bash(`export X=$'caf\\xe9'\nexec ${prefix} sh -c 'printf "%s|%s|" "$1" "$X"' sh $'ar\\xffg'`, dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.toString("hex")).toBe(EXPECTED.toString("hex"));
  });

  it("run --spec: a program (and a hook) inherit a non-UTF-8 value with its bytes; one the spec sets is its own", () => {
    const spec = join(dir, "spec.yaml");
    mkdirSync(join(dir, "init.d"));
    writeFileSync(join(dir, "init.d/10-show"), `#!/bin/sh\nprintf 'hook:%s|' "$X" >> ${dir}/hook.out\n`, { mode: 0o755 });
    writeFileSync(spec, `hooks: { init: ${dir}/init.d }\nenv: { Y: "set" }\nprograms:\n  show: { command: [sh, -c, 'printf "%s|%s|" "$X" "$Y"'], critical: true, restart: never }\n`);
    const r = bash(`export X=$'caf\\xe9'\nexec "$FOYER" run --spec ${spec}`, dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.toString("hex")).toBe(Buffer.concat([Buffer.from("show | caf"), Buffer.from([0xe9]), Buffer.from("|set|\n")]).toString("hex"));
    expect(readFileSync(join(dir, "hook.out")).toString("hex")).toBe(Buffer.concat([Buffer.from("hook:caf"), Buffer.from([0xe9]), Buffer.from("|")]).toString("hex"));
  });

  it("validate, plan and init refuse a secret, a template's {{env}} and a FOYER__ override that are not UTF-8 (all at once, nothing written)", () => {
    const spec = join(dir, "env-spec.yaml");
    writeFileSync(spec, `secrets:\n  db: { env: DB }\nfiles:\n  - { path: ${dir}/out/a.conf, template: "x={{env 'X'}}" }\n  - { path: ${dir}/out/b.conf, template: "s={{secret 'db'}}" }\n`);
    for (const command of ["validate", "plan", "init"]) {
      const r = bash(`export X=$'caf\\xe9' DB=$'pass\\xffword123' FOYER__env__Z=$'a\\xffb'\nexec "$FOYER" ${command} --spec ${spec}`, dir);
      expect(r.status, r.stderr).toBe(78);
      expect(r.stderr).toContain(`secret "db": environment variable DB is not UTF-8 text`);
      expect(r.stderr).toContain(`environment variable "X" is not UTF-8 text: a config file cannot hold its bytes`);
      expect(r.stderr).toMatch(/FOYER__env__Z is not UTF-8 text[^\n]*\n\s+→ at env\.Z \(env FOYER__env__Z\)/);
    }
    expect(existsSync(join(dir, "out")), "nothing written").toBe(false);
  });

  it("a program in a directory whose name is Latin-1 is found and run (not 127)", () => {
    const latin1 = Buffer.concat([Buffer.from(join(dir, "caf")), Buffer.from([0xe9])]);
    mkdirSync(latin1);
    copyFileSync("/bin/echo", Buffer.concat([latin1, Buffer.from("/say")]));
    const r = bash(`exec "$FOYER" run -- $'${dir}/caf\\xe9/say' hello`, dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.toString()).toBe("hello\n");
  });
});
