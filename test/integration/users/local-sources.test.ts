// The Posit images' test user and a static list, through the binary: the lines, a password hash that
// the system's own crypt(3) accepts, idempotence with a salted hash, and the account in `id`.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BASE_FILES, makeRoot, read, snapshot, sync, withAccountFiles } from "./harness.js";

const TEST_USER = { users: { sources: [{ type: "env-test-user" }] } };

/** glibc/libxcrypt's crypt(3) through Python: does `hash` accept `password`? */
function cryptAccepts(password: string, hash: string): boolean {
  const r = spawnSync("python3", ["-W", "ignore", "-c", "import crypt,sys; print(crypt.crypt(sys.argv[1], sys.argv[2]) == sys.argv[2])", password, hash], { encoding: "utf8" });
  return r.stdout.trim() === "True";
}

describe("env-test-user (RSW_TESTUSER*, PWB_TESTUSER*)", () => {
  it("creates the user with a group of its own and a SHA-512 hash crypt(3) accepts; a re-run keeps the salted hash", () => {
    const root = makeRoot();
    const env = { RSW_TESTUSER: "rstudio", RSW_TESTUSER_PASSWD: "rstudio-pw" };
    const r = sync(root, TEST_USER, env);
    expect(r.status).toBe(0);
    expect(read(root, "passwd")).toBe(`${BASE_FILES.passwd}rstudio:x:10000:10000::/home/rstudio:/bin/bash\n`);
    expect(read(root, "group")).toBe(`${BASE_FILES.group}rstudio:x:10000:\n`);
    const line = read(root, "shadow").split("\n").find((l) => l.startsWith("rstudio:"))!;
    const hash = line.split(":")[1]!;
    expect(hash).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(cryptAccepts("rstudio-pw", hash)).toBe(true);
    expect(cryptAccepts("rstudio", hash)).toBe(false);
    expect(r.stderr).not.toContain("rstudio-pw");

    const before = snapshot(root);
    expect(sync(root, TEST_USER, env).status).toBe(0);
    expect(snapshot(root)).toEqual(before);

    const changed = sync(root, TEST_USER, { ...env, RSW_TESTUSER_PASSWD: "another-pw" });
    expect(changed.stderr).toMatch(/updated 1/);
    expect(cryptAccepts("another-pw", read(root, "shadow").split("\n").find((l) => l.startsWith("rstudio:"))!.split(":")[1]!)).toBe(true);
    expect(withAccountFiles(root, "id rstudio").stdout).toBe("uid=10000(rstudio) gid=10000(rstudio) groups=10000(rstudio)\n");
  });

  it("PWB_ wins over RSW_; an empty PWB_TESTUSER (the new images' default) creates nobody; without a password the account is locked", () => {
    const root = makeRoot();
    expect(sync(root, TEST_USER, { PWB_TESTUSER: "", RSW_TESTUSER: "rstudio" }).status).toBe(0);
    expect(read(root, "passwd")).toBe(BASE_FILES.passwd);
    expect(sync(root, TEST_USER, { PWB_TESTUSER: "pwb", PWB_TESTUSER_UID: "12000", RSW_TESTUSER: "rstudio" }).status).toBe(0);
    expect(read(root, "passwd")).toBe(`${BASE_FILES.passwd}pwb:x:12000:12000::/home/pwb:/bin/bash\n`);
    expect(read(root, "shadow")).toMatch(/^pwb:!:\d+:0:99999:7:::$/m);
  });

  it("a test user whose uid a local account has is refused with the reason (startup.sh skipped it silently)", () => {
    const root = makeRoot();
    const r = sync(root, TEST_USER, { RSW_TESTUSER: "rstudio", RSW_TESTUSER_UID: "65534" });
    expect(r.stderr).toMatch(/(refused|the sync refuses) users\.sources\[0\] \(env-test-user\): user rstudio \(RSW_TESTUSER\): uid 65534 belongs to a local account foyer did not create/);
    expect(r.stderr.match(/uid 65534 belongs/g), "reported once: by the validation stage, not again by the sync").toHaveLength(1);
    expect(r.status).toBe(0);
    expect(read(root, "passwd")).toBe(BASE_FILES.passwd);
  });
});

describe("static source", () => {
  it("users and groups from the spec, a given hash kept verbatim, memberships from users' groups:", () => {
    const root = makeRoot();
    const hash = "$6$abcdefgh$" + "x".repeat(86);
    const r = sync(root, {
      users: {
        sources: [
          {
            type: "static",
            users: [
              { name: "ann", uid: 5001, gecos: "Ann: analyst", passwordHash: hash, groups: ["analysts"] },
              { name: "ben", uid: 5002, gid: 6000, home: "/home/b/ben", shell: "/bin/sh" },
            ],
            groups: [{ name: "analysts", gid: 6000, members: ["ben"] }],
          },
        ],
      },
    });
    expect(r.status).toBe(0);
    expect(read(root, "passwd")).toBe(`${BASE_FILES.passwd}ann:x:5001:5001:Ann  analyst:/home/ann:/bin/bash\nben:x:5002:6000::/home/b/ben:/bin/sh\n`);
    expect(read(root, "group")).toBe(`${BASE_FILES.group}analysts:x:6000:ben,ann\n`);
    expect(read(root, "shadow")).toContain(`ann:${hash}:`);
    expect(withAccountFiles(root, "id ann").stdout).toBe("uid=5001(ann) gid=5001 groups=5001,6000(analysts)\n");
  });

  it("onInvalid: fail stops before any write; an invalid field is a spec error with its path", () => {
    const root = makeRoot();
    const before = snapshot(root);
    const r = sync(root, { users: { sources: [{ type: "static", onInvalid: "fail", users: [{ name: "ok", uid: 5001 }, { name: "root2", uid: 0 }] }] } });
    expect(r.stderr).toMatch(/✖ (the sync refuses )?users\.sources\[0\] \(static\): user root2 \(users\[1\]\): uid 0 is root's/);
    expect(r.status).toBe(78);
    expect(snapshot(root)).toEqual(before);
    const bad = sync(root, { users: { sources: [{ type: "static", users: [{ name: "x", uid: 5001, passwordHash: "plain" }] }] } });
    expect(bad.stderr).toMatch(/crypt\(3\) hash[\s\S]*users\.sources\[0\]\.users\[0\]\.passwordHash/);
    expect(bad.status).toBe(78);
  });

  it("an image without /etc/gshadow gets none (as shadow-utils), and the re-run still changes nothing", () => {
    const root = makeRoot();
    rmSync(join(root, "etc/gshadow"));
    const groups = { users: { sources: [{ type: "static", users: [{ name: "ann", uid: 5001 }], groups: [{ name: "team", gid: 6000, members: ["ann"] }] }] } };
    expect(sync(root, groups).status).toBe(0);
    expect(existsSync(join(root, "etc/gshadow"))).toBe(false);
    expect(read(root, "group")).toContain("team:x:6000:ann\n");
    expect(sync(root, groups).stderr).toMatch(/nothing to change/);
  });
});
