// users.syncEvery → the users-sync program: foyer itself, reloading the spec, with the bind secret
// under its source variable (programs lose those by default).
import { describe, expect, it } from "vitest";
import { SpecSchema } from "../../../src/spec/schema.js";
import { addUsersSyncProgram } from "../../../src/users/sync-program.js";

const ldap = { type: "ldap", urls: ["ldaps://ldap.example.org"], bindDN: "cn=svc,dc=example,dc=org", bindPasswordSecret: "ldap-bind", users: { base: ["ou=people,dc=example,dc=org"] } };

describe("users.syncEvery", () => {
  it("adds users-sync: foyer users sync --every, the spec, restart always, the bind secret under its env names", () => {
    const spec = SpecSchema.parse({ secrets: { "ldap-bind": { env: ["LDAP_PW", "LDAP_BIND_PASSWORD"] } }, users: { syncEvery: "10m", sources: [ldap] } });
    expect(addUsersSyncProgram(spec, ["/usr/local/bin/foyer"], "/etc/foyer/foyer.yaml")).toEqual([]);
    expect(spec.programs["users-sync"]).toMatchObject({
      command: ["/usr/local/bin/foyer", "users", "sync", "--every", "600000ms", "--spec", "/etc/foyer/foyer.yaml"],
      restart: "always",
      secrets: { LDAP_PW: "ldap-bind", LDAP_BIND_PASSWORD: "ldap-bind" },
    });
  });

  it("nothing without syncEvery; a program of the same name or sssd mode is an issue", () => {
    const none = SpecSchema.parse({ users: { sources: [] } });
    expect(addUsersSyncProgram(none, ["foyer"], undefined)).toEqual([]);
    expect(none.programs).toEqual({});
    const taken = SpecSchema.parse({ users: { syncEvery: "1m" }, programs: { "users-sync": { command: ["x"] } } });
    expect(addUsersSyncProgram(taken, ["foyer"], undefined).map((i) => i.path)).toEqual(["programs.users-sync"]);
    const sssd = SpecSchema.parse({ users: { syncEvery: "1m", sssd: { conf: "", probeUser: "alice" } } });
    expect(addUsersSyncProgram(sssd, ["foyer"], undefined).map((i) => i.path)).toEqual(["users.syncEvery"]);
  });
});
