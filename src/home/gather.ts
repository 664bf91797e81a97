// Who gets a home, and the facts about those homes, gathered once before planning.
import type { FsOps } from "../fs/index.js";
import type { Spec } from "../spec/schema.js";
import { readHomeFacts } from "./facts.js";
import type { HomeFacts } from "./plan.js";

/** planInit's input for homes. */
export interface HomesInput {
  users: readonly string[];
  facts: HomeFacts;
  /** foyer's own uid (owner of each home's record) */
  selfUid: number;
  /** the environment (a venv's pip gets its proxy and index variables) */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The accounts that get a home: `home.users`, and with `home.self` the account foyer runs as (its
 * name from the user database; not root). The provisioned users join them when user provisioning plans.
 */
export function homeUsers(spec: Spec, self?: string): string[] {
  return [...new Set([...(spec.home?.users ?? []), ...(spec.home?.self && self && self !== "root" ? [self] : [])])];
}

/** Read what planning the spec's homes needs (undefined without a `home:` section). `self`: the name of foyer's own account. */
export function gatherHomes(spec: Spec, fs: FsOps, env: Readonly<Record<string, string | undefined>> = {}, self?: string, selfUid = process.geteuid?.() ?? 0): HomesInput | undefined {
  if (!spec.home) return undefined;
  const users = homeUsers(spec, self);
  return { users, facts: readHomeFacts(spec.home, users, fs, selfUid), selfUid, env };
}
