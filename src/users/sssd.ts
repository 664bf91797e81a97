// sssd mode: instead of writing accounts, foyer renders sssd's configuration and runs `sssd -i` as a
// supervised program. Expressed as ordinary spec entries (files: and programs:), added right after
// validation, so plan/validate/init/run treat them like any other: shown by `foyer plan`, checked
// before any write, written atomically without following links, supervised with a readiness probe.
import type { ConfigIssue } from "../errors.js";
import { FileSchema, ProgramSchema, type Spec } from "../spec/schema.js";
import type { SssdSpec } from "./schema.js";
import type { SssdReads } from "./sssd-reads.js";

export const SSSD_PROGRAM = "sssd";
export const SSSD_CLEAR_CACHE = "sssd-clear-cache";

/** Debian 12's nsswitch.conf with sss where sssd-ldap's postinst puts it (for an image without one). */
const NSSWITCH = `# written by foyer (users.sssd.nsswitch)
passwd:         files sss
group:          files sss
shadow:         files sss
gshadow:        files

hosts:          files dns
networks:       files

protocols:      db files
services:       db files sss
ethers:         db files
rpc:            db files

netgroup:       nis sss
`;

/** Debian's common-session (pam-auth-update with unix, sss, mkhomedir), home dirs private (0077), for an image without one. */
const COMMON_SESSION = `# written by foyer (users.sssd.mkhomedir)
session	[default=1]			pam_permit.so
session	requisite			pam_deny.so
session	required			pam_permit.so
session	required			pam_unix.so
session	optional			pam_sss.so
session	optional			pam_mkhomedir.so umask=0077
`;

/** sssd.conf text from sections of options (or the text as given). */
export function renderSssdConf(conf: SssdSpec["conf"]): string {
  if (typeof conf === "string") return conf.endsWith("\n") ? conf : `${conf}\n`;
  return Object.entries(conf)
    .map(([section, options]) => `[${section}]\n${Object.entries(options).map(([k, v]) => `${k} = ${String(v)}\n`).join("")}`)
    .join("\n");
}

/** The databases libnss-sss's postinst gives `sss` (Debian), in nsswitch.conf's order. */
const SSS_DATABASES = ["passwd", "group", "shadow", "services", "netgroup"] as const;

/**
 * The image's nsswitch.conf with `sss` added as the last source of each database sssd serves;
 * every other line (comments, hosts, an `sss` already there) kept as it is. A database the file
 * does not name gets `files sss`. Without a file: Debian's, with sss. Idempotent.
 */
export function mergeNsswitch(existing: string | undefined): string {
  if (existing === undefined) return NSSWITCH;
  const seen = new Set<string>();
  const lines = splitLines(existing).map((line) => {
    const m = /^(\s*)([a-z_]+)(\s*:\s*)([^#]*?)(\s*)(#.*)?$/.exec(line);
    const db = m?.[2];
    if (!m || !db || !(SSS_DATABASES as readonly string[]).includes(db)) return line;
    seen.add(db);
    if (m[4]!.split(/\s+/).includes("sss")) return line;
    return `${m[1]}${db}${m[3]}${m[4] ? `${m[4]} sss` : "sss"}${m[5] ?? ""}${m[6] ?? ""}`;
  });
  for (const db of SSS_DATABASES) if (!seen.has(db)) lines.push(`${`${db}:`.padEnd(16)}files sss`);
  return joinLines(lines);
}

const SSS_SESSION = "session\toptional\t\t\tpam_sss.so";
const MKHOMEDIR_SESSION = "session\toptional\t\t\tpam_mkhomedir.so umask=0077";

/**
 * The image's common-session with a pam_sss session line (after pam_unix's) and pam_mkhomedir
 * (umask=0077, homes private) unless it has them; a pam_mkhomedir line without a umask gets
 * umask=0077. Other lines kept in place; new ones go before pam-auth-update's end marker.
 * Without a file: Debian's with both. Idempotent.
 */
export function mergeCommonSession(existing: string | undefined): string {
  if (existing === undefined) return COMMON_SESSION;
  const isSession = (l: string, mod: string) => new RegExp(`^\\s*-?session\\s+.*\\b${mod.replace(".", "\\.")}\\b`).test(l);
  let lines = splitLines(existing).map((l) => (isSession(l, "pam_mkhomedir.so") && !/\bumask=/.test(l) ? `${l.replace(/\s+$/, "")} umask=0077` : l));
  const end = lines.findIndex((l) => /^#\s*end of pam-auth-update config/.test(l));
  const insertAt = (i: number, line: string) => (lines = [...lines.slice(0, i), line, ...lines.slice(i)]);
  if (!lines.some((l) => isSession(l, "pam_sss.so"))) {
    const unix = lines.map((l, i) => (isSession(l, "pam_unix.so") ? i : -1)).filter((i) => i >= 0).pop();
    insertAt(unix !== undefined ? unix + 1 : end >= 0 ? end : lines.length, SSS_SESSION);
  }
  if (!lines.some((l) => isSession(l, "pam_mkhomedir.so"))) {
    const at = lines.findIndex((l) => /^#\s*end of pam-auth-update config/.test(l));
    insertAt(at >= 0 ? at : lines.length, MKHOMEDIR_SESSION);
  }
  return joinLines(lines);
}

function splitLines(text: string): string[] {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

function joinLines(lines: string[]): string {
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** Where snippets go: sssd merges every *.conf of this directory into sssd.conf. */
export const SSSD_CONF_D = "/etc/sssd/conf.d";

/**
 * Add sssd mode's files and programs to a validated spec (in place: it is the loader's fresh
 * object), with what `reads` found (snippets, the image's nsswitch and PAM files: the loader's
 * gathering step). Returns issues (nothing is added then): entries of the same path or name, a
 * snippet sssd would refuse (each names its file).
 */
export function addSssdMode(spec: Spec, reads: SssdReads): ConfigIssue[] {
  const sssd = spec.users?.sssd;
  if (!sssd?.enabled) return [];
  const issues: ConfigIssue[] = [];
  const snippetFiles = sssd.snippets.flatMap((path, i) => {
    const r = reads.snippet(path);
    if (!r.ok) {
      issues.push({ path: `users.sssd.snippets[${i}]`, message: `${path} ${r.error}` });
      return [];
    }
    const name = path.slice(path.lastIndexOf("/") + 1);
    if (sssd.snippets.findIndex((p) => p.endsWith(`/${name}`)) !== i) issues.push({ path: `users.sssd.snippets[${i}]`, message: `${path}: another snippet is named ${name} too (both would be ${SSSD_CONF_D}/${name})` });
    // the whole text may hold a bind password in plain text: hidden in plans, 0600 as sssd wants
    return [FileSchema.parse({ path: `${SSSD_CONF_D}/${name}`, content: r.text, mode: "0600", owner: "root:root", hidden: true })];
  });
  const files = [
    FileSchema.parse({ path: "/etc/sssd/sssd.conf", template: renderSssdConf(sssd.conf), mode: "0600", owner: "root:root", hidden: true }),
    ...snippetFiles,
    ...(sssd.nsswitch ? [FileSchema.parse({ path: "/etc/nsswitch.conf", content: mergeNsswitch(reads.existing("/etc/nsswitch.conf")), mode: "0644", owner: "root:root" })] : []),
    ...(sssd.mkhomedir
      ? [FileSchema.parse({ path: "/etc/pam.d/common-session", content: mergeCommonSession(reads.existing("/etc/pam.d/common-session")), mode: "0644", owner: "root:root" })]
      : []),
  ];
  for (const f of files) {
    if (spec.files.some((mine) => mine.path === f.path)) issues.push({ path: "users.sssd", message: `sssd mode writes ${f.path}, which files: also lists: keep one` });
  }
  const programs = {
    ...(sssd.clearCache
      ? { [SSSD_CLEAR_CACHE]: ProgramSchema.parse({ command: ["/bin/sh", "-c", "rm -f /var/lib/sss/db/* /var/lib/sss/mc/*"], oneshot: true, restart: "never" }) }
      : {}),
    [SSSD_PROGRAM]: ProgramSchema.parse({
      command: sssd.command,
      after: sssd.clearCache ? [SSSD_CLEAR_CACHE] : [],
      ready: { exec: ["getent", "passwd", sssd.probeUser], timeout: sssd.readyTimeout / 1000, interval: 0.25 },
      restart: "always",
      // each failed start already waited readyTimeout: three are enough to call the directory down
      backoff: { initial: 1, max: 10, retries: 2 },
    }),
  };
  for (const name of Object.keys(programs)) {
    if (spec.programs[name]) issues.push({ path: `programs.${name}`, message: `sssd mode runs a program named ${name}: rename yours, or set users.sssd.enabled: false` });
  }
  if (issues.length) return issues;
  spec.files.push(...files);
  Object.assign(spec.programs, programs);
  return [];
}
