// Merging accounts into passwd/group/shadow/gshadow text: every other line kept in place, foyer's own
// entries updated where they stand, idempotence, and the removed-account policies.
import { describe, expect, it } from "vitest";
import type { Account, AccountList } from "../../../src/users/accounts.js";
import { changedFiles, localIds, mergeAccountFiles, type AccountFiles, type AccountRecord } from "../../../src/users/nss-files.js";
import { sha512Crypt } from "../../../src/users/sha512-crypt.js";

const BASE: AccountFiles = {
  passwd: "root:x:0:0:root:/root:/bin/bash\n# a comment\n+@nis\nsvc:x:999:999::/var/lib/svc:/usr/sbin/nologin\n",
  group: "root:x:0:\nshadow:x:42:\nsvc:x:999:\n",
  shadow: "root:*:19000:0:99999:7:::\nsvc:!:19000::::::\n",
  gshadow: "root:*::\nshadow:*::\nsvc:!::\n",
};
const NONE: AccountRecord = { users: [], groups: [] };
const OPTS = { removed: "lock" as const, today: 20000, hashPassword: (p: string, old: string | undefined) => (old && sha512Crypt(p, "salt") === old ? old : sha512Crypt(p, "salt")) };

function acct(name: string, uid: number, over: Partial<Account> = {}): Account {
  return { name, uid, gid: uid, gecos: "", home: `/home/${name}`, shell: "/bin/bash", source: "s", ...over };
}
const LIST: AccountList = { users: [acct("alice", 10001, { gecos: "Alice A" }), acct("bob", 10002)], groups: [{ name: "team", gid: 20001, members: ["alice", "bob"], source: "s" }] };

describe("mergeAccountFiles", () => {
  it("appends new entries after every existing line, kept byte for byte; locked without a hash", () => {
    const r = mergeAccountFiles(BASE, NONE, LIST, OPTS);
    expect(r.files.passwd).toBe(`${BASE.passwd}alice:x:10001:10001:Alice A:/home/alice:/bin/bash\nbob:x:10002:10002::/home/bob:/bin/bash\n`);
    expect(r.files.shadow).toBe(`${BASE.shadow}alice:!:20000:0:99999:7:::\nbob:!:20000:0:99999:7:::\n`);
    expect(r.files.group).toBe(`${BASE.group}team:x:20001:alice,bob\n`);
    expect(r.files.gshadow).toBe(`${BASE.gshadow}team:!::alice,bob\n`);
    expect(r.record).toEqual({ users: ["alice", "bob"], groups: ["team"] });
    expect(r.added).toEqual(["alice", "bob"]);
  });

  it("is idempotent: the merged text merged again is the same text", () => {
    const first = mergeAccountFiles(BASE, NONE, LIST, OPTS);
    const again = mergeAccountFiles(first.files, first.record, LIST, { ...OPTS, today: 20005 });
    expect(changedFiles(first.files, again.files)).toEqual([]);
    expect(again.added).toEqual([]);
    expect(again.updated).toEqual([]);
  });

  it("updates its own entries in place, keeping local ageing fields and lastchg while the hash is the same", () => {
    const first = mergeAccountFiles({ ...BASE, passwd: `${BASE.passwd}zed:x:1001:1001::/home/zed:/bin/sh\n` }, NONE, LIST, OPTS);
    const edited = { ...first.files, shadow: first.files.shadow.replace("alice:!:20000:0:99999:7:::", "alice:!:20000:1:90:14:3::") };
    const changed: AccountList = { ...LIST, users: [acct("alice", 10001, { shell: "/bin/zsh", gecos: "Alice A" }), LIST.users[1]!] };
    const r = mergeAccountFiles(edited, first.record, changed, { ...OPTS, today: 20100 });
    const lines = r.files.passwd.split("\n");
    expect(lines.indexOf("alice:x:10001:10001:Alice A:/home/alice:/bin/zsh")).toBe(lines.indexOf("zed:x:1001:1001::/home/zed:/bin/sh") + 1);
    expect(r.files.shadow).toContain("alice:!:20000:1:90:14:3::\n");
    expect(r.updated).toEqual(["alice"]);
  });

  it("hashes a plain password, keeps a hash that still matches, and moves lastchg only when it changes", () => {
    const one: AccountList = { users: [acct("rstudio", 10000, { plainPassword: "rstudio" })], groups: [] };
    const r = mergeAccountFiles(BASE, NONE, one, OPTS);
    expect(r.files.shadow).toContain(`rstudio:${sha512Crypt("rstudio", "salt")}:20000:0:99999:7:::\n`);
    const again = mergeAccountFiles(r.files, r.record, one, { ...OPTS, today: 20001 });
    expect(again.files.shadow).toBe(r.files.shadow);
    const given: AccountList = { users: [acct("rstudio", 10000, { passwordHash: "$6$x$y" })], groups: [] };
    expect(mergeAccountFiles(r.files, r.record, given, { ...OPTS, today: 20002 }).files.shadow).toContain("rstudio:$6$x$y:20002:0:99999:7:::\n");
  });

  it("lock: a removed user keeps its entry, locked (!) and expired (day 1); its groups lose it", () => {
    const first = mergeAccountFiles(BASE, NONE, LIST, OPTS);
    const without: AccountList = { users: [LIST.users[0]!], groups: [{ ...LIST.groups[0]!, members: ["alice"] }] };
    const r = mergeAccountFiles(first.files, first.record, without, OPTS);
    expect(r.files.passwd).toContain("bob:x:10002:10002::/home/bob:/bin/bash\n");
    expect(r.files.shadow).toContain("bob:!:20000:0:99999:7::1:\n");
    expect(r.files.group).toContain("team:x:20001:alice\n");
    expect(r.record.users).toEqual(["alice", "bob"]);
    expect(r.locked).toEqual(["bob"]);
    expect(mergeAccountFiles(r.files, r.record, without, OPTS).locked).toEqual([]);
  });

  it("delete: a removed user's and group's lines go, and the record forgets them; keep: nothing changes", () => {
    const first = mergeAccountFiles(BASE, NONE, LIST, OPTS);
    const empty: AccountList = { users: [], groups: [] };
    const del = mergeAccountFiles(first.files, first.record, empty, { ...OPTS, removed: "delete" });
    expect(del.files).toEqual(BASE);
    expect(del.record).toEqual(NONE);
    expect(del.removed).toEqual(["alice", "bob"]);
    const keep = mergeAccountFiles(first.files, first.record, empty, { ...OPTS, removed: "keep" });
    expect(keep.files).toEqual(first.files);
  });

  it("never touches a local entry that is not in the record, and counts it as local", () => {
    const ids = localIds(BASE, NONE);
    expect([...ids.userNames]).toEqual(["root", "svc"]);
    expect([...ids.uids]).toEqual([0, 999]);
    expect([...ids.gids]).toEqual([0, 42, 999]);
    const withAlice = { ...BASE, passwd: `${BASE.passwd}alice:x:10001:10001::/home/alice:/bin/bash\n` };
    expect(localIds(withAlice, { users: ["alice"], groups: [] }).userNames.has("alice")).toBe(false);
  });
});
