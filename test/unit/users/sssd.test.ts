// sssd mode as spec entries: the rendered conf, the programs and their order, conflicts reported.
import { describe, expect, it } from "vitest";
import { SpecSchema } from "../../../src/spec/schema.js";
import { addSssdMode, mergeCommonSession, mergeNsswitch, renderSssdConf } from "../../../src/users/sssd.js";
import type { SssdReads } from "../../../src/users/sssd-reads.js";

/** An image without nsswitch.conf or common-session, and snippets by path. */
const reads = (snippets: Record<string, string | { error: string }> = {}, existing: Record<string, string> = {}): SssdReads => ({
  snippet: (p) => {
    const s = snippets[p];
    return s === undefined ? { ok: false, error: "does not exist" } : typeof s === "string" ? { ok: true, text: s } : { ok: false, error: s.error };
  },
  existing: (p) => existing[p],
});

const conf = { sssd: { services: "nss, pam", domains: "example" }, "domain/example": { id_provider: "ldap", enumerate: false, ldap_default_authtok: "{{secret 'ldap'}}" } };

describe("sssd mode", () => {
  it("renders sections of options as sssd.conf", () => {
    expect(renderSssdConf(conf)).toBe("[sssd]\nservices = nss, pam\ndomains = example\n\n[domain/example]\nid_provider = ldap\nenumerate = false\nldap_default_authtok = {{secret 'ldap'}}\n");
  });

  it("adds sssd.conf (0600 root:root, a template), nsswitch, PAM, a cache-clearing oneshot and sssd after it, ready when the probe user resolves", () => {
    const spec = SpecSchema.parse({ users: { sssd: { conf, probeUser: "alice" } } });
    expect(addSssdMode(spec, reads())).toEqual([]);
    expect(spec.files.map((f) => [f.path, f.mode?.toString(8), f.owner, f.template !== undefined])).toEqual([
      ["/etc/sssd/sssd.conf", "600", "root:root", true], // hidden: a plain-text password in conf is not shown by plan
      ["/etc/nsswitch.conf", "644", "root:root", false],
      ["/etc/pam.d/common-session", "644", "root:root", false],
    ]);
    expect(spec.programs["sssd-clear-cache"]).toMatchObject({ oneshot: true });
    expect(spec.programs.sssd).toMatchObject({ command: ["/usr/sbin/sssd", "-i", "--logger=stderr"], after: ["sssd-clear-cache"], ready: { exec: ["getent", "passwd", "alice"], timeout: 60_000 } });
  });

  it("reports a program or file of the same name instead of replacing it; nothing without users.sssd", () => {
    const spec = SpecSchema.parse({ users: { sssd: { conf, probeUser: "alice", clearCache: false, nsswitch: false, mkhomedir: false } }, programs: { sssd: { command: ["x"] } }, files: [{ path: "/etc/sssd/sssd.conf", content: "" }] });
    expect(addSssdMode(spec, reads()).map((i) => i.path)).toEqual(["users.sssd", "programs.sssd"]);
    expect(spec.programs.sssd!.command).toEqual(["x"]);
    const none = SpecSchema.parse({});
    expect(addSssdMode(none, reads())).toEqual([]);
    expect(none.programs).toEqual({});
  });

  it("refuses an option value with a newline (it would inject the next option)", () => {
    expect(SpecSchema.safeParse({ users: { sssd: { conf: { sssd: { domains: "a\nid_provider = proxy" } }, probeUser: "alice" } } }).success).toBe(false);
  });
});

describe("sssd mode: snippets and the image's files", () => {
  it("a snippet becomes a hidden root:root 0600 file in /etc/sssd/conf.d; a refused one is an issue naming the file, and nothing is added", () => {
    const spec = SpecSchema.parse({ users: { sssd: { conf, probeUser: "alice", snippets: ["/run/secrets/sssd/bind.conf"] } } });
    expect(addSssdMode(spec, reads({ "/run/secrets/sssd/bind.conf": "[domain/example]\nldap_default_authtok = pa$$word-plain\n" }))).toEqual([]);
    expect(spec.files.find((f) => f.path === "/etc/sssd/conf.d/bind.conf")).toMatchObject({ content: "[domain/example]\nldap_default_authtok = pa$$word-plain\n", mode: 0o600, owner: "root:root", hidden: true });

    const bad = SpecSchema.parse({ users: { sssd: { conf, probeUser: "alice", snippets: ["/etc/image/a.conf", "/etc/image/b.conf"] } } });
    const issues = addSssdMode(bad, reads({ "/etc/image/a.conf": { error: "has mode 0644: sssd refuses config files that group or others may read or write (chmod 0600)" }, "/etc/image/b.conf": "[nss]\n" }));
    expect(issues).toEqual([{ path: "users.sssd.snippets[0]", message: "/etc/image/a.conf has mode 0644: sssd refuses config files that group or others may read or write (chmod 0600)" }]);
    expect(bad.files).toEqual([]);
    expect(bad.programs).toEqual({});
  });

  it("two snippets of the same name, and a name that is not *.conf, are refused", () => {
    const spec = SpecSchema.parse({ users: { sssd: { conf, probeUser: "alice", snippets: ["/a/x.conf", "/b/x.conf"] } } });
    expect(addSssdMode(spec, reads({ "/a/x.conf": "", "/b/x.conf": "" })).map((i) => i.message)).toEqual(["/b/x.conf: another snippet is named x.conf too (both would be /etc/sssd/conf.d/x.conf)"]);
    expect(SpecSchema.safeParse({ users: { sssd: { conf, probeUser: "alice", snippets: ["/a/x.ini"] } } }).success).toBe(false);
  });

  it("nsswitch.conf: sss added last to the databases sssd serves, everything else kept; idempotent", () => {
    const image = "# image's own\npasswd:         files systemd\ngroup:          files systemd # groups\nshadow:         files sss\ngshadow:        files\n\nhosts:          files mdns4_minimal [NOTFOUND=return] dns\n";
    const merged = mergeNsswitch(image);
    expect(merged).toBe(
      "# image's own\npasswd:         files systemd sss\ngroup:          files systemd sss # groups\nshadow:         files sss\ngshadow:        files\n\nhosts:          files mdns4_minimal [NOTFOUND=return] dns\nservices:       files sss\nnetgroup:       files sss\n",
    );
    expect(mergeNsswitch(merged)).toBe(merged);
    expect(mergeNsswitch(undefined)).toContain("passwd:         files sss\n");
  });

  it("common-session: pam_sss after pam_unix, pam_mkhomedir umask=0077 before pam-auth-update's end marker, other lines kept; idempotent", () => {
    const image = [
      "# /etc/pam.d/common-session",
      "session\t[default=1]\t\t\tpam_permit.so",
      "session\trequisite\t\t\tpam_deny.so",
      "session\trequired\t\t\tpam_permit.so",
      "session optional\t\t\tpam_umask.so",
      "session\trequired\tpam_unix.so ",
      "session\toptional\t\t\tpam_systemd.so",
      "# end of pam-auth-update config",
      "",
    ].join("\n");
    const merged = mergeCommonSession(image);
    expect(merged).toBe(
      [
        "# /etc/pam.d/common-session",
        "session\t[default=1]\t\t\tpam_permit.so",
        "session\trequisite\t\t\tpam_deny.so",
        "session\trequired\t\t\tpam_permit.so",
        "session optional\t\t\tpam_umask.so",
        "session\trequired\tpam_unix.so ",
        "session\toptional\t\t\tpam_sss.so",
        "session\toptional\t\t\tpam_systemd.so",
        "session\toptional\t\t\tpam_mkhomedir.so umask=0077",
        "# end of pam-auth-update config",
        "",
      ].join("\n"),
    );
    expect(mergeCommonSession(merged)).toBe(merged);
    // the image's own pam_mkhomedir line gets a private umask only when it sets none
    expect(mergeCommonSession("session optional pam_sss.so\nsession optional pam_mkhomedir.so skel=/etc/skel\n")).toBe("session optional pam_sss.so\nsession optional pam_mkhomedir.so skel=/etc/skel umask=0077\n");
    expect(mergeCommonSession("session optional pam_sss.so\nsession optional pam_mkhomedir.so umask=0027\n")).toBe("session optional pam_sss.so\nsession optional pam_mkhomedir.so umask=0027\n");
  });

  it("the merged files are what addSssdMode writes, from the image's", () => {
    const spec = SpecSchema.parse({ users: { sssd: { conf, probeUser: "alice" } } });
    addSssdMode(spec, reads({}, { "/etc/nsswitch.conf": "passwd: compat\n", "/etc/pam.d/common-session": "session required pam_unix.so\n" }));
    expect(spec.files.find((f) => f.path === "/etc/nsswitch.conf")?.content).toBe("passwd: compat sss\ngroup:          files sss\nshadow:         files sss\nservices:       files sss\nnetgroup:       files sss\n");
    expect(spec.files.find((f) => f.path === "/etc/pam.d/common-session")?.content).toBe("session required pam_unix.so\nsession\toptional\t\t\tpam_sss.so\nsession\toptional\t\t\tpam_mkhomedir.so umask=0077\n");
  });
});
