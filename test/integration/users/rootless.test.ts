// An arbitrary uid with gid 0 (OpenShift): `foyer users sync` run as that uid gives it a passwd entry
// when the image made /etc/passwd group-writable, renaming the image's entry of the same name as
// docker-stacks does; when the file is not writable, it says exactly what to do, and exits 0.
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BASE_FILES, FOYER, makeRoot, PATH, read, withAccountFiles, writeSpec } from "./harness.js";

const SPEC = { users: { rootless: { name: "jovyan" }, sources: [{ type: "env-test-user" }] } };

function syncAs(uid: number, root: string) {
  const spec = writeSpec(root, SPEC);
  chmodSync(spec, 0o644);
  chmodSync(root, 0o755);
  return spawnSync("setpriv", ["--reuid", String(uid), "--regid", "0", "--clear-groups", FOYER, "users", "sync", "--spec", spec, "--root", root], {
    encoding: "utf8",
    env: { PATH, RSW_TESTUSER: "rstudio" },
  });
}

describe("rootless: the current uid gets a passwd entry", () => {
  it("group-writable /etc/passwd: the entry is added, the image's jovyan renamed, and whoami works", () => {
    const root = makeRoot();
    const passwd = join(root, "etc/passwd");
    const image = `${BASE_FILES.passwd}jovyan:x:1000:100::/home/jovyan:/bin/bash\n`;
    spawnSync("sh", ["-c", `printf '%s' "$1" > ${passwd}`, "sh", image]);
    chownSync(passwd, 0, 0);
    chmodSync(passwd, 0o664);
    const r = syncAs(1000770000, root);
    expect(r.stderr).toMatch(/users\.sources need root to write the account files; foyer runs as uid 1000770000: skipped/);
    expect(r.stderr).toMatch(/gave uid 1000770000 a passwd entry: jovyan:x:1000770000:0::\/home\/jovyan:\/bin\/bash \(the image's jovyan entry is now nayvoj\)/);
    expect(r.status).toBe(0);
    expect(read(root, "passwd")).toBe(`${BASE_FILES.passwd}nayvoj:x:1000:100::/home/jovyan:/bin/bash\njovyan:x:1000770000:0::/home/jovyan:/bin/bash\n`);
    expect(withAccountFiles(root, "setpriv --reuid 1000770000 --regid 0 --clear-groups whoami").stdout).toBe("jovyan\n");
    const again = syncAs(1000770000, root);
    expect(again.stderr).toMatch(/uid 1000770000 already has a passwd entry \(jovyan\)/);
  });

  it("/etc/passwd not writable: a warning that says what to do; nothing changes; exit 0", () => {
    const root = makeRoot();
    const r = syncAs(1000770001, root);
    expect(r.stderr).toMatch(/uid 1000770001 has no entry in .*\/etc\/passwd and foyer cannot add one \(EACCES\)\. Either make the file writable by group 0 .*chmod g\+w \/etc\/passwd/);
    expect(r.status).toBe(0);
    expect(read(root, "passwd")).toBe(BASE_FILES.passwd);
  });
});
