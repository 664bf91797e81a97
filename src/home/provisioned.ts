// Homes for the accounts user provisioning just wrote (`foyer users sync`): they are known only
// once the sources have been read, so their homes are planned then, and applied with the
// executor's own preflight (owners resolved against the account files just written, disk checked)
// before any write. The same planner and rules as the spec's own homes.
import { createTemplateEngine } from "../render/index.js";
import { applyPlan, type ApplyResult } from "../plan/executor.js";
import type { Verdict } from "../plan/compare.js";
import type { Action } from "../plan/action.js";
import type { FsOps } from "../fs/index.js";
import { systemUserDatabase, type UserDatabase } from "../identity/index.js";
import type { Spec } from "../spec/schema.js";
import { ConfigError } from "../errors.js";
import { readHomeFacts } from "./facts.js";
import { planHomes } from "./plan.js";
import { homePathWarnings } from "./checks.js";

export interface ProvisionedHomesOptions {
  spec: Spec;
  /** the accounts the sync accepted */
  names: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  secrets: ReadonlyMap<string, string>;
  fs: FsOps;
  users?: UserDatabase;
  onAction?: (a: Action, v: Verdict) => void;
  warn?: (message: string) => void;
}

/** Plan and apply the homes of `names` (nothing without a `home:` section). */
export function applyProvisionedHomes(opts: ProvisionedHomesOptions): ApplyResult {
  const { spec } = opts;
  if (!spec.home || opts.names.length === 0) return { changed: [], unchanged: [] };
  const selfUid = process.geteuid?.() ?? 0;
  const users = opts.users ?? systemUserDatabase();
  for (const w of homePathWarnings({ ...spec, home: { ...spec.home, users: [...opts.names] } }, users)) opts.warn?.(w);
  const engine = createTemplateEngine({ env: { ...opts.env, ...spec.env }, secrets: opts.secrets, declaredSecrets: new Set(Object.keys(spec.secrets)) });
  const facts = readHomeFacts(spec.home, opts.names, opts.fs, selfUid);
  const plan = planHomes({ home: spec.home, users: opts.names, engine, facts, selfUid, env: opts.env });
  if (plan.issues.length) throw new ConfigError(plan.issues);
  return applyPlan(plan.actions, { fs: opts.fs, users, ...(opts.onAction ? { onAction: opts.onAction } : {}) });
}
