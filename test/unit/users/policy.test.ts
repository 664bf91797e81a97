// The security-first policy: every refused kind of entry, with its reason, and what is accepted.
import { describe, expect, it } from "vitest";
import type { CandidateUser, SourceResult } from "../../../src/users/accounts.js";
import { decideAccounts, homeProblem, nameProblem, type LocalIds } from "../../../src/users/policy.js";

const NO_LOCAL: LocalIds = { userNames: new Set(), uids: new Set(), groupNames: new Set(), gids: new Set() };
const OPTS = { homeRoot: "/home", defaultShell: "/bin/bash", minId: 1000, today: 20000 };

function user(over: Partial<CandidateUser>): CandidateUser {
  return { source: "s", origin: "o", name: "alice", uid: "10001", gid: "10001", ...over };
}
function src(users: CandidateUser[], onInvalid: "skip" | "fail" = "skip", groups: SourceResult["groups"] = []): SourceResult {
  return { label: "s", onInvalid, users, groups };
}
function reasonFor(c: Partial<CandidateUser>, local = NO_LOCAL): string | undefined {
  const r = decideAccounts([src([user(c)])], local, OPTS);
  return r.rejected[0]?.reason;
}

describe("decideAccounts", () => {
  it("accepts a well-formed user with defaults for home and shell, ':' and newlines in gecos become spaces", () => {
    const r = decideAccounts([src([user({ gecos: "Alice: A\nB" })])], NO_LOCAL, OPTS);
    expect(r.rejected).toEqual([]);
    expect(r.accepted.users).toEqual([{ name: "alice", uid: 10001, gid: 10001, gecos: "Alice  A B", home: "/home/alice", shell: "/bin/bash", passwordHash: undefined, plainPassword: undefined, expire: undefined, source: "s" }]);
  });

  it.each([
    [{ name: "-alice" }, /not a valid login name/],
    [{ name: "1234" }, /not a valid login name/],
    [{ name: "al:ice" }, /not a valid login name/],
    [{ name: "a".repeat(33) }, /not a valid login name/],
    [{ name: undefined }, /no name/],
    [{ uid: "0" }, /uid 0 is root's/],
    [{ uid: "4294967295" }, /\(uid_t\)-1/],
    [{ uid: "500" }, /below 1000/],
    [{ uid: "abc" }, /not a number/],
    [{ uid: undefined }, /no uid/],
    [{ gid: "0" }, /primary group: gid 0/],
    [{ home: "home/alice" }, /not an absolute path/],
    [{ home: "/home/../etc" }, /'\.\.'/],
    [{ home: "/home/a:b" }, /':'/],
    [{ home: "/home" }, /not strictly below \/home/],
    [{ home: "/homes/alice" }, /not strictly below/],
    [{ home: "/etc" }, /not strictly below/],
    [{ shell: "bash" }, /shell/],
    [{ expire: "19999" }, /expired/],
    [{ expire: "20000" }, /expired/],
    [{ problem: "uid has 2 values" }, /uid has 2 values/],
  ])("refuses %j", (c, why) => {
    expect(reasonFor(c)).toMatch(why);
  });

  it("does not refuse an expiry in the future or -1", () => {
    expect(reasonFor({ expire: "20001" })).toBeUndefined();
    expect(reasonFor({ expire: "-1" })).toBeUndefined();
  });

  it("refuses names and ids of local accounts foyer did not create", () => {
    const local: LocalIds = { userNames: new Set(["alice"]), uids: new Set([10002]), groupNames: new Set(["staff"]), gids: new Set([20001]) };
    expect(reasonFor({}, local)).toMatch(/local account/);
    expect(reasonFor({ name: "bob", uid: "10002" }, local)).toMatch(/uid 10002 belongs to a local account/);
    const g = decideAccounts([src([], "skip", [{ source: "s", origin: "g", name: "staff", gid: 30000, members: [] }, { source: "s", origin: "g2", name: "x", gid: 20001, members: [] }])], local, OPTS);
    expect(g.rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/local group/), expect.stringMatching(/gid 20001 belongs to a local group/)]);
  });

  it("refuses every copy of a duplicate name or uid, across sources", () => {
    const r = decideAccounts(
      [
        { label: "a", onInvalid: "skip", users: [user({ source: "a" }), user({ source: "a", name: "bob", uid: "10009" })], groups: [] },
        { label: "b", onInvalid: "skip", users: [user({ source: "b", uid: "10005" }), user({ source: "b", name: "carol", uid: "10009" })], groups: [] },
      ],
      NO_LOCAL,
      OPTS,
    );
    expect(r.accepted.users).toEqual([]);
    expect(r.rejected.map((x) => [x.source, x.name, x.reason])).toEqual([
      ["a", "alice", expect.stringMatching(/more than once/)],
      ["a", "bob", expect.stringMatching(/uid 10009 is given to more than one/)],
      ["b", "alice", expect.stringMatching(/more than once/)],
      ["b", "carol", expect.stringMatching(/uid 10009 is given to more than one/)],
    ]);
  });

  it("lists in groups only users accepted in the same sync", () => {
    const r = decideAccounts([src([user({}), user({ name: "-x", uid: "10002" })], "skip", [{ source: "s", origin: "g", name: "team", gid: 30000, members: ["alice", "-x", "ghost", "alice"] }])], NO_LOCAL, OPTS);
    expect(r.accepted.groups).toEqual([{ name: "team", gid: 30000, members: ["alice"], source: "s" }]);
  });

  it("marks a source with onInvalid: fail as failed, not one with skip", () => {
    expect(decideAccounts([src([user({ uid: "0" })], "fail")], NO_LOCAL, OPTS).failedSources).toEqual(["s"]);
    expect(decideAccounts([src([user({ uid: "0" })], "skip")], NO_LOCAL, OPTS).failedSources).toEqual([]);
  });
});

describe("names and homes", () => {
  it("accepts common login names", () => {
    for (const n of ["alice", "a.b", "a_b-c", "_svc", "Bob", "u1"]) expect(nameProblem(n)).toBeUndefined();
  });
  it("homes strictly below the root, with homeRoot /", () => {
    expect(homeProblem("/srv/alice", "/")).toBeUndefined();
    expect(homeProblem("/", "/")).toMatch(/empty segment|strictly/);
    expect(homeProblem("/home//alice", "/home")).toMatch(/empty segment/);
    expect(homeProblem("/home/./alice", "/home")).toMatch(/'\.'/);
  });
});
