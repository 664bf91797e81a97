// The gathering step: every read a sync needs from outside the spec (the environment, the
// directory) happens here, before planning. Each source becomes a SourceResult of raw candidates.
import type { CandidateGroup, CandidateUser, SourceResult } from "./accounts.js";
import { mapGroups, mapUsers, memberResolver, normalizeDn, values } from "./ldap-map.js";
import { fetchDirectory, DirectoryError, type FetchOptions } from "./ldap.js";
import type { EnvTestUserSource, LdapSource, StaticSource, UsersSpec } from "./schema.js";

export interface GatherDeps {
  env: Record<string, string | undefined>;
  /** a declared secret's value by name (undefined: not declared or not resolved) */
  secret: (name: string) => string | undefined;
  fetch: FetchOptions & { fetchDirectory?: typeof fetchDirectory };
}

/** Read every source, in order. A directory failure throws (DirectoryError): nothing is planned. */
export async function gatherSources(users: UsersSpec, deps: GatherDeps): Promise<SourceResult[]> {
  const out: SourceResult[] = [];
  for (const [i, src] of users.sources.entries()) {
    const label = sourceLabel(i, src.type);
    out.push(src.type === "ldap" ? { label, onInvalid: src.onInvalid, ...(await ldapCandidates(src, label, deps)) } : offlineSource(src, label, deps.env));
  }
  return out;
}

/** How a source is named in messages (and, before the space, its spec path). */
export function sourceLabel(index: number, type: string): string {
  return `users.sources[${index}] (${type})`;
}

/**
 * The candidates known without the network: the static lists and the Posit test user. LDAP sources
 * give none here (their accounts are known only once the sync fetches them); their labels are listed.
 */
export function offlineSources(users: UsersSpec, env: Record<string, string | undefined>): { sources: SourceResult[]; online: string[] } {
  const sources: SourceResult[] = [];
  const online: string[] = [];
  for (const [i, src] of users.sources.entries()) {
    const label = sourceLabel(i, src.type);
    if (src.type === "ldap") online.push(label);
    else sources.push(offlineSource(src, label, env));
  }
  return { sources, online };
}

function offlineSource(src: StaticSource | EnvTestUserSource, label: string, env: Record<string, string | undefined>): SourceResult {
  const candidates = src.type === "static" ? staticCandidates(src, label) : testUserCandidates(env, label);
  return { label, onInvalid: src.onInvalid, ...candidates };
}

/** The spec's own list; a user's `groups:` become members of the groups of that name in this source. */
export function staticCandidates(src: StaticSource, label: string): { users: CandidateUser[]; groups: CandidateGroup[] } {
  const users = src.users.map((u, i): CandidateUser => ({
    source: label,
    origin: `users[${i}]`,
    name: u.name,
    uid: u.uid,
    gid: u.gid ?? u.uid,
    gecos: u.gecos,
    home: u.home,
    shell: u.shell,
    passwordHash: u.passwordHash,
  }));
  const groups = src.groups.map((g, i): CandidateGroup => ({
    source: label,
    origin: `groups[${i}]`,
    name: g.name,
    gid: g.gid,
    members: [...g.members, ...src.users.filter((u) => u.groups.includes(g.name)).map((u) => u.name)],
  }));
  return { users, groups };
}

/**
 * The Posit images' test user (startup.sh: `useradd -m -s /bin/bash -u $UID -U $USER` + chpasswd):
 * PWB_TESTUSER* falling back to RSW_TESTUSER*, uid 10000 by default, a group of its own name and
 * id; the password is hashed (SHA-512 crypt), none leaves the account locked. No name: no user.
 */
export function testUserCandidates(env: Record<string, string | undefined>, label: string): { users: CandidateUser[]; groups: CandidateGroup[] } {
  const pick = (suffix: string) => env[`PWB_TESTUSER${suffix}`] ?? env[`RSW_TESTUSER${suffix}`];
  const name = pick("");
  if (!name) return { users: [], groups: [] };
  const uid = pick("_UID") || "10000";
  const origin = env.PWB_TESTUSER !== undefined ? "PWB_TESTUSER" : "RSW_TESTUSER";
  const password = pick("_PASSWD");
  return {
    users: [{ source: label, origin, name, uid, gid: uid, gecos: "", shell: "/bin/bash", plainPassword: password || undefined }],
    groups: [{ source: label, origin, name, gid: uid, members: [] }],
  };
}

async function ldapCandidates(src: LdapSource, label: string, deps: GatherDeps): Promise<{ users: CandidateUser[]; groups: CandidateGroup[] }> {
  const password = deps.secret(src.bindPasswordSecret);
  if (password === undefined) throw new DirectoryError(`${label}: bindPasswordSecret ${JSON.stringify(src.bindPasswordSecret)} is not a declared secret (add it under secrets:)`, false);
  const fetch = deps.fetch.fetchDirectory ?? fetchDirectory;
  const data = await fetch(src, password, { ...deps.fetch, label });
  let userEntries = data.users;
  if (data.restrictTo) {
    const found = new Set(data.restrictTo.flatMap((g) => values(g, src.attributes.groupName)));
    const missing = src.onlyMembersOf!.filter((n) => !found.has(n));
    if (missing.length) throw new DirectoryError(`${label}: onlyMembersOf names no group the directory has: ${missing.map((n) => JSON.stringify(n)).join(", ")}`, false);
    // the full entries of those groups (the restricting search asked only for their names)
    const wanted = new Set(data.restrictTo.map((g) => normalizeDn(g.dn)));
    const members = memberResolver(data.groups, data.users, src.attributes);
    const allowed = new Set(data.groups.filter((g) => wanted.has(normalizeDn(g.dn))).flatMap((g) => members(g)));
    const nameOf = (e: (typeof userEntries)[number]) => mapUsers([e], src.attributes, label)[0]!.name;
    userEntries = userEntries.filter((e) => allowed.has(nameOf(e) ?? ""));
    if (userEntries.length === 0) throw new DirectoryError(`${label}: the groups in onlyMembersOf have no member among the users the filter found`, false);
  }
  return { users: mapUsers(userEntries, src.attributes, label), groups: mapGroups(data.groups, data.users, src.attributes, label) };
}
