// The `users:` section of the spec: where accounts come from (sources, merged in order) and how they
// become local accounts. Composed into src/spec/schema.ts as one optional key.
import * as z from "zod";
import { AbsolutePath, Duration } from "../spec/primitives.js";

/** What a source does with an entry the policy refuses: report and skip it, or fail the whole sync. */
const OnInvalid = z.enum(["skip", "fail"]).default("skip").meta({ description: "an entry the policy refuses: skip it (reported) or fail the sync" });

/** An LDAP attribute name (descriptor) or OID. */
const AttributeName = z.string().regex(/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/, "an LDAP attribute name");

/** A DN, checked loosely (the server is the judge): `attr=value` parts, no NUL. */
const Dn = z
  .string()
  .min(3)
  .regex(/^[A-Za-z0-9.-]+=[^\0]*$/, 'a DN like "ou=people,dc=example,dc=org"');

/** An admin's own filter text: used as written, so it must at least be one parenthesised filter. */
const FilterText = z
  .string()
  .refine((f) => /^\(.*\)$/s.test(f) && balanced(f), "an LDAP filter in parentheses, e.g. (objectClass=posixAccount)");

function balanced(f: string): boolean {
  let depth = 0;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "\\") i += 2;
    else if (f[i] === "(") depth++;
    else if (f[i] === ")" && --depth < 0) return false;
    if (depth === 0 && i < f.length - 1) return false;
  }
  return depth === 0;
}

const StaticUser = z.strictObject({
  name: z.string(),
  uid: z.number().int(),
  gid: z.number().int().optional().meta({ description: "primary group id (default: the uid)" }),
  gecos: z.string().default(""),
  home: z.string().optional().meta({ description: "default: <homeRoot>/<name>" }),
  shell: z.string().optional(),
  passwordHash: z
    .string()
    .regex(/^\$[0-9a-z]+\$[^:\n]+$/, "a crypt(3) hash like $y$… or $6$… (never a plain password)")
    .optional()
    .meta({ description: "crypt(3) hash; without one the account is locked (!)" }),
  groups: z.array(z.string()).default([]).meta({ description: "supplementary groups (defined in this sync)" }),
});

const StaticGroup = z.strictObject({
  name: z.string(),
  gid: z.number().int(),
  members: z.array(z.string()).default([]),
});

export const StaticSourceSchema = z.strictObject({
  type: z.literal("static"),
  users: z.array(StaticUser).default([]),
  groups: z.array(StaticGroup).default([]),
  onInvalid: OnInvalid,
});

export const EnvTestUserSourceSchema = z
  .strictObject({
    type: z.literal("env-test-user"),
    onInvalid: OnInvalid,
  })
  .meta({
    description:
      "the Posit images' test user: RSW_TESTUSER (or PWB_TESTUSER), RSW_TESTUSER_UID (default 10000), RSW_TESTUSER_PASSWD (hashed with SHA-512 crypt; unset: locked; Posit's public default rstudio is accepted with a warning, any other password is a secret of 8+ characters). No variable set: no user.",
  });

export const LdapSourceSchema = z
  .strictObject({
    type: z.literal("ldap"),
    urls: z
      .array(z.string().regex(/^ldaps?:\/\/[^/\s]+\/?$/, "ldap://host[:port] or ldaps://host[:port]"))
      .min(1)
      .meta({ description: "tried in order (failover)" }),
    bindDN: Dn,
    bindPasswordSecret: z.string().meta({ description: "name of a declared secret holding the bind password (an empty one is refused)" }),
    startTLS: z.boolean().default(true).meta({ description: "upgrade ldap:// URLs with StartTLS (ldaps:// is TLS from the start)" }),
    allowPlaintext: z.boolean().default(false).meta({ description: "permit ldap:// without StartTLS (the bind password crosses the network in clear)" }),
    caFile: AbsolutePath.optional().meta({ description: "PEM CA bundle that signs the server certificate (default: the system's)" }),
    verify: z.boolean().default(true).meta({ description: "verify the server certificate and host name" }),
    users: z
      .strictObject({
        base: z.array(Dn).min(1),
        filter: FilterText.default("(objectClass=posixAccount)"),
        scope: z.enum(["one", "sub"]).default("sub"),
      })
      .meta({ description: "where users are: base DNs and the admin's filter (used as written)" }),
    groups: z
      .strictObject({
        base: z.array(Dn).min(1),
        filter: FilterText.default("(objectClass=posixGroup)"),
        scope: z.enum(["one", "sub"]).default("sub"),
      })
      .optional(),
    onlyMembersOf: z
      .array(z.string().min(1))
      .optional()
      .meta({ description: "only users in these groups (literal names, nested membership counts); escaped (RFC 4515) in the filter" }),
    attributes: z
      .strictObject({
        name: AttributeName.default("uid"),
        uid: AttributeName.default("uidNumber"),
        gid: AttributeName.default("gidNumber"),
        home: AttributeName.default("homeDirectory"),
        shell: AttributeName.default("loginShell"),
        gecos: AttributeName.default("gecos"),
        expire: AttributeName.default("shadowExpire"),
        groupName: AttributeName.default("cn"),
        groupGid: AttributeName.default("gidNumber"),
        memberUid: AttributeName.default("memberUid"),
        member: AttributeName.default("member"),
      })
      .prefault({}),
    pageSize: z.number().int().min(1).max(100_000).default(500),
    sizeLimit: z.number().int().min(0).default(0).meta({ description: "more entries than this in one search is an error (0: no limit of foyer's own; the server's limit, when hit, is always an error)" }),
    timeLimit: Duration.default(30_000).meta({ description: "per search, asked of the server and enforced by the client" }),
    connectTimeout: Duration.default(5_000),
    retries: z.number().int().min(0).max(20).default(3).meta({ description: "attempts after a failed one (unreachable, busy, timed out)" }),
    backoff: z.strictObject({ initial: Duration.default(1_000), max: Duration.default(30_000) }).prefault({}),
    onInvalid: OnInvalid,
  })
  .refine((s) => s.allowPlaintext || s.startTLS || s.urls.every((u) => u.startsWith("ldaps://")), {
    message: "ldap:// without StartTLS sends the bind password in clear: set startTLS: true, use ldaps://, or allowPlaintext: true",
    path: ["startTLS"],
  });

export const UserSourceSchema = z.discriminatedUnion("type", [StaticSourceSchema, EnvTestUserSourceSchema, LdapSourceSchema]);

/** An sssd.conf value: one line (sssd would read a newline as the next key). */
const SssdValue = z.union([z.string().regex(/^[^\n\r\0]*$/, "one line, no newline"), z.number(), z.boolean()]);

export const SssdSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    conf: z
      .union([z.string(), z.record(z.string().regex(/^[A-Za-z0-9_/.@-]+$/, "an sssd.conf section name like sssd, nss, domain/example"), z.record(z.string().regex(/^[a-z0-9_]+$/, "an sssd option name"), SssdValue))])
      .meta({ description: "sssd.conf: sections of options (or the text); a Handlebars template, so ldap_default_authtok can be {{secret 'name'}}" }),
    probeUser: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.@-]*$/, "a user name").meta({ description: "sssd is ready when this user resolves through NSS" }),
    readyTimeout: Duration.default(60_000),
    clearCache: z.boolean().default(true).meta({ description: "empty /var/lib/sss/db and mc before sssd starts (it answers from stale caches otherwise)" }),
    nsswitch: z.boolean().default(true).meta({ description: "write /etc/nsswitch.conf with sss for passwd, group, shadow, services, netgroup" }),
    mkhomedir: z.boolean().default(true).meta({ description: "write /etc/pam.d/common-session with pam_sss and pam_mkhomedir (umask 0077)" }),
    command: z.array(z.string()).min(1).default(["/usr/sbin/sssd", "-i", "--logger=stderr"]),
  })
  .meta({ description: "run sssd under foyer instead of writing accounts: its config (root:root 0600), NSS and PAM, and the sssd program itself" });

export const RootlessSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/, "a login name").meta({ description: "the name the current uid gets (e.g. jovyan)" }),
    home: AbsolutePath.optional().meta({ description: "default: <homeRoot>/<name>" }),
    shell: AbsolutePath.default("/bin/bash"),
    gecos: z.string().regex(/^[^:\n\0]*$/, "no ':' or newline").default(""),
  })
  .meta({
    description:
      "rootless containers (an arbitrary uid, OpenShift-style): give the current uid a passwd entry when /etc/passwd is writable, as docker-stacks does; otherwise say what to do",
  });

export const UsersSchema = z
  .strictObject({
    sources: z.array(UserSourceSchema).default([]),
    homeRoot: AbsolutePath.default("/home").meta({ description: "every home must be strictly below it" }),
    defaultShell: AbsolutePath.default("/bin/bash"),
    minId: z.number().int().min(1).default(1000).meta({ description: "uids and gids below this belong to the system and are refused" }),
    removed: z
      .enum(["lock", "delete", "keep"])
      .default("lock")
      .meta({ description: "accounts foyer created that no source lists any more: lock (password and expiry), delete, or keep" }),
    record: AbsolutePath.default("/var/lib/foyer/users.json").meta({ description: "the names foyer created (only those are ever changed or removed)" }),
    sssd: SssdSchema.optional(),
    rootless: RootlessSchema.optional(),
  })
  .meta({ description: "user provisioning: sources merged in order into /etc/passwd, group, shadow, gshadow" });

export type UsersSpec = z.infer<typeof UsersSchema>;
export type UserSource = z.infer<typeof UserSourceSchema>;
export type StaticSource = z.infer<typeof StaticSourceSchema>;
export type LdapSource = z.infer<typeof LdapSourceSchema>;
export type EnvTestUserSource = z.infer<typeof EnvTestUserSourceSchema>;
export type SssdSpec = z.infer<typeof SssdSchema>;
export type RootlessSpec = z.infer<typeof RootlessSchema>;
