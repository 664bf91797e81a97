// `foyer users sync` against a real slapd (StartTLS, ldaps, service-account bind) through the binary:
// exact account lines, `id` in a namespace that sees foyer's files, every failure leaving the files
// as they were, a filter-injection attempt, re-runs, changed and removed users.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_FILES, makeRoot, read, snapshot, sync, syncInBackground, withAccountFiles } from "./harness.js";
import { freePortPair, startSlapd, type Slapd } from "./slapd.js";

let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd([join(__dirname, "testkit/seed-nested.ldif")]);
});
afterAll(() => slapd?.stop());

const PEOPLE = "ou=people,dc=example,dc=org";
const GROUPS = "ou=groups,dc=example,dc=org";

function ldap(over: Record<string, unknown> = {}) {
  return {
    type: "ldap",
    urls: [slapd.url],
    bindDN: "cn=svc-reader,dc=example,dc=org",
    bindPasswordSecret: "ldap",
    caFile: slapd.ca,
    users: { base: [PEOPLE] },
    groups: { base: [GROUPS] },
    retries: 0,
    ...over,
  };
}
function spec(source: Record<string, unknown>, users: Record<string, unknown> = {}) {
  return { secrets: { ldap: { env: "LDAP_PW" } }, users: { sources: [source], ...users } };
}

const ALICE_TO_EVE = [
  "alice:x:10001:10001:Alice Anderson:/home/alice:/bin/bash",
  "bob:x:10002:10002:Bob Brown:/home/bob:/bin/bash",
  "carol:x:10003:10003:Carol Chen:/home/carol:/bin/bash",
  "dave:x:10004:10004:Dave Davis:/home/dave:/bin/bash",
  "eve:x:10005:10005:Eve O'Hara test:/home/eve:/bin/bash",
];
const GROUP_LINES = [
  "rstudio-users:x:20001:alice,bob,carol",
  "jupyter-users:x:20002:alice,dave",
  "admins:x:20003:eve",
  "data-team:x:20004:carol,alice,dave",
  "ring-a:x:20005:bob,eve",
  "ring-b:x:20006:eve,bob",
];
const today = () => Math.floor(Date.now() / 86_400_000);

describe("foyer users sync from LDAP", () => {
  it("StartTLS + service-account bind: every line exactly, other lines untouched, Debian modes, `id` sees the memberships", () => {
    const root = makeRoot();
    const r = sync(root, spec(ldap()));
    expect(r.stderr).toMatch(/added 5 \(5 user\(s\), 6 group\(s\); 0 refused\)/);
    expect(r.status).toBe(0);
    expect(read(root, "passwd")).toBe(BASE_FILES.passwd + ALICE_TO_EVE.join("\n") + "\n");
    expect(read(root, "group")).toBe(BASE_FILES.group + GROUP_LINES.join("\n") + "\n");
    const d = today();
    expect(read(root, "shadow")).toBe(BASE_FILES.shadow + ["alice", "bob", "carol", "dave", "eve"].map((n) => `${n}:!:${d}:0:99999:7:::\n`).join(""));
    expect(read(root, "gshadow")).toBe(BASE_FILES.gshadow + GROUP_LINES.map((l) => { const [n, , , m] = l.split(":"); return `${n}:!::${m}\n`; }).join(""));
    expect(snapshot(root).map(({ n, mode, uid, gid }) => [n, mode.toString(8), uid, gid])).toEqual([
      ["passwd", "644", 0, 0],
      ["group", "644", 0, 0],
      ["shadow", "640", 0, 42],
      ["gshadow", "640", 0, 42],
    ]);
    expect(JSON.parse(readFileSync(join(root, "var/lib/foyer/users.json"), "utf8"))).toEqual({
      users: ["alice", "bob", "carol", "dave", "eve"],
      groups: ["admins", "data-team", "jupyter-users", "ring-a", "ring-b", "rstudio-users"],
    });
    expect(statSync(join(root, "var/lib/foyer/users.json")).mode & 0o777).toBe(0o600);

    const id = withAccountFiles(root, "id alice; id eve; getent group data-team");
    expect(id.stderr).toBe("");
    expect(id.stdout).toBe(
      "uid=10001(alice) gid=10001 groups=10001,20001(rstudio-users),20002(jupyter-users),20004(data-team)\n" +
        "uid=10005(eve) gid=10005 groups=10005,20003(admins),20005(ring-a),20006(ring-b)\n" +
        "data-team:x:20004:carol,alice,dave\n",
    );
  });

  it("a re-run with no directory change writes nothing: same bytes, inode and mtime", () => {
    const root = makeRoot();
    expect(sync(root, spec(ldap())).status).toBe(0);
    const before = snapshot(root);
    const recordBefore = statSync(join(root, "var/lib/foyer/users.json"));
    const again = sync(root, spec(ldap()));
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/nothing to change/);
    expect(snapshot(root)).toEqual(before);
    const recordAfter = statSync(join(root, "var/lib/foyer/users.json"));
    expect([recordAfter.ino, recordAfter.mtimeMs]).toEqual([recordBefore.ino, recordBefore.mtimeMs]);
  });

  it("ldaps:// with the CA file, after failing over from a server that is down", async () => {
    const root = makeRoot();
    const dead = await freePortPair();
    const r = sync(root, spec(ldap({ urls: [`ldap://127.0.0.1:${dead}`, slapd.ldaps] })));
    expect(r.status).toBe(0);
    expect(read(root, "passwd")).toBe(BASE_FILES.passwd + ALICE_TO_EVE.join("\n") + "\n");
  });

  it("onlyMembersOf takes literal group names (nested membership counts)", () => {
    const root = makeRoot();
    const r = sync(root, spec(ldap({ onlyMembersOf: ["jupyter-users"] })));
    expect(r.status).toBe(0);
    expect(read(root, "passwd")).toBe(BASE_FILES.passwd + [ALICE_TO_EVE[0], ALICE_TO_EVE[3]].join("\n") + "\n");
    // groups list only the users accepted in this sync
    expect(read(root, "group")).toContain("rstudio-users:x:20001:alice\n");
    const nested = makeRoot();
    expect(sync(nested, spec(ldap({ onlyMembersOf: ["data-team"] }))).status).toBe(0);
    expect(read(nested, "passwd").split("\n").filter((l) => /^(alice|carol|dave):/.test(l))).toHaveLength(3);
    expect(read(nested, "passwd")).not.toMatch(/^(bob|eve):/m);
  });

  it.each([["admins)(cn=*"], ["*"], ["admins)(|(cn=*"], ["x\\2a"]])("a filter-injection attempt %j in onlyMembersOf returns no user and changes nothing", (name) => {
    const root = makeRoot();
    const before = snapshot(root);
    const r = sync(root, spec(ldap({ onlyMembersOf: [name] })));
    expect(r.stderr).toContain(`onlyMembersOf names no group the directory has: ${JSON.stringify(name)}`);
    expect(r.status).toBe(78);
    expect(snapshot(root)).toEqual(before);
    expect(existsSync(join(root, "var/lib/foyer/users.json"))).toBe(false);
  });
});

describe("every failure is a clear error and no account file changes", () => {
  let hang: Server;
  let hangPort: number;
  beforeAll(async () => {
    // accepts connections and never answers: a server that hangs
    hang = createServer(() => undefined);
    await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", resolve));
    hangPort = (hang.address() as { port: number }).port;
  });
  afterAll(() => hang?.close());

  it.each([
    ["a wrong bind password", () => [ldap(), { LDAP_PW: "wrong-password" }], 78, /refused the bind as cn=svc-reader,dc=example,dc=org \(wrong DN or password\)/],
    ["a certificate no CA vouches for (no caFile)", () => [ldap({ caFile: undefined })], 78, /the certificate of ldap:\/\/127\.0\.0\.1:\d+ is not trusted .*set caFile/],
    ["a CA file that does not exist", () => [ldap({ caFile: "/nonexistent/ca.pem" })], 78, /caFile \/nonexistent\/ca\.pem cannot be read \(ENOENT\)/],
    ["the size limit", () => [ldap({ sizeLimit: 2 })], 78, /hit the size limit \(sizeLimit: 2\).*nothing was changed/],
    ["a filter that matches nothing", () => [ldap({ users: { base: [PEOPLE], filter: "(&(objectClass=posixAccount)(uid=nobody-here))" } })], 78, /the user filter .* matched no entry under ou=people/],
    ["a base DN that does not exist", () => [ldap({ users: { base: ["ou=nowhere,dc=example,dc=org"] } })], 78, /the base DN "ou=nowhere,dc=example,dc=org" does not exist/],
  ])("%s", (_what, make, code, message) => {
    const [source, env] = make() as [Record<string, unknown>, Record<string, string> | undefined];
    const root = makeRoot();
    const before = snapshot(root);
    const r = sync(root, spec(source), env);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.status).toBe(code);
    expect(snapshot(root)).toEqual(before);
  });

  it("a server that is down: retried with backoff, then exit 70 naming every URL", async () => {
    const root = makeRoot();
    const before = snapshot(root);
    const [a, b] = [await freePortPair(), await freePortPair()];
    const r = sync(root, spec(ldap({ urls: [`ldap://127.0.0.1:${a}`, `ldap://127.0.0.1:${b}`], retries: 2, backoff: { initial: "100ms", max: "150ms" } })));
    expect(r.stderr.match(/retrying in/g)).toHaveLength(2);
    expect(r.stderr).toMatch(new RegExp(`ldap://127.0.0.1:${a} is unreachable \\(ECONNREFUSED\\); ldap://127.0.0.1:${b} is unreachable \\(ECONNREFUSED\\) \\(after 3 attempts\\)`));
    expect(r.ms).toBeGreaterThanOrEqual(250);
    expect(r.status).toBe(70);
    expect(snapshot(root)).toEqual(before);
  });

  it("a server that accepts and never answers: the time limit ends the wait", () => {
    const root = makeRoot();
    const before = snapshot(root);
    const r = sync(root, spec(ldap({ urls: [`ldap://127.0.0.1:${hangPort}`], timeLimit: "1s" })));
    expect(r.stderr).toMatch(/did not answer in time/);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.status).toBe(70);
    expect(snapshot(root)).toEqual(before);
  });

  it("an undeclared bind secret is a configuration error before any connection", () => {
    const root = makeRoot();
    const r = sync(root, { users: { sources: [ldap()] } });
    expect(r.stderr).toMatch(/no secret named "ldap" is declared under secrets:[\s\S]*users\.sources\[0\]\.bindPasswordSecret/);
    expect(r.status).toBe(78);
  });

  it("plain ldap:// without StartTLS is refused unless allowPlaintext", () => {
    const r = sync(makeRoot(), spec(ldap({ startTLS: false })));
    expect(r.stderr).toMatch(/sends the bind password in clear/);
    expect(r.status).toBe(78);
  });
});

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

describe("sharing the files with shadow-utils", () => {
  it("waits for /etc/.pwd.lock held by another program (an fcntl lock, as lckpwdf)", async () => {
    const root = makeRoot();
    const holder = spawn("python3", ["-c", "import fcntl,sys,time; f=open(sys.argv[1],'w'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(1.5)", join(root, "etc/.pwd.lock")]);
    await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
    const t0 = performance.now();
    const run = syncInBackground(root, spec(ldap()));
    expect(await run.done).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(read(root, "passwd")).toContain("alice:x:10001");
  });

  it("--every: a failing directory is logged each period, the process stays up and exits 0 on TERM", async () => {
    const root = makeRoot();
    const before = snapshot(root);
    const dead = await freePortPair();
    const run = syncInBackground(root, spec(ldap({ urls: [`ldap://127.0.0.1:${dead}`] })), ["--every", "1s"]);
    await new Promise((r) => setTimeout(r, 2500)); // real periods of the real binary
    expect(run.child.exitCode).toBe(null);
    expect(run.stderr().match(/the account files are unchanged; next sync in 1 s/g)!.length).toBeGreaterThanOrEqual(2);
    run.child.kill("SIGTERM");
    expect(await run.done).toBe(0);
    expect(snapshot(root)).toEqual(before);
  });
});
