// Directory entries foyer's policy refuses (skip and fail), and a directory that changes between
// syncs (a changed user updated in place, a removed one locked or deleted), through the binary.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_FILES, makeRoot, read, snapshot, sync, withAccountFiles } from "./harness.js";
import { ALICE_TO_EVE, ldapSource, PEOPLE, spec, today } from "./ldap-common.js";
import { startSlapd, type Slapd } from "./slapd.js";

let slapd: Slapd;
const ldap = (over: Record<string, unknown> = {}) => ldapSource(slapd, over);
beforeAll(async () => {
  slapd = await startSlapd([join(__dirname, "testkit/seed-nested.ldif")]);
});
afterAll(() => slapd?.stop());

describe("policy over directory entries", () => {
  const BAD = `dn: uid=mallory,${PEOPLE}
changetype: add
objectClass: posixAccount
objectClass: account
uid: mallory
cn: mallory
uidNumber: 0
gidNumber: 0
homeDirectory: /root

dn: uid=-rf,${PEOPLE}
changetype: add
objectClass: posixAccount
objectClass: account
uid: -rf
cn: dash
uidNumber: 10020
gidNumber: 10020
homeDirectory: /home/rf

dn: uid=climber,${PEOPLE}
changetype: add
objectClass: posixAccount
objectClass: account
uid: climber
cn: climber
uidNumber: 10021
gidNumber: 10021
homeDirectory: /home/../etc

dn: uid=alice2,${PEOPLE}
changetype: add
objectClass: posixAccount
objectClass: account
uid: alice2
cn: alice2
uidNumber: 10001
gidNumber: 10001
homeDirectory: /home/alice2

dn: uid=daemon,${PEOPLE}
changetype: add
objectClass: posixAccount
objectClass: account
uid: daemon
cn: daemon
uidNumber: 10022
gidNumber: 10022
homeDirectory: /home/daemon

dn: uid=gone,${PEOPLE}
changetype: add
objectClass: posixAccount
objectClass: shadowAccount
objectClass: account
uid: gone
cn: gone
uidNumber: 10023
gidNumber: 10023
homeDirectory: /home/gone
shadowExpire: 100

dn: uid=minus1,${PEOPLE}
changetype: add
objectClass: posixAccount
objectClass: account
uid: minus1
cn: minus1
uidNumber: 4294967295
gidNumber: 10024
homeDirectory: /home/minus1
`;
  const DEL = ["mallory", "-rf", "climber", "alice2", "daemon", "gone", "minus1"].map((u) => `dn: uid=${u},${PEOPLE}\nchangetype: delete\n`).join("\n");
  beforeAll(() => slapd.modify(BAD));
  afterAll(() => slapd.modify(DEL));

  it("skip: each refused entry named with its reason, the rest written (both copies of a duplicate uid refused)", () => {
    const root = makeRoot();
    const r = sync(root, spec(ldap()));
    expect(r.status).toBe(0);
    const refused = r.stderr.split("\n").filter((l) => l.includes("refused users.sources[0] (ldap): user"));
    expect(refused.map((l) => l.replace(/^.*?: user /, ""))).toEqual([
      `alice (uid=alice,${PEOPLE}): uid 10001 is given to more than one user (every copy is refused)`,
      `mallory (uid=mallory,${PEOPLE}): uid 0 is root's`,
      `-rf (uid=-rf,${PEOPLE}): "-rf" is not a valid login name (letters, digits, _ . -, at most 32, not starting with '-', '.' or a digit)`,
      `climber (uid=climber,${PEOPLE}): the home "/home/../etc" has '..', '.' or an empty segment`,
      `alice2 (uid=alice2,${PEOPLE}): uid 10001 is given to more than one user (every copy is refused)`,
      `daemon (uid=daemon,${PEOPLE}): the name daemon is a local account foyer did not create`,
      `gone (uid=gone,${PEOPLE}): the account expired (shadowExpire 100 ≤ today ${today()})`,
      `minus1 (uid=minus1,${PEOPLE}): uid 4294967295 is (uid_t)-1 or beyond: "no change" to setresuid and chown`,
    ]);
    expect(read(root, "passwd")).toBe(BASE_FILES.passwd + ALICE_TO_EVE.slice(1).join("\n") + "\n");
  });

  it("fail: the same directory with onInvalid: fail changes nothing and exits 78", () => {
    const root = makeRoot();
    const before = snapshot(root);
    const r = sync(root, spec(ldap({ onInvalid: "fail" })));
    expect(r.stderr).toMatch(/onInvalid: fail; nothing was changed/);
    expect(r.stderr).toMatch(/✖ users\.sources\[0\] \(ldap\): user mallory/);
    expect(r.status).toBe(78);
    expect(snapshot(root)).toEqual(before);
  });
});

describe("changes in the directory", () => {
  it("a changed user is updated in place; a removed one is locked by default, deleted with removed: delete", () => {
    const root = makeRoot();
    expect(sync(root, spec(ldap())).status).toBe(0);
    slapd.modify(`dn: uid=bob,${PEOPLE}\nchangetype: modify\nreplace: loginShell\nloginShell: /bin/zsh\n`);
    slapd.modify(`dn: uid=dave,${PEOPLE}\nchangetype: delete\n`);
    try {
      const r = sync(root, spec(ldap()));
      expect(r.stderr).toMatch(/updated 1, locked 1/);
      expect(r.status).toBe(0);
      const passwd = read(root, "passwd").split("\n");
      expect(passwd.slice(3, 8)).toEqual([ALICE_TO_EVE[0], "bob:x:10002:10002:Bob Brown:/home/bob:/bin/zsh", ALICE_TO_EVE[2], ALICE_TO_EVE[3], ALICE_TO_EVE[4]]);
      expect(read(root, "shadow")).toContain(`dave:!:${today()}:0:99999:7::1:\n`);
      expect(read(root, "group")).toContain("jupyter-users:x:20002:alice\n");
      const login = withAccountFiles(root, "id dave");
      expect(login.stdout).toBe("uid=10004(dave) gid=10004 groups=10004\n");

      const del = sync(root, spec(ldap(), { removed: "delete" }));
      expect(del.stderr).toMatch(/removed 1/);
      expect(del.status).toBe(0);
      expect(read(root, "passwd")).not.toMatch(/^dave:/m);
      expect(read(root, "shadow")).not.toMatch(/^dave:/m);
      expect(JSON.parse(readFileSync(join(root, "var/lib/foyer/users.json"), "utf8")).users).toEqual(["alice", "bob", "carol", "eve"]);
    } finally {
      slapd.modify(`dn: uid=bob,${PEOPLE}\nchangetype: modify\nreplace: loginShell\nloginShell: /bin/bash\n`);
      slapd.modify(
        `dn: uid=dave,${PEOPLE}\nchangetype: add\nobjectClass: inetOrgPerson\nobjectClass: posixAccount\nobjectClass: shadowAccount\nuid: dave\ncn: Dave Davis\nsn: Davis\nuidNumber: 10004\ngidNumber: 10004\nhomeDirectory: /home/dave\nloginShell: /bin/bash\ngecos: Dave Davis\n`,
      );
    }
  });
});

