// sssd mode through `foyer run`: foyer writes sssd.conf (root:root 0600, the bind password from a
// secret), nsswitch and PAM, clears sssd's stale caches, starts `sssd -i`, waits until a user
// resolves through NSS, runs the main program (which resolves alice through that sssd), and stops
// sssd at shutdown. In a private namespace with /etc as an overlay, so the host is untouched.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOYER, PATH, writeSpec } from "./harness.js";
import { chmodSync, chownSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
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

function runInNamespace(spec: unknown, cmd: string[], imageSetup = "") {
  const specPath = writeSpec(mkdtempSync("/tmp/foyer-sssd-spec-"), spec);
  return spawnSync("unshare", ["--mount", "--pid", "--fork", "--mount-proc", "sh", join(__dirname, "sssd-mode-ns.sh"), FOYER, specPath, ...cmd], {
    encoding: "utf8",
    env: { PATH, LDAP_PW: "readerpw", IMAGE_SETUP: imageSetup },
  });
}

/** A snippet file as the spec's author would place it (root-owned, 0600 unless said otherwise). */
function snippet(text: string, mode = 0o600, uid = 0) {
  const dir = mkdtempSync("/tmp/foyer-sssd-snippet-");
  chmodSync(dir, 0o755);
  const path = join(dir, "bind.conf");
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  chownSync(path, uid, 0);
  return path;
}

// an image whose nsswitch.conf and common-session do not name sss yet, with lines of its own
const IMAGE_SETUP = `printf 'passwd:         files systemd\\ngroup:          files\\nhosts:          files mdns4_minimal dns\\n' > /etc/nsswitch.conf
printf '# image PAM\\nsession\\trequired\\tpam_unix.so\\nsession\\toptional\\tpam_systemd.so\\n' > /etc/pam.d/common-session`;

describe("users.sssd: foyer runs sssd", () => {
  it("getent passwd alice resolves through the sssd foyer started; foyer stops it; the conf is root:root 0600", () => {
    const r = runInNamespace(sssdSpec(), ["sh", "-c", "getent passwd alice; id alice; grep -c authtok /etc/sssd/sssd.conf; grep '^passwd' /etc/nsswitch.conf; grep mkhomedir /etc/pam.d/common-session"]);
    expect(r.stdout).toContain("alice:*:10001:10001:Alice Anderson:/home/alice:/bin/bash\n");
    // sssd orders the groups its own way
    expect(r.stdout).toMatch(/^uid=10001\(alice\) gid=10001 groups=10001,(20001\(rstudio-users\),20002\(jupyter-users\)|20002\(jupyter-users\),20001\(rstudio-users\))$/m);
    expect(r.stdout).toMatch(/^passwd:.* sss$/m); // the host's own line, with sss (added unless there)
    expect(r.stdout).toMatch(/pam_mkhomedir\.so .*umask=0077$/m);
    expect(r.stdout).toContain("stat: 600 root:root\n");
    expect(r.stdout).toContain("foyer exit 0\n");
    expect(r.stdout).toContain("no sssd left\n");
    expect(r.stderr).toMatch(/oneshot sssd-clear-cache succeeded[\s\S]*sssd is ready[\s\S]*sssd stopped/);
    expect(r.stderr + r.stdout).not.toContain("readerpw");
  });

  it("the bind password in a snippet file (root 0600): copied to conf.d, sss merged into the image's nsswitch and PAM files, their own lines kept", () => {
    const spec = sssdSpec();
    const domain = (spec.users.sssd.conf as Record<string, Record<string, unknown>>)["domain/example"]!;
    delete domain.ldap_default_authtok;
    spec.users.sssd = { ...spec.users.sssd, snippets: [snippet("[domain/example]\nldap_default_authtok = readerpw\n")] } as typeof spec.users.sssd;
    const r = runInNamespace({ ...spec, secrets: {} }, ["sh", "-c", "id alice; stat -c 'snippet %a %U:%G' /etc/sssd/conf.d/bind.conf; cat /etc/nsswitch.conf /etc/pam.d/common-session"], IMAGE_SETUP);
    expect(r.stdout, r.stderr).toMatch(/^uid=10001\(alice\)/m); // sssd bound with the snippet's password
    expect(r.stdout).toContain("snippet 600 root:root\n");
    expect(r.stdout).toContain("passwd:         files systemd sss\ngroup:          files sss\nhosts:          files mdns4_minimal dns\nshadow:         files sss\n");
    expect(r.stdout).toContain("# image PAM\nsession\trequired\tpam_unix.so\nsession\toptional\t\t\tpam_sss.so\nsession\toptional\tpam_systemd.so\nsession\toptional\t\t\tpam_mkhomedir.so umask=0077\n");
    expect(r.stdout).toContain("foyer exit 0\n");
    expect(r.stderr + r.stdout).not.toContain("readerpw");
  });

  it("a snippet sssd would refuse (group-readable, a symbolic link, not root's): exit 78 naming each file, nothing written", () => {
    const readable = snippet("[nss]\n", 0o640);
    const linked = join(mkdtempSync("/tmp/foyer-sssd-snippet-"), "linked.conf");
    symlinkSync(snippet("[nss]\n"), linked);
    const foreign = snippet("[pam]\n", 0o600, 65534);
    const spec = { ...sssdSpec({ snippets: [readable, linked, foreign] }) };
    const r = runInNamespace(spec, ["true"], IMAGE_SETUP);
    expect(r.stdout).toContain("foyer exit 78\n");
    expect(r.stderr).toContain(`${readable} has mode 0640: sssd refuses config files that group or others may read or write (chmod 0600)`);
    expect(r.stderr).toContain(`${linked} is a symbolic link`);
    expect(r.stderr).toContain(`${foreign} is owned by uid 65534: sssd reads only config files owned by root`);
    expect(r.stdout).toMatch(/stat: .*No such file/); // no sssd.conf written
    // the image's nsswitch.conf as the setup wrote it
    const image = spawnSync("sh", ["-c", "printf 'passwd:         files systemd\\ngroup:          files\\nhosts:          files mdns4_minimal dns\\n' | sha256sum"], { encoding: "utf8" }).stdout.trim();
    expect(r.stdout).toContain(`nsswitch: ${image}`);
  });

  it("a probe user the directory does not have: not ready, the container fails instead of starting the product", () => {
    const r = runInNamespace(sssdSpec({ probeUser: "nobody-here", readyTimeout: "1s" }), ["true"]);
    expect(r.stderr).toMatch(/sssd was not ready after 1s; .*giving up \(FATAL\) after 3 failed start\(s\)/);
    expect(r.stderr).toMatch(/cannot start main/);
    expect(r.stdout).toMatch(/foyer exit [1-9]/);
    expect(r.stdout).toContain("no sssd left\n");
  });
});
