// Identity: one USER[:GROUP] grammar, one resolver over an injectable user database (NSS in
// production, passwd/group text in tests, planned accounts laid over), one way to run as a user.
// Used by plan (file owners, run-command-as-user), supervise/pid1 (programs, hooks), exec-as.
export { parseUserSpec, formatUserSpec, USER_SPEC_PATTERN, MAX_ID, type UserSpec, type UserSpecParse } from "./user-spec.js";
export { filesDatabase, withPlanned, type UserDatabase, type PlannedAccounts, type PasswdEntry, type GroupEntry } from "./database.js";
export { resolveOwner, resolveUser, loginEnv, type OwnerIds, type ResolvedUser, type Resolved } from "./resolve.js";
export { systemUserDatabase, rootDatabase } from "./system.js";
export { runAsSync, execAsArgv, type RunAs, type RunAsRequest, type RunAsResult } from "./run-as.js";
