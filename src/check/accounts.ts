// The accounts user provisioning will create, for the validation stage: read the local account files
// (the gathering), decide with the users module's own policy (pure), and turn the outcome into the
// overlay the identity checks see, plus issues (a source with onInvalid: fail would stop the sync)
// and warnings (entries the sync would skip). Only as root: otherwise the sync does not run (the
// sources are skipped), so counting its accounts would be a lie.
import type { ConfigIssue } from "../errors.js";
import { FoyerError } from "../errors.js";
import type { PlannedAccounts } from "../identity/index.js";
import type { Action } from "../plan/action.js";
import type { FsOps } from "../plan/fsops.js";
import type { AccountList } from "../users/accounts.js";
import { expectedAccounts } from "../users/expected.js";
import { joinRoot, readRecord } from "../users/local-files.js";
import type { AccountRecord } from "../users/nss-files.js";
import type { UsersSpec } from "../users/schema.js";
import { describeRejection } from "../users/sync.js";

const DAY_MS = 86_400_000;

export interface AccountFacts {
  passwd: string;
  group: string;
  record: AccountRecord;
  /** the record could not be read (a corrupt file): the issue */
  recordProblem?: string;
}

/** Read `<root>/etc/passwd`, group and foyer's record (missing files read as empty). */
export function gatherAccountFacts(users: UsersSpec, root: string, fs: FsOps): AccountFacts {
  const read = (path: string): string => {
    try {
      return fs.readFileSync(joinRoot(root, path), "utf8") as string;
    } catch {
      return "";
    }
  };
  const facts: AccountFacts = { passwd: read("/etc/passwd"), group: read("/etc/group"), record: { users: [], groups: [] } };
  try {
    facts.record = readRecord(root, users.record, fs);
  } catch (err) {
    if (!(err instanceof FoyerError)) throw err;
    facts.recordProblem = err.message;
  }
  return facts;
}

export interface PlannedUsers {
  /** the overlay for the identity checks */
  overlay: PlannedAccounts;
  /** what the sync must still accept (checked after it, before the plan is applied) */
  expected: AccountList;
  /** labels of LDAP sources (their accounts are unknown before the sync) */
  online: string[];
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
  /** the refusals reported here (describeRejection's text): the sync does not log them again */
  reported: Set<string>;
}

/** Pure: the sync's offline outcome as the stage needs it. */
export function plannedUsers(users: UsersSpec, env: Record<string, string | undefined>, facts: AccountFacts, now: number): PlannedUsers {
  const issues: ConfigIssue[] = [];
  if (facts.recordProblem) issues.push({ path: "users.record", message: facts.recordProblem });
  const e = expectedAccounts({ users, env, files: facts, record: facts.record, today: Math.floor(now / DAY_MS) });
  const warnings: ConfigIssue[] = [];
  for (const r of e.rejected) {
    const fails = e.failedSources.includes(r.source);
    const issue = rejectionIssue(r);
    if (fails) issues.push({ ...issue, message: `the sync refuses ${issue.message} (onInvalid: fail: it would stop, writing nothing)` });
    else warnings.push({ ...issue, message: `the sync refuses ${issue.message}, and skips it` });
  }
  // (a sync that would stop is an issue already; its accounts still count, so no echo says alice is unknown)
  return { overlay: e.accounts, expected: e.accounts, online: e.online, issues, warnings, reported: new Set(e.rejected.map(describeRejection)) };
}

/** `users.sources[0] (static)` + origin `users[1]` → path users.sources[0].users[1]; an env origin → where. */
function rejectionIssue(r: Parameters<typeof describeRejection>[0]): ConfigIssue {
  const sourcePath = r.source.split(" ")[0]!;
  const message = describeRejection(r);
  if (/^[A-Z][A-Z0-9_]*$/.test(r.origin)) return { path: sourcePath, where: `env ${r.origin}`, message };
  return { path: /^(users|groups)\[\d+\]$/.test(r.origin) ? `${sourcePath}.${r.origin}` : sourcePath, message };
}

/**
 * The Posit test user's home, made as startup.sh's `useradd -m` made it (Ubuntu's HOME_MODE 0750,
 * owned by the user), so a first login works. Homes of other accounts are the users module's next
 * phase; /etc/skel is not copied.
 */
export function testUserHomes(expected: AccountList): Action[] {
  return expected.users
    .filter((u) => u.source.endsWith("(env-test-user)"))
    .map((u): Action => ({ kind: "ensure-dir", path: u.home, mode: 0o750, owner: u.name, reason: `the Posit test user's home (useradd -m)`, source: u.source.split(" ")[0]! }));
}

/** The hint added to "does not exist" when the spec has LDAP sources. */
export function ldapHint(online: readonly string[]): string {
  return ` (accounts of ${online.join(", ")} are fetched only by the sync, after validation: name such an account by its numeric id, or list it in a static source)`;
}
