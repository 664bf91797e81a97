// The images' test user (PWB_/RSW_TESTUSER), the small static-user path: a oneshot that runs what
// startup.sh runs (skip when the uid exists; else `useradd -m -s /bin/bash -u UID -U NAME` and
// chpasswd), as root, before rserver. The password reaches only this oneshot, through its env (never
// argv); the users module of issue 6/8 is meant to absorb this.
import type { ConfigIssue } from "../../errors.js";

export const TEST_USER_PROGRAM = "test-user";

const SCRIPT = [
  'if getent passwd "$TESTUSER_UID" >/dev/null; then echo "test user: uid $TESTUSER_UID exists, not creating $TESTUSER"; exit 0; fi',
  'useradd -m -s /bin/bash -u "$TESTUSER_UID" -U "$TESTUSER"',
  'printf "%s:%s" "$TESTUSER" "$TESTUSER_PASSWD" | chpasswd',
  'echo "test user $TESTUSER (uid $TESTUSER_UID) created"',
].join("\n");

/** The oneshot for the variables, or undefined when no test user is asked for (an empty name, as the images' default). */
export function testUserProgram(env: Readonly<Record<string, string | undefined>>, issues: ConfigIssue[]): Record<string, unknown> | undefined {
  const prefix = env.PWB_TESTUSER !== undefined ? "PWB" : "RSW";
  const [nameVar, uidVar, passVar] = [`${prefix}_TESTUSER`, `${prefix}_TESTUSER_UID`, `${prefix}_TESTUSER_PASSWD`] as const;
  const name = env[nameVar];
  if (!name) return undefined;
  const uid = env[uidVar] || "10000";
  const before = issues.length;
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(name)) issues.push({ path: nameVar, message: `${nameVar} must be a user name (lowercase letters, digits, _ and -), not ${JSON.stringify(name)}`, where: `env ${nameVar}` });
  if (!/^\d{1,9}$/.test(uid) || Number(uid) === 0) issues.push({ path: uidVar, message: `${uidVar} must be a uid above 0, not ${JSON.stringify(uid)}`, where: `env ${uidVar}` });
  if (issues.length > before) return undefined;
  return {
    command: ["/bin/sh", "-c", SCRIPT],
    env: { TESTUSER: name, TESTUSER_UID: uid, TESTUSER_PASSWD: env[passVar] ?? "" },
    oneshot: true,
  };
}
