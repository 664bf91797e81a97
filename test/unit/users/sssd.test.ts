// sssd mode as spec entries: the rendered conf, the programs and their order, conflicts reported.
import { describe, expect, it } from "vitest";
import { SpecSchema } from "../../../src/spec/schema.js";
import { addSssdMode, renderSssdConf } from "../../../src/users/sssd.js";

const conf = { sssd: { services: "nss, pam", domains: "example" }, "domain/example": { id_provider: "ldap", enumerate: false, ldap_default_authtok: "{{secret 'ldap'}}" } };

describe("sssd mode", () => {
  it("renders sections of options as sssd.conf", () => {
    expect(renderSssdConf(conf)).toBe("[sssd]\nservices = nss, pam\ndomains = example\n\n[domain/example]\nid_provider = ldap\nenumerate = false\nldap_default_authtok = {{secret 'ldap'}}\n");
  });

  it("adds sssd.conf (0600 root:root, a template), nsswitch, PAM, a cache-clearing oneshot and sssd after it, ready when the probe user resolves", () => {
    const spec = SpecSchema.parse({ users: { sssd: { conf, probeUser: "alice" } } });
    expect(addSssdMode(spec)).toEqual([]);
    expect(spec.files.map((f) => [f.path, f.mode?.toString(8), f.owner, f.template !== undefined])).toEqual([
      ["/etc/sssd/sssd.conf", "600", "root:root", true],
      ["/etc/nsswitch.conf", "644", "root:root", false],
      ["/etc/pam.d/common-session", "644", "root:root", false],
    ]);
    expect(spec.programs["sssd-clear-cache"]).toMatchObject({ oneshot: true });
    expect(spec.programs.sssd).toMatchObject({ command: ["/usr/sbin/sssd", "-i", "--logger=stderr"], after: ["sssd-clear-cache"], ready: { exec: ["getent", "passwd", "alice"], timeout: 60_000 } });
  });

  it("reports a program or file of the same name instead of replacing it; nothing without users.sssd", () => {
    const spec = SpecSchema.parse({ users: { sssd: { conf, probeUser: "alice", clearCache: false, nsswitch: false, mkhomedir: false } }, programs: { sssd: { command: ["x"] } }, files: [{ path: "/etc/sssd/sssd.conf", content: "" }] });
    expect(addSssdMode(spec).map((i) => i.path)).toEqual(["users.sssd", "programs.sssd"]);
    expect(spec.programs.sssd!.command).toEqual(["x"]);
    const none = SpecSchema.parse({});
    expect(addSssdMode(none)).toEqual([]);
    expect(none.programs).toEqual({});
  });

  it("refuses an option value with a newline (it would inject the next option)", () => {
    expect(SpecSchema.safeParse({ users: { sssd: { conf: { sssd: { domains: "a\nid_provider = proxy" } }, probeUser: "alice" } } }).success).toBe(false);
  });
});
