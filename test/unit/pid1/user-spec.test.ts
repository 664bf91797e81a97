import { describe, expect, it } from "vitest";
import { loginEnv, parseUserSpec, resolveUser, UserSpecError, type Nss } from "../../../src/pid1/user-spec.js";

describe("parseUserSpec", () => {
  it.each([
    ["alice", { user: "alice" }],
    ["alice:staff", { user: "alice", group: "staff" }],
    ["1000", { user: 1000 }],
    ["1000:0", { user: 1000, group: 0 }],
    ["alice:0", { user: "alice", group: 0 }],
    ["rstudio-server", { user: "rstudio-server" }],
    ["svc.app@corp", { user: "svc.app@corp" }],
    ["machine$", { user: "machine$" }],
  ])("parses %s", (text, expected) => {
    expect(parseUserSpec(text)).toEqual(expected);
  });

  it.each(["", ":", "alice:", ":staff", "a:b:c", "al ice", "-rf", "4294967296"])("rejects %j with exit code 78", (text) => {
    expect(() => parseUserSpec(text)).toThrow(UserSpecError);
    try {
      parseUserSpec(text);
    } catch (err) {
      expect((err as UserSpecError).exitCode).toBe(78);
      expect((err as Error).message).toContain(`'${text}'`);
    }
  });
});

// A tiny user database: alice (2001) in research and shared; group 'staff' = 50.
const nss: Nss = {
  getpw: (k) =>
    k === "alice" || k === 2001 ? { name: "alice", uid: 2001, gid: 2001, home: "/home/alice", shell: "/bin/bash" } : null,
  getgr: (k) => (k === "staff" ? { name: "staff", gid: 50 } : null),
  getgrouplist: (user, gid) => (user === "alice" ? [gid, 3001, 3002] : [gid]),
};

describe("resolveUser", () => {
  it("takes uid, gid, home, shell from passwd and all groups from the group database", () => {
    expect(resolveUser({ user: "alice" }, nss)).toEqual({
      uid: 2001, gid: 2001, groups: [2001, 3001, 3002], name: "alice", home: "/home/alice", shell: "/bin/bash",
    });
  });

  it("a numeric uid with a passwd entry is the same user", () => {
    expect(resolveUser({ user: 2001 }, nss).name).toBe("alice");
  });

  it("an explicit group becomes the primary gid, memberships stay", () => {
    const u = resolveUser({ user: "alice", group: "staff" }, nss);
    expect(u.gid).toBe(50);
    expect(u.groups).toEqual([50, 3001, 3002]);
  });

  it("a numeric uid without passwd entry: gid 0 (or the given one), HOME=/, groups = [gid]", () => {
    expect(resolveUser({ user: 4242 }, nss)).toEqual({ uid: 4242, gid: 0, groups: [0], home: "/" });
    expect(resolveUser({ user: 4242, group: 4242 }, nss)).toEqual({ uid: 4242, gid: 4242, groups: [4242], home: "/" });
  });

  it("an unknown name or group is a configuration error naming it", () => {
    expect(() => resolveUser({ user: "mallory" }, nss)).toThrow(/user 'mallory' not found/);
    expect(() => resolveUser({ user: "alice", group: "nope" }, nss)).toThrow(/group 'nope' not found/);
  });

  it("puts the primary gid first when the group database leaves it out", () => {
    const odd: Nss = { ...nss, getgrouplist: () => [3001] };
    expect(resolveUser({ user: "alice" }, odd).groups).toEqual([2001, 3001]);
  });
});

describe("loginEnv", () => {
  it("sets HOME, USER, LOGNAME, SHELL and keeps everything else", () => {
    const env = loginEnv({ PATH: "/bin", USER: "root", HOME: "/root", NODE_OPTIONS: "--x" }, resolveUser({ user: "alice" }, nss));
    expect(env).toEqual({ PATH: "/bin", USER: "alice", LOGNAME: "alice", HOME: "/home/alice", SHELL: "/bin/bash", NODE_OPTIONS: "--x" });
  });

  it("drops a stale USER/LOGNAME for a uid without a name", () => {
    const env = loginEnv({ USER: "root", LOGNAME: "root", SHELL: "/bin/sh" }, resolveUser({ user: 4242 }, nss));
    expect(env).toEqual({ HOME: "/", SHELL: "/bin/sh" });
  });
});
