// Directory entries to candidates: RFC 4515 escaping, both member attributes, nested groups with a cycle.
import { describe, expect, it } from "vitest";
import { escapeFilterValue, filterForNames, mapGroups, mapUsers, type LdapEntry } from "../../../src/users/ldap-map.js";
import { LdapSourceSchema } from "../../../src/users/schema.js";

const ATTRS = LdapSourceSchema.parse({ type: "ldap", urls: ["ldaps://x"], bindDN: "cn=a,dc=b", bindPasswordSecret: "s", users: { base: ["dc=b"] } }).attributes;
const u = (name: string, extra: Record<string, unknown> = {}): LdapEntry => ({ dn: `uid=${name},ou=people,dc=ex`, uid: name, uidNumber: "10001", gidNumber: "10001", ...extra });

describe("filters", () => {
  it("escapes every filter metacharacter of a value (RFC 4515)", () => {
    expect(escapeFilterValue("admins)(uid=*")).toBe("admins\\29\\28uid=\\2a");
    expect(escapeFilterValue("a\\b\0c")).toBe("a\\5cb\\00c");
    expect(escapeFilterValue("Ünïcode é")).toBe("Ünïcode é");
  });
  it("keeps the admin's filter as written and ORs the escaped names", () => {
    expect(filterForNames("(objectClass=posixGroup)", "cn", ["a", "b*"])).toBe("(&(objectClass=posixGroup)(|(cn=a)(cn=b\\2a)))");
  });
  it("the schema refuses a filter that is not one parenthesised expression", () => {
    const bad = (filter: string) => LdapSourceSchema.safeParse({ type: "ldap", urls: ["ldaps://x"], bindDN: "cn=a,dc=b", bindPasswordSecret: "s", users: { base: ["dc=b"], filter } }).success;
    expect(bad("objectClass=posixAccount")).toBe(false);
    expect(bad("(a=b))(|(c=d)")).toBe(false);
    expect(bad("(&(a=b)(c=\\29))")).toBe(true);
  });
});

describe("mapUsers / mapGroups", () => {
  it("maps attributes case-insensitively, falls back to cn for gecos, flags several values", () => {
    const [a, b] = mapUsers([u("alice", { CN: "Alice A", loginShell: "/bin/zsh" }), u("bob", { uidNumber: ["1", "2"] })], ATTRS, "s");
    expect(a).toMatchObject({ name: "alice", uid: "10001", gecos: "Alice A", shell: "/bin/zsh", origin: "uid=alice,ou=people,dc=ex" });
    expect(b!.problem).toMatch(/uidNumber has 2 values/);
  });

  it("takes members from memberUid and member DNs, resolves nested groups and cuts a cycle", () => {
    const users = [u("alice"), u("bob"), u("carol")];
    const groups: LdapEntry[] = [
      { dn: "cn=a,ou=groups,dc=ex", cn: "a", gidNumber: "20001", memberUid: ["alice"], member: ["cn=b,ou=groups,dc=ex"] },
      { dn: "cn=b,ou=groups,dc=ex", cn: "b", gidNumber: "20002", member: ["UID=Bob, OU=people, DC=ex", "cn=a,ou=groups,dc=ex", "cn=c,ou=groups,dc=ex"] },
      { dn: "cn=c,ou=groups,dc=ex", cn: "c", gidNumber: "20003", memberUid: "carol" },
    ];
    const out = mapGroups(groups, users, ATTRS, "s");
    expect(out.map((g) => [g.name, g.members])).toEqual([
      ["a", ["alice", "bob", "carol"]],
      ["b", ["bob", "alice", "carol"]],
      ["c", ["carol"]],
    ]);
  });
});
