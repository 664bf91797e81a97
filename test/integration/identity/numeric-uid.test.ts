// One identity everywhere: a numeric uid without a passwd entry (Docker --user 4242, OpenShift's
// arbitrary uids) gets gid 0, the container convention, whether it owns a file (init), runs a
// program (run), or is given to exec-as. Through the binary, as a user would hit it.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const FOYER = join(__dirname, "../../../dist/foyer");
const UID = 4242; // asserted absent from this machine's passwd below
let dir = "";

function foyer(args: string[], pidns = false) {
  const [file, argv] = pidns ? ["unshare", ["--pid", "--fork", "--mount-proc", FOYER, ...args]] : [FOYER, args];
  const r = spawnSync(file, argv as string[], { encoding: "utf8", cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, timeout: 30_000 });
  return { status: r.status, out: r.stdout + r.stderr, stdout: r.stdout };
}

beforeAll(() => {
  expect(spawnSync("getent", ["passwd", String(UID)]).status).not.toBe(0);
  dir = mkdtempSync(join(tmpdir(), "foyer-uid-"));
  chmodSync(dir, 0o777);
});

describe(`uid ${UID} without a passwd entry → gid 0`, () => {
  it("as a file owner (foyer init)", () => {
    writeFileSync(join(dir, "own.yaml"), `files:\n  - path: ${dir}/owned.conf\n    content: "x\\n"\n    owner: "${UID}"\n`);
    // an existing file of another group: "leave the group alone" (the old owner rule) would keep 5555
    writeFileSync(join(dir, "owned.conf"), "x\n");
    chownSync(join(dir, "owned.conf"), UID, 5555);
    const r = foyer(["init", "--spec", join(dir, "own.yaml")]);
    expect(r.status, r.out).toBe(0);
    const st = statSync(join(dir, "owned.conf"));
    expect([st.uid, st.gid]).toEqual([UID, 0]);
  });

  it("as a running program (foyer run, user: on the program)", () => {
    writeFileSync(join(dir, "run.yaml"), `programs:\n  who:\n    oneshot: true\n    user: "${UID}"\n    command: [sh, -c, 'echo "$(id -u) $(id -g) $(id -G) HOME=$HOME" > ${dir}/who.out']\n`);
    const r = foyer(["run", "--spec", join(dir, "run.yaml"), "--", "true"], true);
    expect(r.status, r.out).toBe(0);
    expect(readFileSync(join(dir, "who.out"), "utf8")).toBe(`${UID} 0 0 HOME=/\n`);
  });

  it("via foyer exec-as", () => {
    const r = foyer(["exec-as", String(UID), "--", "sh", "-c", 'echo "$(id -u) $(id -g) $(id -G) HOME=$HOME $(pwd)"'], true);
    expect(r.status, r.out).toBe(0);
    expect(r.stdout).toBe(`${UID} 0 0 HOME=/ ${dir}\n`); // and CMD starts in exec-as's own cwd, like gosu
  });
});
