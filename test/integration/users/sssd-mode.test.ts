// sssd mode through `foyer run`: foyer writes sssd.conf (root:root 0600, the bind password from a
// secret), nsswitch and PAM, clears sssd's stale caches, starts `sssd -i`, waits until a user
// resolves through NSS, runs the main program (which resolves alice through that sssd), and stops
// sssd at shutdown. In a private namespace with /etc as an overlay, so the host is untouched.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOYER, PATH, writeSpec } from "./harness.js";
import { mkdtempSync } from "node:fs";
import { startSlapd, type Slapd } from "./slapd.js";

let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(() => slapd?.stop());

function sssdSpec(over: Record<string, unknown> = {}) {
  return {
    secrets: { ldap: { env: "LDAP_PW" } },
    users: {
      sssd: {
        probeUser: "alice",
        conf: {
          sssd: { services: "nss", domains: "example" },
          nss: { filter_users: "root", filter_groups: "root" },
          "domain/example": {
            id_provider: "ldap",
            ldap_schema: "rfc2307",
            ldap_uri: slapd.url,
            ldap_search_base: "dc=example,dc=org",
            ldap_default_bind_dn: "cn=svc-reader,dc=example,dc=org",
            ldap_default_authtok: "{{secret 'ldap'}}",
            ldap_id_use_start_tls: true,
            ldap_tls_reqcert: "demand",
            ldap_tls_cacert: slapd.ca,
            enumerate: false,
            cache_credentials: false,
          },
        },
        ...over,
      },
    },
  };
}

function runInNamespace(spec: unknown, cmd: string[]) {
  const specPath = writeSpec(mkdtempSync("/tmp/foyer-sssd-spec-"), spec);
  return spawnSync("unshare", ["--mount", "--pid", "--fork", "--mount-proc", "sh", join(__dirname, "sssd-mode-ns.sh"), FOYER, specPath, ...cmd], {
    encoding: "utf8",
    env: { PATH, LDAP_PW: "readerpw" },
  });
}

describe("users.sssd: foyer runs sssd", () => {
  it("getent passwd alice resolves through the sssd foyer started; foyer stops it; the conf is root:root 0600", () => {
    const r = runInNamespace(sssdSpec(), ["sh", "-c", "getent passwd alice; id alice; grep -c authtok /etc/sssd/sssd.conf; grep '^passwd' /etc/nsswitch.conf; grep mkhomedir /etc/pam.d/common-session"]);
    expect(r.stdout).toContain("alice:*:10001:10001:Alice Anderson:/home/alice:/bin/bash\n");
    // sssd orders the groups its own way
    expect(r.stdout).toMatch(/^uid=10001\(alice\) gid=10001 groups=10001,(20001\(rstudio-users\),20002\(jupyter-users\)|20002\(jupyter-users\),20001\(rstudio-users\))$/m);
    expect(r.stdout).toContain("passwd:         files sss\n");
    expect(r.stdout).toContain("session\toptional\t\t\tpam_mkhomedir.so umask=0077\n");
    expect(r.stdout).toContain("stat: 600 root:root\n");
    expect(r.stdout).toContain("foyer exit 0\n");
    expect(r.stdout).toContain("no sssd left\n");
    expect(r.stderr).toMatch(/oneshot sssd-clear-cache succeeded[\s\S]*sssd is ready[\s\S]*sssd stopped/);
    expect(r.stderr + r.stdout).not.toContain("readerpw");
  });

  it("a probe user the directory does not have: not ready, the container fails instead of starting the product", () => {
    const r = runInNamespace(sssdSpec({ probeUser: "nobody-here", readyTimeout: "1s" }), ["true"]);
    expect(r.stderr).toMatch(/sssd was not ready after 1s; .*giving up \(FATAL\) after 3 failed start\(s\)/);
    expect(r.stderr).toMatch(/cannot start main/);
    expect(r.stdout).toMatch(/foyer exit [1-9]/);
    expect(r.stdout).toContain("no sssd left\n");
  });
});
