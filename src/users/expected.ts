// The accounts a sync will create that are known before it runs (static lists, the Posit test user),
// decided by the same policy against the same local files, so the validation stage can lay them over
// the user database (a spec that provisions alice and owns /home/alice by her validates) and report,
// before any write, what the sync would refuse. LDAP accounts need the directory: they are not known
// before the sync, so an owner or `user:` naming one is refused by validation (give its numeric id,
// or list it in a static source). Pure.
import type { AccountList, Rejection } from "./accounts.js";
import { localIds, type AccountFiles, type AccountRecord } from "./nss-files.js";
import { decideAccounts } from "./policy.js";
import type { UsersSpec } from "./schema.js";
import { offlineSources } from "./sources.js";

export interface ExpectedAccounts {
  /** accepted by the policy: what the sync will create or keep (LDAP's aside) */
  accounts: AccountList;
  rejected: Rejection[];
  /** labels of sources with `onInvalid: fail` that had a refused entry: the sync would stop */
  failedSources: string[];
  /** labels of the LDAP sources, whose accounts are known only at sync time */
  online: string[];
}

export interface ExpectedInput {
  users: UsersSpec;
  env: Record<string, string | undefined>;
  /** the local passwd and group text (shadow is not needed to decide) */
  files: Pick<AccountFiles, "passwd" | "group">;
  record: AccountRecord;
  /** days since 1970-01-01 */
  today: number;
}

export function expectedAccounts(input: ExpectedInput): ExpectedAccounts {
  const { users } = input;
  const { sources, online } = offlineSources(users, input.env);
  const policy = decideAccounts(sources, localIds({ ...input.files, shadow: "", gshadow: "" }, input.record), {
    homeRoot: users.homeRoot,
    defaultShell: users.defaultShell,
    minId: users.minId,
    today: input.today,
  });
  return { accounts: policy.accepted, rejected: policy.rejected, failedSources: policy.failedSources, online };
}

/**
 * After the sync: every account validation counted on must be among those the sync accepted (an
 * LDAP entry with the same name or uid makes the policy refuse both copies). The names it lost.
 */
export function missingAfterSync(expected: AccountList, synced: AccountList): string[] {
  const users = new Set(synced.users.map((u) => `${u.name}:${u.uid}`));
  const groups = new Set(synced.groups.map((g) => `${g.name}:${g.gid}`));
  return [
    ...expected.users.filter((u) => !users.has(`${u.name}:${u.uid}`)).map((u) => `user ${u.name} (uid ${u.uid})`),
    ...expected.groups.filter((g) => !groups.has(`${g.name}:${g.gid}`)).map((g) => `group ${g.name} (gid ${g.gid})`),
  ];
}
