// foyer exec-as: uid, gid, every supplementary group, login variables, a new session, no capabilities.
// Runs in a private mount namespace with its own /etc/passwd and /etc/group (bind mounts), so the
// host's user database is never touched; NSS reads them through the files module like in a container.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOYER, requireBinary, runFoyer } from "./harness.js";

let dir: string;

beforeAll(() => {
  requireBinary();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "foyer-execas-"));
  const passwd = fs.readFileSync("/etc/passwd", "utf8") + "alice:x:2001:2001:Alice:/home/alice:/bin/bash\n";
  const group = fs.readFileSync("/etc/group", "utf8") + "alice:x:2001:\nresearch:x:3001:alice\nshared:x:3002:bob,alice\nother:x:3003:bob\n";
  fs.writeFileSync(path.join(dir, "passwd"), passwd);
  fs.writeFileSync(path.join(dir, "group"), group);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// foyer as PID 1 of a new pid+mount namespace that sees the test's user database.
function execAs(user: string, script: string) {
  const setup = `mount --bind ${dir}/passwd /etc/passwd && mount --bind ${dir}/group /etc/group && exec "$@"`;
  return runFoyer(["exec-as", user, "--", "sh", "-c", script], { wrap: ["unshare", "--mount", "--pid", "--fork", "--mount-proc", "sh", "-c", setup, "sh"], pidns: false });
}

const SHOW = [
  'echo "uid=$(id -u) gid=$(id -g)"',
  "grep -E '^(Groups|CapEff|CapPrm|CapAmb):' /proc/self/status | tr -s '\\t ' ' '",
  'echo "HOME=$HOME USER=$USER LOGNAME=$LOGNAME SHELL=$SHELL"',
  // field 6 of /proc/self/stat is the session id; a new session means sid == own pid
  "echo \"pid=$$ sid=$(cut -d' ' -f6 /proc/$$/stat) parent_sid=$(cut -d' ' -f6 /proc/$PPID/stat)\"",
].join("; ");

describe("foyer exec-as USER -- CMD", () => {
  it("sets uid, gid, all supplementary groups, login variables, no capabilities", async () => {
    const r = await execAs("alice", SHOW);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("uid=2001 gid=2001");
    expect(r.stdout).toMatch(/^Groups: 2001 3001 3002 ?$/m);
    expect(r.stdout).toMatch(/^CapEff: 0000000000000000$/m);
    expect(r.stdout).toMatch(/^CapPrm: 0000000000000000$/m);
    expect(r.stdout).toMatch(/^CapAmb: 0000000000000000$/m);
    expect(r.stdout).toContain("HOME=/home/alice USER=alice LOGNAME=alice SHELL=/bin/bash");
  });

  it("starts CMD in a new session", async () => {
    const r = await execAs("alice", SHOW);
    const m = /pid=(\d+) sid=(\d+) parent_sid=(\d+)/.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    const [, pid, sid, parentSid] = m!;
    expect(sid, r.stdout + r.stderr).toBe(pid);
    expect(sid, r.stdout + r.stderr).not.toBe(parentSid);
  });

  it("USER:GROUP sets the primary group and keeps the user's group-database groups", async () => {
    // like initgroups(user, GROUP): passwd's primary gid (2001) is replaced, memberships stay
    const r = await execAs("alice:other", SHOW);
    expect(r.stdout).toContain("uid=2001 gid=3003");
    expect(r.stdout).toMatch(/^Groups: 3001 3002 3003 ?$/m);
  });

  it("a numeric uid without a passwd entry runs with gid 0, HOME=/", async () => {
    const r = await execAs("4242", SHOW);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("uid=4242 gid=0");
    expect(r.stdout).toMatch(/^Groups: 0 ?$/m);
    expect(r.stdout).toContain("HOME=/ USER= LOGNAME=");
  });

  it("leaves no saved root id to regain, and passes the exit code through", async () => {
    // real, effective, saved and filesystem ids all switched: setuid(0) is impossible without caps
    const r = await execAs("alice", "grep -E '^(Uid|Gid):' /proc/self/status | tr -s '\\t ' ' '; exit 23");
    expect(r.stdout).toMatch(/^Uid: 2001 2001 2001 2001 ?$/m);
    expect(r.stdout).toMatch(/^Gid: 2001 2001 2001 2001 ?$/m);
    expect(r.code).toBe(23);
  });
});

describe("foyer exec-as when foyer is not root", () => {
  it("running as itself works; switching to someone else is refused (126) and runs nothing", async () => {
    const self = await runFoyer(["exec-as", "nobody", "--", FOYER, "exec-as", "nobody", "--", "sh", "-c", "id -u"], { pidns: false });
    expect(self.stdout.trim()).toBe("65534");
    expect(self.code).toBe(0);
    const other = await runFoyer(["exec-as", "nobody", "--", FOYER, "exec-as", "root", "--", "sh", "-c", "echo ran"], { pidns: false });
    expect(other.stdout).not.toContain("ran");
    expect(other.code).toBe(126);
    expect(other.stderr).toMatch(/cannot run as user 'root': foyer runs as uid 65534, not root/);
  });
});
