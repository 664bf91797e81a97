// sssd mode: instead of writing accounts, foyer renders sssd's configuration and runs `sssd -i` as a
// supervised program. Expressed as ordinary spec entries (files: and programs:), added right after
// validation, so plan/validate/init/run treat them like any other: shown by `foyer plan`, checked
// before any write, written atomically without following links, supervised with a readiness probe.
import type { ConfigIssue } from "../errors.js";
import { FileSchema, ProgramSchema, type Spec } from "../spec/schema.js";
import type { SssdSpec } from "./schema.js";

export const SSSD_PROGRAM = "sssd";
export const SSSD_CLEAR_CACHE = "sssd-clear-cache";

/** Debian 12's nsswitch.conf with sss where sssd-ldap's postinst puts it. */
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

/** Debian's common-session (pam-auth-update with unix, sss, mkhomedir), home dirs private (0077). */
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

/**
 * Add sssd mode's files and programs to a validated spec (in place: it is the loader's fresh
 * object). Returns issues when the spec already has entries of the same path or name.
 */
export function addSssdMode(spec: Spec): ConfigIssue[] {
  const sssd = spec.users?.sssd;
  if (!sssd?.enabled) return [];
  const issues: ConfigIssue[] = [];
  const files = [
    FileSchema.parse({ path: "/etc/sssd/sssd.conf", template: renderSssdConf(sssd.conf), mode: "0600", owner: "root:root" }),
    ...(sssd.nsswitch ? [FileSchema.parse({ path: "/etc/nsswitch.conf", content: NSSWITCH, mode: "0644", owner: "root:root" })] : []),
    ...(sssd.mkhomedir ? [FileSchema.parse({ path: "/etc/pam.d/common-session", content: COMMON_SESSION, mode: "0644", owner: "root:root" })] : []),
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
