// One user sync: gather (environment, directory) → plan (pure: policy, then the merged files) →
// apply under shadow-utils' lock (record, then the files that changed). Any failure before the
// apply changes no file; a policy `fail` stops before the apply too.
import { randomBytes } from "node:crypto";
import { FoyerError, ExitCode } from "../errors.js";
import type { Logger } from "../log/index.js";
import type { Clock } from "../time/clock.js";
import type { AccountList, Rejection, SourceResult } from "./accounts.js";
import { joinRoot, openEtc, readAccountFiles, readRecord, withPasswdLock, writeAccountFiles, writeRecord } from "./local-files.js";
import type { fetchDirectory } from "./ldap.js";
import { changedFiles, localIds, mergeAccountFiles, type AccountFileName, type AccountFiles, type MergeResult, type AccountRecord } from "./nss-files.js";
import { decideAccounts, type PolicyResult } from "./policy.js";
import type { UsersSpec } from "./schema.js";
import { hashKeepingMatch, randomSalt } from "./sha512-crypt.js";
import { gatherSources } from "./sources.js";

const DAY_MS = 86_400_000;

/** A source with `onInvalid: fail` had a refused entry: nothing was written. */
export class UsersPolicyError extends FoyerError {
  constructor(readonly rejected: Rejection[]) {
    super(`user sync refused entries of a source whose policy is onInvalid: fail; nothing was changed:\n${rejected.map((r) => `  ✖ ${describeRejection(r)}`).join("\n")}`, ExitCode.config);
  }
}

export function describeRejection(r: Rejection): string {
  const where = r.origin && r.origin !== r.name ? ` (${r.origin})` : "";
  return `${r.source}: ${r.kind} ${r.name}${where}: ${r.reason}`;
}

export interface PlanInput {
  sources: SourceResult[];
  files: AccountFiles;
  record: AccountRecord;
  users: UsersSpec;
  /** days since 1970-01-01 */
  today: number;
  hashPassword: (plain: string, existing: string | undefined) => string;
  /** whether the image has /etc/gshadow (shadow-utils maintains it only then; so does foyer) */
  hasGshadow: boolean;
}

export interface SyncPlan {
  policy: PolicyResult;
  merge: MergeResult;
  /** files whose text changes */
  changes: AccountFileName[];
}

/** Pure: which accounts, and the files' new text. */
export function planSync(input: PlanInput): SyncPlan {
  const { users } = input;
  const policy = decideAccounts(input.sources, localIds(input.files, input.record), {
    homeRoot: users.homeRoot,
    defaultShell: users.defaultShell,
    minId: users.minId,
    today: input.today,
  });
  const merge = mergeAccountFiles(input.files, input.record, policy.accepted, { removed: users.removed, today: input.today, hashPassword: input.hashPassword });
  const changes = changedFiles(input.files, merge.files).filter((f) => f !== "gshadow" || input.hasGshadow);
  return { policy, merge, changes };
}

export interface SyncOptions {
  users: UsersSpec;
  /** the root filesystem to provision ("/" in a container; a directory for image builds and tests) */
  root: string;
  env: Record<string, string | undefined>;
  secret: (name: string) => string | undefined;
  clock: Clock;
  log: Logger;
  random?: (n: number) => Buffer;
  fetchDirectory?: typeof fetchDirectory;
  /** refusals already reported (by the validation stage; describeRejection's text): not logged again */
  reported?: ReadonlySet<string>;
}

/** What a sync did. `accounts` is the list later phases take (homes, the identity overlay). */
export interface SyncReport {
  accounts: AccountList;
  rejected: Rejection[];
  written: AccountFileName[];
  added: string[];
  updated: string[];
  removed: string[];
  locked: string[];
}

/** Gather, plan, apply. Throws DirectoryError / UsersPolicyError / FoyerError with no file changed. */
export async function syncUsers(opts: SyncOptions): Promise<SyncReport> {
  const { users, clock, log } = opts;
  const sources = await gatherSources(users, {
    env: opts.env,
    secret: opts.secret,
    fetch: {
      clock,
      label: "users",
      onRetry: (msg, wait) => log.warn(`${msg}; retrying in ${Math.round(wait / 100) / 10} s`),
      ...(opts.fetchDirectory ? { fetchDirectory: opts.fetchDirectory } : {}),
    },
  });
  const random = opts.random ?? randomBytes;
  const etc = openEtc(opts.root);
  try {
    return await withPasswdLock(etc, clock, () => {
      const before = readAccountFiles(etc);
      const record = readRecord(opts.root, users.record);
      const plan = planSync({
        sources,
        files: before.files,
        record,
        users,
        today: Math.floor(clock.now() / DAY_MS),
        hashPassword: (plain, existing) => hashKeepingMatch(plain, existing, () => randomSalt(random)),
        hasGshadow: before.stats.gshadow !== undefined,
      });
      const { policy, merge } = plan;
      for (const r of policy.rejected) if (!opts.reported?.has(describeRejection(r))) log.warn(`refused ${describeRejection(r)}`);
      if (policy.failedSources.length) throw new UsersPolicyError(policy.rejected.filter((r) => policy.failedSources.includes(r.source)));
      // record first (old ∪ new names): a crash after it never leaves an account foyer made but does not know
      if (plan.changes.length) writeRecord(opts.root, users.record, { users: union(record.users, merge.record.users), groups: union(record.groups, merge.record.groups) });
      writeAccountFiles(etc, before, merge.files, plan.changes);
      writeRecord(opts.root, users.record, merge.record);
      const report: SyncReport = {
        accounts: policy.accepted,
        rejected: policy.rejected,
        written: plan.changes,
        added: merge.added,
        updated: merge.updated,
        removed: merge.removed,
        locked: merge.locked,
      };
      log.info(summary(report, joinRoot(opts.root, "/etc")));
      return report;
    });
  } finally {
    etc.close();
  }
}

function summary(r: SyncReport, etc: string): string {
  const counts = `${r.accounts.users.length} user(s), ${r.accounts.groups.length} group(s); ${r.rejected.length} refused`;
  if (r.written.length === 0) return `users: nothing to change in ${etc} (${counts})`;
  const what = [
    r.added.length && `added ${r.added.length}`,
    r.updated.length && `updated ${r.updated.length}`,
    r.removed.length && `removed ${r.removed.length}`,
    r.locked.length && `locked ${r.locked.length}`,
  ].filter(Boolean);
  return `users: wrote ${r.written.map((f) => `${etc}/${f}`).join(", ")}: ${what.join(", ") || "memberships changed"} (${counts})`;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
