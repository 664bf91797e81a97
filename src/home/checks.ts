// Homes against the user database (pure): a home foyer makes at ROOT/USER that the account's own
// entry puts elsewhere would not be the one the user's shell, Workbench or Jupyter use.
import type { UserDatabase } from "../identity/index.js";
import type { Spec } from "../spec/schema.js";
import { homeUsers } from "./gather.js";
import { homePath } from "./plan.js";

/** A warning per account whose passwd home is not ROOT/USER (an account not there yet is fine: it is made later). */
export function homePathWarnings(spec: Spec, users: UserDatabase, self?: string, homeOwners?: ReadonlyMap<string, number>): string[] {
  if (!spec.home) return [];
  const out: string[] = [];
  for (const name of homeUsers(spec, self)) {
    const pw = users.getpw(name);
    const made = homePath(spec.home.root, name);
    if (pw && pw.home && pw.home !== made) out.push(`home.users: ${name}'s home in the user database is ${pw.home}, not ${made}: the shell, Workbench and Jupyter use ${pw.home} (set home.root, or fix the account)`);
    // a volume mounted at the home comes up root-owned (docker-stacks #1003): the user could not write in it
    const owner = homeOwners?.get(made);
    if (pw && owner !== undefined && owner !== pw.uid && spec.home.existing === "keep") {
      out.push(`home.existing: ${made} belongs to uid ${owner}, not ${name} (${pw.uid}), and is kept as it is: set home.existing: owner (or CHOWN_HOME=yes) if ${name} must write in it`);
    }
  }
  return out;
}
