// The same directory through a real sssd and through foyer's files: every user foyer accepts has the
// same passwd entry (sssd shows '*' where the files say 'x'), and every group the same members: the
// memberUid groups against sssd in rfc2307 mode, the member-DN groups (one nested) in rfc2307bis mode.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRoot, PATH, sync, withAccountFiles } from "./harness.js";
import { startSlapd, type Slapd } from "./slapd.js";

let slapd: Slapd;
let root: string;
beforeAll(async () => {
  slapd = await startSlapd([join(__dirname, "testkit/seed-bis.ldif")]);
  root = makeRoot();
  const r = sync(root, {
    secrets: { ldap: { env: "LDAP_PW" } },
    users: {
      sources: [
        { type: "ldap", urls: [slapd.url], bindDN: "cn=svc-reader,dc=example,dc=org", bindPasswordSecret: "ldap", caFile: slapd.ca, users: { base: ["ou=people,dc=example,dc=org"] }, groups: { base: ["ou=groups,dc=example,dc=org"] } },
      ],
    },
  });
  if (r.status !== 0) throw new Error(r.stderr);
});
afterAll(() => slapd?.stop());

const USERS = ["alice", "bob", "carol", "dave", "eve"];

function throughSssd(schema: "rfc2307" | "rfc2307bis", queries: string[]): string[] {
  const r = spawnSync("unshare", ["--mount", "--pid", "--fork", "--mount-proc", "sh", join(__dirname, "sssd-ns.sh"), String(slapd.port), slapd.ca, schema, ...queries], { encoding: "utf8", env: { PATH } });
  if (r.status !== 0) throw new Error(`sssd: ${r.stderr}`);
  return r.stdout.trim().split("\n");
}
function throughFoyer(queries: string[]): string[] {
  return withAccountFiles(root, queries.join("; ")).stdout.trim().split("\n");
}
/**
 * A group line with its members as a sorted set: sssd lists nested members in its own order, and
 * (2.8.2, measured here) lists alice twice in bis-outer; foyer lists each member once.
 */
const sortedMembers = (line: string) => line.replace(/:([^:]*)$/, (_m, members: string) => `:${[...new Set(members.split(","))].sort().join(",")}`);

describe("foyer's files and a real sssd agree on the same directory", () => {
  it("passwd entries of every user", () => {
    const q = USERS.map((u) => `getent passwd ${u}`);
    const viaSssd = throughSssd("rfc2307", q);
    expect(viaSssd).toHaveLength(5);
    expect(throughFoyer(q)).toEqual(viaSssd.map((l) => l.replace(/^([^:]*):\*:/, "$1:x:")));
  });

  it("memberUid groups (rfc2307) and member-DN groups with nesting (rfc2307bis)", () => {
    const plain = ["rstudio-users", "jupyter-users", "admins"].map((g) => `getent group ${g}`);
    expect(throughFoyer(plain)).toEqual(throughSssd("rfc2307", plain).map((l) => l.replace(/^([^:]*):\*:/, "$1:x:")));
    const bis = ["bis-inner", "bis-outer"].map((g) => `getent group ${g}`);
    const viaSssd = throughSssd("rfc2307bis", bis).map((l) => sortedMembers(l.replace(/^([^:]*):\*:/, "$1:x:")));
    expect(viaSssd).toEqual(["bis-inner:x:20010:alice,bob", "bis-outer:x:20011:alice,bob,carol"]);
    expect(throughFoyer(bis).map(sortedMembers)).toEqual(viaSssd);
  });
});
