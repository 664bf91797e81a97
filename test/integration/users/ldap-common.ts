// The LDAP source and spec the directory tests share, and the seed's expected account lines.
import type { Slapd } from "./slapd.js";

export const PEOPLE = "ou=people,dc=example,dc=org";
export const GROUPS = "ou=groups,dc=example,dc=org";

export function ldapSource(slapd: Slapd, over: Record<string, unknown> = {}) {
  return {
    type: "ldap",
    urls: [slapd.url],
    bindDN: "cn=svc-reader,dc=example,dc=org",
    bindPasswordSecret: "ldap",
    caFile: slapd.ca,
    users: { base: [PEOPLE] },
    groups: { base: [GROUPS] },
    retries: 0,
    ...over,
  };
}
export function spec(source: Record<string, unknown>, users: Record<string, unknown> = {}) {
  return { secrets: { ldap: { env: "LDAP_PW" } }, users: { sources: [source], ...users } };
}

export const ALICE_TO_EVE = [
  "alice:x:10001:10001:Alice Anderson:/home/alice:/bin/bash",
  "bob:x:10002:10002:Bob Brown:/home/bob:/bin/bash",
  "carol:x:10003:10003:Carol Chen:/home/carol:/bin/bash",
  "dave:x:10004:10004:Dave Davis:/home/dave:/bin/bash",
  "eve:x:10005:10005:Eve O'Hara test:/home/eve:/bin/bash",
];
export const GROUP_LINES = [
  "rstudio-users:x:20001:alice,bob,carol",
  "jupyter-users:x:20002:alice,dave",
  "admins:x:20003:eve",
  "data-team:x:20004:carol,alice,dave",
  "ring-a:x:20005:bob,eve",
  "ring-b:x:20006:eve,bob",
];
export const today = () => Math.floor(Date.now() / 86_400_000);

