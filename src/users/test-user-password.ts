// The Posit test user's password (PWB_/RSW_TESTUSER_PASSWD): one rule for every spec with an
// env-test-user source. foyer masks secrets by value, which needs at least 8 characters; the images'
// default, "rstudio", is shorter, and it is a public value (printed in Posit's docs and images), so
// masking it would hide nothing and garble every line that says rstudio-server. Hence:
//   - "rstudio" (the images' default) is accepted as the public value it is: not masked, and a
//     warning says so;
//   - any other password is a secret: at least 8 characters (else a config error naming the
//     variable), masked in everything foyer prints;
//   - both password variables are kept from every program, whichever was used.
// Pure; the loader applies it right after the schema.
import type { ConfigIssue } from "../errors.js";
import type { UsersSpec } from "./schema.js";

/** The name the password is masked under (`<secret:test-user-password>`). */
export const TEST_USER_PASSWORD_SECRET = "test-user-password";
/** Posit's images' default password: public, not a secret. */
export const PUBLIC_DEFAULT_PASSWORD = "rstudio";
export const TEST_USER_PASSWORD_VARS = ["PWB_TESTUSER_PASSWD", "RSW_TESTUSER_PASSWD"] as const;
const MIN_LENGTH = 8;

export interface TestUserPassword {
  /** a password to mask (registered with the Redactor like a declared secret) */
  secret?: { name: string; value: string };
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
  /** variables no program gets */
  keptFromPrograms: string[];
}

/** The rule above, for the spec's users: section and the environment. */
export function testUserPassword(users: UsersSpec | undefined, env: Readonly<Record<string, string | undefined>>): TestUserPassword {
  const out: TestUserPassword = { issues: [], warnings: [], keptFromPrograms: [] };
  if (!users?.sources.some((s) => s.type === "env-test-user")) return out;
  out.keptFromPrograms.push(...TEST_USER_PASSWORD_VARS);
  // the same picks as testUserCandidates: PWB_ wins over RSW_, variable by variable
  if (!(env.PWB_TESTUSER ?? env.RSW_TESTUSER)) return out; // no test user
  const variable = env.PWB_TESTUSER_PASSWD !== undefined ? "PWB_TESTUSER_PASSWD" : "RSW_TESTUSER_PASSWD";
  const value = env[variable];
  if (!value) return out; // no password: the account is locked
  if (value === PUBLIC_DEFAULT_PASSWORD) {
    out.warnings.push({
      path: variable,
      where: `env ${variable}`,
      message: `the test user's password is Posit's public default "${PUBLIC_DEFAULT_PASSWORD}": anyone can log in with it, and foyer does not mask it (it is no secret); set ${variable} to a password of ${MIN_LENGTH} characters or more for anything but a throw-away container`,
    });
    return out;
  }
  if (value.trim().length < MIN_LENGTH) {
    out.issues.push({
      path: variable,
      where: `env ${variable}`,
      message: `${variable} is shorter than ${MIN_LENGTH} characters (surrounding spaces not counted): a password other than Posit's public default "${PUBLIC_DEFAULT_PASSWORD}" is a secret, masked in everything foyer prints, and a value this short cannot be masked; use a longer password`,
    });
    return out;
  }
  out.secret = { name: TEST_USER_PASSWORD_SECRET, value };
  return out;
}
