// `foyer run -- CMD` and `foyer exec-as` pass CMD's arguments and the environment through byte for
// byte, like tini and gosu, also when they are not UTF-8 (a Latin-1 file name, a legacy locale's
// value): Node decodes argv and the environment with U+FFFD, so foyer takes the exact bytes from
// /proc/self/cmdline and /proc/self/environ. Bytes are built by bash's $'\xNN' (Node's own spawn
// could not pass them to foyer either).
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

  it("a program in a directory whose name is Latin-1 is found and run (not 127)", () => {
    const latin1 = Buffer.concat([Buffer.from(join(dir, "caf")), Buffer.from([0xe9])]);
    mkdirSync(latin1);
    copyFileSync("/bin/echo", Buffer.concat([latin1, Buffer.from("/say")]));
    const r = bash(`exec "$FOYER" run -- $'${dir}/caf\\xe9/say' hello`, dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.toString()).toBe("hello\n");
  });
});
