// The owners a plan names (file owners, run-command-as-user users), resolved through the identity
// module: the same grammar and resolver as programs, so `owner: 1000` and `user: 1000` agree
// (a numeric uid without a passwd entry gets gid 0).
import type { ConfigIssue } from "../errors.js";
import { resolveOwner, type OwnerIds, type UserDatabase } from "../identity/index.js";
import type { Action } from "./action.js";

export type { OwnerIds };

/** The USER[:GROUP] an action needs resolved, and the field it came from. */
export function ownerSpecOf(a: Action): { spec: string; field: "user" | "owner" } | undefined {
  if (a.kind === "run-command-as-user") return { spec: a.user, field: "user" };
  return "owner" in a && a.owner !== undefined ? { spec: a.owner, field: "owner" } : undefined;
}

/** Resolve every owner in the plan: the ids by spec, and an issue for each that does not exist. */
export function checkOwners(actions: readonly Action[], users: UserDatabase): { owners: Map<string, OwnerIds>; issues: ConfigIssue[] } {
  const owners = new Map<string, OwnerIds>();
  const issues: ConfigIssue[] = [];
  for (const a of actions) {
    const o = ownerSpecOf(a);
    if (!o || owners.has(o.spec)) continue;
    const r = resolveOwner(o.spec, users);
    if (r.ok) owners.set(o.spec, r.value);
    else issues.push({ path: `${a.source ?? a.path}.${o.field}`, message: `${r.error}; needed for ${a.path}` });
  }
  return { owners, issues };
}
