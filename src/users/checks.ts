// Checks of the users: section that need more than its schema (other sections of the spec). Pure,
// returning ConfigIssues, for the one validation stage every command runs before any write.
import type { ConfigIssue } from "../errors.js";
import type { UsersSpec } from "./schema.js";

/** Every LDAP source's bind secret must be declared under secrets:. */
export function usersSpecIssues(users: UsersSpec | undefined, declaredSecrets: ReadonlySet<string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [i, src] of (users?.sources ?? []).entries()) {
    if (src.type === "ldap" && !declaredSecrets.has(src.bindPasswordSecret)) {
      issues.push({
        path: `users.sources[${i}].bindPasswordSecret`,
        message: `no secret named ${JSON.stringify(src.bindPasswordSecret)} is declared under secrets: (known: ${[...declaredSecrets].join(", ") || "none"})`,
      });
    }
  }
  return issues;
}
