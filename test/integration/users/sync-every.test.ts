// users.syncEvery through `foyer run` as PID 1 of a private PID + mount namespace (/etc an overlay,
// so the host's account files are untouched): the users-sync program foyer adds syncs the static
// list, and the main program sees the account once it is written.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FOYER, PATH, writeSpec } from "./harness.js";

describe.skipIf(process.getuid?.() !== 0)("users.syncEvery: the periodic sync as a supervised program", () => {
  it("foyer run starts users-sync; ann appears in /etc/passwd; TERM stops it with the rest", () => {
    const spec = {
      users: {
        record: "/run/foyer-users.json", // the namespace's /run is a tmpfs
        syncEvery: "1s",
        sources: [{ type: "static", users: [{ name: "ann", uid: 5001, gecos: "Ann" }], groups: [{ name: "analysts", gid: 6000, members: ["ann"] }] }],
      },
    };
    const specPath = writeSpec(mkdtempSync("/tmp/foyer-sync-every-"), spec);
    const wait = "for i in $(seq 100); do getent passwd ann && exit 0; sleep 0.1; done; exit 1";
    const r = spawnSync("unshare", ["--mount", "--pid", "--fork", "--mount-proc", "sh", join(__dirname, "sssd-mode-ns.sh"), FOYER, specPath, "sh", "-c", wait], {
      encoding: "utf8",
      env: { PATH },
      timeout: 60_000,
    });
    expect(r.stdout, r.stderr).toContain("ann:x:5001:5001:Ann:/home/ann:/bin/bash\n");
    expect(r.stdout).toContain("foyer exit 0\n");
    expect(r.stderr).toMatch(/started users-sync/);
    expect(r.stderr).toMatch(/users-sync stopped \(exited with code 0\)/); // TERM ends the periodic sync cleanly
    expect(r.stderr).toMatch(/users: wrote \/etc\/passwd/);
  });
});
