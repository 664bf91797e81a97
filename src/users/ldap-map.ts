// LDAP entries → candidate users and groups. Pure: no network here (src/users/ldap.ts searches).
// Members come from both memberUid (RFC 2307: names) and member (RFC 2307bis: DNs); a member DN
// that is a group brings that group's members (nested groups), each group visited once per walk, so
// a cycle is cut instead of looping.
import type { CandidateGroup, CandidateUser } from "./accounts.js";
import type { LdapSource } from "./schema.js";

/** An entry as ldapts returns it (attribute values as strings or lists of strings). */
export interface LdapEntry {
  dn: string;
  [attribute: string]: unknown;
}

/**
 * RFC 4515 escaping of a value placed inside a filter: `*`, `(`, `)`, `\` and NUL as \XX, so a
 * configured name like `admins)(uid=*` matches only a group literally called that.
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** `(&ADMIN_FILTER(|(attr=v1)(attr=v2)…))`: the admin's text as written, every value escaped. */
export function filterForNames(adminFilter: string, attribute: string, names: readonly string[]): string {
  const any = names.map((n) => `(${attribute}=${escapeFilterValue(n)})`).join("");
  return `(&${adminFilter}(|${any}))`;
}

/** A DN compared loosely: case and spaces around separators do not matter (enough for member DNs). */
export function normalizeDn(dn: string): string {
  return dn
    .trim()
    .replace(/\s*([,=+])\s*/g, "$1")
    .toLowerCase();
}

type Attrs = LdapSource["attributes"];

/** Users from their entries; an entry whose single-valued attribute has several values carries a problem. */
export function mapUsers(entries: readonly LdapEntry[], attrs: Attrs, source: string): CandidateUser[] {
  return entries.map((e) => {
    const problems: string[] = [];
    const one = (attr: string) => single(e, attr, problems);
    const user: CandidateUser = {
      source,
      origin: e.dn,
      name: one(attrs.name),
      uid: one(attrs.uid),
      gid: one(attrs.gid),
      // as sssd: without gecos, the common name
      gecos: one(attrs.gecos) ?? values(e, "cn")[0],
      home: one(attrs.home),
      shell: one(attrs.shell),
      expire: one(attrs.expire),
    };
    if (problems.length) user.problem = problems.join("; ");
    return user;
  });
}

/** Groups with members resolved (memberUid names, member DNs of users, nested groups' members). */
export function mapGroups(groupEntries: readonly LdapEntry[], userEntries: readonly LdapEntry[], attrs: Attrs, source: string): CandidateGroup[] {
  const resolver = memberResolver(groupEntries, userEntries, attrs);
  return groupEntries.map((e) => {
    const problems: string[] = [];
    const group: CandidateGroup = {
      source,
      origin: e.dn,
      name: single(e, attrs.groupName, problems),
      gid: single(e, attrs.groupGid, problems),
      members: resolver(e),
    };
    if (problems.length) group.problem = problems.join("; ");
    return group;
  });
}

/** A function from a group entry to its member names, nested groups included, cycles cut. */
export function memberResolver(groupEntries: readonly LdapEntry[], userEntries: readonly LdapEntry[], attrs: Attrs): (group: LdapEntry) => string[] {
  const userByDn = new Map<string, string>();
  for (const u of userEntries) {
    const name = values(u, attrs.name)[0];
    if (name !== undefined) userByDn.set(normalizeDn(u.dn), name);
  }
  const groupByDn = new Map(groupEntries.map((g) => [normalizeDn(g.dn), g]));
  const walk = (g: LdapEntry, seen: Set<string>, out: string[]) => {
    seen.add(normalizeDn(g.dn));
    for (const name of values(g, attrs.memberUid)) out.push(name);
    for (const dn of values(g, attrs.member)) {
      const key = normalizeDn(dn);
      const user = userByDn.get(key);
      if (user !== undefined) out.push(user);
      const nested = groupByDn.get(key);
      if (nested && !seen.has(key)) walk(nested, seen, out);
    }
  };
  return (group) => {
    const out: string[] = [];
    walk(group, new Set(), out);
    return [...new Set(out)];
  };
}

/** Every value of `attr` (attribute names are case-insensitive in LDAP). */
export function values(e: LdapEntry, attr: string): string[] {
  const key = Object.keys(e).find((k) => k.toLowerCase() === attr.toLowerCase());
  const v = key === undefined ? undefined : e[key];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? x.toString("utf8") : String(x)));
}

function single(e: LdapEntry, attr: string, problems: string[]): string | undefined {
  const v = values(e, attr);
  if (v.length > 1) problems.push(`${attr} has ${v.length} values (${v.map((x) => JSON.stringify(x)).join(", ")}): which one is meant is not clear`);
  return v[0];
}
