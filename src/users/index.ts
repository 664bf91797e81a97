// User provisioning: sources (static, the Posit test user, LDAP) → the security-first policy → the
// local account files, under shadow-utils' lock. The accepted AccountList is what later phases take.
export { UsersSchema, type UsersSpec, type UserSource, type LdapSource } from "./schema.js";
export type { Account, AccountGroup, AccountList, Rejection, SourceResult } from "./accounts.js";
export { syncUsers, planSync, describeRejection, UsersPolicyError, type SyncOptions, type SyncReport, type SyncPlan } from "./sync.js";
export { DirectoryError } from "./ldap.js";
export { usersSpecIssues } from "./checks.js";
export { ensureCurrentUser, type RootlessOutcome } from "./rootless.js";
export { provisionUsers, provisions, type ProvisionOptions } from "./provision.js";
export { expectedAccounts, missingAfterSync, type ExpectedAccounts } from "./expected.js";
export { readRecord } from "./local-files.js";
