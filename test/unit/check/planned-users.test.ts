// Accounts the users sync will create count for every later check of the validation stage: owners
// and `user:`s naming them validate; what the policy refuses is reported before any write; LDAP
// accounts are not known before the sync, and the refusal says so.
import { describe, expect, it } from "vitest";
import { plannedUsers } from "../../../src/check/accounts.js";
import { SCOPES, validateForCommand } from "../../../src/check/index.js";
import { ConfigError } from "../../../src/errors.js";
import { filesDatabase } from "../../../src/identity/index.js";
import { UsersSchema } from "../../../src/users/index.js";
import { missingAfterSync } from "../../../src/users/expected.js";

const PASSWD = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
const GROUP = "root:x:0:\nnogroup:x:65534:\n";
const FACTS = { passwd: PASSWD, group: GROUP, record: { users: [], groups: [] } };

const stage = (yaml: string, opts: { env?: Record<string, string>; euid?: number } = {}) =>
  validateForCommand({
    load: { specFlag: "/spec.yaml", env: opts.env ?? {}, read: (p) => (p === "/spec.yaml" ? yaml : (() => { throw Object.assign(new Error("ENOENT"), { code: "ENOENT" }); })()), exists: (p: string) => p === "/spec.yaml" },
    scope: SCOPES.render,
    users: filesDatabase(PASSWD, GROUP),
    accountFacts: FACTS,
    euid: opts.euid ?? 0,
  });
const messages = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return (err as ConfigError).issues.map((i) => `${i.path}: ${i.message}${i.where ? ` @ ${i.where}` : ""}`).sort();
};

const ALICE = `users:
  sources:
    - type: static
      users: [{ name: alice, uid: 4321 }]
files:
  - { path: /srv/alice.txt, content: hi, owner: alice }
programs:
  job: { command: [/bin/true], user: alice }
`;

describe("accounts a sync will create, in the validation stage", () => {
  it("a static account owns files and runs programs: the owner resolves to its uid and primary group", async () => {
    const v = await stage(ALICE);
    expect(v.owners.get("alice")).toEqual({ uid: 4321, gid: 4321 });
    expect(v.expectedAccounts.users.map((u) => [u.name, u.uid])).toEqual([["alice", 4321]]);
  });

  it("without root the sync does not run, so its accounts do not count", async () => {
    expect(await messages(stage(ALICE, { euid: 1000 }))).toEqual([
      expect.stringMatching(/^files\[0\]\.owner: user "alice" does not exist/),
      expect.stringMatching(/^programs\.job\.user: user "alice" does not exist/),
    ]);
  });

  it("the Posit test user counts too (uid from the environment)", async () => {
    const v = await stage("users: { sources: [{ type: env-test-user }] }\nfiles: [{ path: /srv/t, content: x, owner: rstudio }]\n", { env: { RSW_TESTUSER: "rstudio", RSW_TESTUSER_UID: "10001" } });
    expect(v.owners.get("rstudio")).toEqual({ uid: 10001, gid: 10001 });
  });

  it("an entry the policy refuses does not count; onInvalid: fail is an issue before any write, skip a warning", async () => {
    const failing = ALICE.replace("users: [{ name: alice, uid: 4321 }]", "onInvalid: fail\n      users: [{ name: alice, uid: 4321 }, { name: nob, uid: 65534 }]");
    expect(await messages(stage(failing))).toEqual([expect.stringMatching(/^users\.sources\[0\]\.users\[1\]: the sync refuses users\.sources\[0\] \(static\): user nob \(users\[1\]\): uid 65534 belongs to a local account .*onInvalid: fail/)]);
    const skipping = ALICE.replace("uid: 4321", "uid: 65534");
    const issues = await messages(stage(skipping));
    expect(issues).toEqual([expect.stringMatching(/^files\[0\]\.owner: user "alice" does not exist/), expect.stringMatching(/^programs\.job\.user: user "alice" does not exist/)]);
  });

  it("with an LDAP source, an unknown name says LDAP accounts are not known before the sync", async () => {
    const yaml = `secrets: { ldap-bind: { env: LDAP_PW } }
users:
  sources:
    - { type: ldap, urls: ["ldaps://ldap.example.org"], bindDN: "cn=r,dc=example,dc=org", bindPasswordSecret: ldap-bind, users: { base: ["ou=people,dc=example,dc=org"] } }
files: [{ path: /srv/b, content: x, owner: bob }]
`;
    expect(await messages(stage(yaml, { env: { LDAP_PW: "reader-password" } }))).toEqual([
      expect.stringMatching(/^files\[0\]\.owner: user "bob" does not exist .*accounts of users\.sources\[0\] \(ldap\) are fetched only by the sync, after validation: name such an account by its numeric id, or list it in a static source/),
    ]);
  });
});

describe("plannedUsers (pure)", () => {
  const users = UsersSchema.parse({ sources: [{ type: "static", users: [{ name: "ann", uid: 5001, groups: ["team"] }], groups: [{ name: "team", gid: 6000 }] }, { type: "env-test-user" }] });
  it("static and test-user accounts with their groups; a test user with a bad name is a warning at its variable", () => {
    const p = plannedUsers(users, { RSW_TESTUSER: "Bad Name" }, FACTS, 0);
    expect(p.overlay.users!.map((u) => u.name)).toEqual(["ann"]);
    expect(p.overlay.groups!.map((g) => [g.name, g.members])).toEqual([["team", ["ann"]]]);
    const bad = expect.objectContaining({ path: "users.sources[1]", where: "env RSW_TESTUSER", message: expect.stringMatching(/not a valid login name.*and skips it/) });
    expect(p.warnings).toEqual([bad, bad]); // the user and its group
  });
  it("accounts foyer made before (in its record) are not local accounts of someone else", () => {
    const facts = { ...FACTS, passwd: `${PASSWD}ann:x:5001:5001::/home/ann:/bin/bash\n`, group: `${GROUP}ann:x:5001:\n`, record: { users: ["ann"], groups: ["ann"] } };
    expect(plannedUsers(users, {}, facts, 0).warnings).toEqual([]);
    expect(plannedUsers(users, {}, { ...facts, record: { users: [], groups: [] } }, 0).warnings.map((w) => w.message)).toEqual([expect.stringMatching(/the name ann is a local account foyer did not create/)]);
  });
  it("missingAfterSync names what validation counted on and the sync did not accept", () => {
    const expected = { users: [{ name: "ann", uid: 5001, gid: 5001, gecos: "", home: "/home/ann", shell: "/bin/bash", source: "s" }], groups: [{ name: "team", gid: 6000, members: [], source: "s" }] };
    expect(missingAfterSync(expected, expected)).toEqual([]);
    expect(missingAfterSync(expected, { users: [], groups: expected.groups })).toEqual(["user ann (uid 5001)"]);
  });
});
