// `foyer users sync` against a real slapd (StartTLS, ldaps, service-account bind) through the binary:
// exact account lines, `id` in a namespace that sees foyer's files, every failure leaving the files
// as they were, a filter-injection attempt, re-runs, changed and removed users.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE_FILES, makeRoot, read, snapshot, sync, syncInBackground, withAccountFiles } from "./harness.js";
import { ALICE_TO_EVE, GROUP_LINES, PEOPLE, spec, today } from "./ldap-common.js";
import { ldapSource } from "./ldap-common.js";
import { freePortPair, startSlapd, type Slapd } from "./slapd.js";

let slapd: Slapd;
const ldap = (over: Record<string, unknown> = {}) => ldapSource(slapd, over);
beforeAll(async () => {
  slapd = await startSlapd([join(__dirname, "testkit/seed-nested.ldif")]);
});
afterAll(() => slapd?.stop());

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
    const [source, env] = make() as unknown as [Record<string, unknown>, Record<string, string> | undefined];
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
