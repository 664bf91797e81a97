import { describe, expect, it } from "vitest";
import * as z from "zod";
import { filesDatabase, formatUserSpec, loginEnv, parseUserSpec, resolveOwner, resolveUser, withPlanned, type UserDatabase } from "../../../src/identity/index.js";
import { checkOwners, type Action } from "../../../src/plan/index.js";
import { UserSpec } from "../../../src/spec/primitives.js";

describe("USER[:GROUP] grammar", () => {
  it.each([
    ["alice", { user: "alice" }],
    ["alice:staff", { user: "alice", group: "staff" }],
    ["1000", { user: 1000 }],
    ["1000:0", { user: 1000, group: 0 }],
    ["alice:0", { user: "alice", group: 0 }],
    ["rstudio-server", { user: "rstudio-server" }],
    ["svc.app@corp", { user: "svc.app@corp" }],
    ["machine$", { user: "machine$" }],
    ["_apt", { user: "_apt" }],
    ["4294967294", { user: 4294967294 }],
  ])("parses %j", (text, spec) => {
    expect(parseUserSpec(text)).toEqual({ ok: true, spec });
    expect(formatUserSpec(spec)).toBe(text);
  });

  it.each([
    ["", /is empty/],
    [":", /empty user before ':'/],
    ["alice:", /empty group after ':'/],
    [":staff", /empty user/],
    ["a:b:c", /"a:b:c" has 2 colons/],
    ["al ice", /"al ice" is not a valid user name/],
    ["alice:st aff", /"st aff" is not a valid group name/],
    ["-rf", /"-rf" is not a valid user name.*not starting with -/],
    ["4294967295", /user id 4294967295 is out of range/],
    ["1000:99999999999", /group id 99999999999 is out of range/],
    ["x".repeat(300), /longer than 256/],
  ])("rejects %j saying what is wrong", (text, why) => {
    const r = parseUserSpec(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(why);
  });

  it("the spec's zod type is the same grammar, with the same message", () => {
    expect(UserSpec.safeParse("jovyan:users").success).toBe(true);
    const r = UserSpec.safeParse("a:b:c");
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('invalid user "a:b:c": "a:b:c" has 2 colons: expected USER or USER:GROUP');
    // editors get the grammar as a pattern
    expect(JSON.stringify(z.toJSONSchema(UserSpec))).toContain('"pattern"');
  });
});

// alice (2001) is in research and shared; bob has no group of his own listed; group staff = 50.
const db = filesDatabase(
  "root:x:0:0:root:/root:/bin/bash\n# comment\nalice:x:2001:2001:Alice:/home/alice:/bin/bash\nbob:x:2002:100::/home/bob:\nbroken:line\nnohome:x:2003:2003:::/bin/sh\n",
  "root:x:0:\nalice:x:2001:\nusers:x:100:\nresearch:x:3001:alice\nshared:x:3002:bob,alice\nstaff:x:50:\n",
);

describe("resolveUser / resolveOwner (one resolver for owners and for running)", () => {
  it.each([
    ["alice", { uid: 2001, gid: 2001, groups: [2001, 3001, 3002], name: "alice", home: "/home/alice", shell: "/bin/bash" }],
    ["2001", { uid: 2001, gid: 2001, groups: [2001, 3001, 3002], name: "alice", home: "/home/alice", shell: "/bin/bash" }],
    // GROUP replaces the primary gid; memberships stay (initgroups semantics)
    ["alice:staff", { uid: 2001, gid: 50, groups: [50, 3001, 3002], name: "alice", home: "/home/alice", shell: "/bin/bash" }],
    ["alice:7", { uid: 2001, gid: 7, groups: [7, 3001, 3002], name: "alice", home: "/home/alice", shell: "/bin/bash" }],
    ["bob", { uid: 2002, gid: 100, groups: [100, 3002], name: "bob", home: "/home/bob" }],
    ["nohome", { uid: 2003, gid: 2003, groups: [2003], name: "nohome", home: "/", shell: "/bin/sh" }],
    // the container convention (Docker --user 4242, OpenShift): no entry → gid 0, HOME=/
    ["4242", { uid: 4242, gid: 0, groups: [0], home: "/" }],
    ["4242:4242", { uid: 4242, gid: 4242, groups: [4242], home: "/" }],
    ["4242:staff", { uid: 4242, gid: 50, groups: [50], home: "/" }],
    ["root:users", { uid: 0, gid: 100, groups: [100], name: "root", home: "/root", shell: "/bin/bash" }],
  ])("%s", (spec, want) => {
    expect(resolveUser(spec, db)).toEqual({ ok: true, value: want });
    expect(resolveOwner(spec, db)).toEqual({ ok: true, value: { uid: want.uid, gid: want.gid } });
  });

  it.each([
    ["mallory", 'user "mallory" does not exist (not in the user database)'],
    ["alice:nope", 'group "nope" does not exist (not in the group database)'],
    ["4242:nope", 'group "nope" does not exist'],
    ["a b", 'invalid user "a b": "a b" is not a valid user name'],
  ])("%s is an error naming it", (spec, message) => {
    const r = resolveUser(spec, db);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(message);
    expect(resolveOwner(spec, db)).toEqual(r);
  });

  it("puts the primary gid first when the group database leaves it out", () => {
    const odd: UserDatabase = { ...db, getgrouplist: () => [3001] };
    expect(resolveUser("alice", odd)).toMatchObject({ ok: true, value: { groups: [2001, 3001] } });
  });

  it("planned accounts (a later phase creates them) resolve before they exist, and win", () => {
    const planned = withPlanned(db, {
      users: [{ name: "carol", uid: 3100, gid: 3100, home: "/home/carol", shell: "/bin/bash" }],
      groups: [{ name: "carol", gid: 3100 }, { name: "lab", gid: 3200, members: ["carol", "alice"] }],
    });
    expect(resolveUser("carol", db).ok).toBe(false);
    expect(resolveUser("carol", planned)).toEqual({ ok: true, value: { uid: 3100, gid: 3100, groups: [3100, 3200], name: "carol", home: "/home/carol", shell: "/bin/bash" } });
    expect(resolveOwner("carol:lab", planned)).toEqual({ ok: true, value: { uid: 3100, gid: 3200 } });
    expect(resolveUser("alice", planned)).toMatchObject({ ok: true, value: { groups: [2001, 3001, 3002, 3200] } });
    expect(withPlanned(db, {})).toBe(db);
  });
});

describe("loginEnv", () => {
  const alice = resolveUser("alice", db);
  const anon = resolveUser("4242", db);
  it("sets HOME, USER, LOGNAME, SHELL and keeps everything else", () => {
    if (!alice.ok) throw new Error("alice");
    expect(loginEnv({ PATH: "/bin", USER: "root", HOME: "/root", NODE_OPTIONS: "--x" }, alice.value)).toEqual({
      PATH: "/bin", USER: "alice", LOGNAME: "alice", HOME: "/home/alice", SHELL: "/bin/bash", NODE_OPTIONS: "--x",
    });
  });
  it("drops a stale USER/LOGNAME for a uid without a name", () => {
    if (!anon.ok) throw new Error("anon");
    expect(loginEnv({ USER: "root", LOGNAME: "root", SHELL: "/bin/sh" }, anon.value)).toEqual({ HOME: "/", SHELL: "/bin/sh" });
  });
});

describe("checkOwners (plan actions)", () => {
  it("resolves each owner once and reports unknown ones at the action's spec place", () => {
    const actions: Action[] = [
      { kind: "write-file", path: "/a", reason: "t", source: "files[0]", content: "", mode: 0o644, secret: false, owner: "ghost" },
      { kind: "run-command-as-user", path: "/", reason: "t", source: "hooks.x", argv: ["true"], user: "phantom", env: {} },
      { kind: "chown", path: "/b", reason: "t", owner: "alice:staff", recursive: false },
      { kind: "chown", path: "/c", reason: "t", owner: "4242", recursive: false },
    ];
    const r = checkOwners(actions, db);
    expect(r.issues.map((i) => i.path)).toEqual(["files[0].owner", "hooks.x.user"]);
    expect(r.issues[0]?.message).toMatch(/user "ghost" does not exist.*; needed for \/a/);
    expect(r.owners.get("alice:staff")).toEqual({ uid: 2001, gid: 50 });
    expect(r.owners.get("4242")).toEqual({ uid: 4242, gid: 0 });
  });
});
