// The data that flows through user provisioning: candidates as the sources give them (raw, maybe
// invalid), the accepted account list (the module's output, also what later phases and the identity
// overlay take), and the entries the policy refused, each with its reason.

/** A user as a source gives it; fields are raw (an LDAP uidNumber may be "abc" or missing). */
export interface CandidateUser {
  /** which source gave it ("sources[1] (ldap)") */
  source: string;
  /** where inside the source (a DN, `users[3]`), for messages */
  origin: string;
  name: string | undefined;
  uid: string | number | undefined;
  gid: string | number | undefined;
  gecos?: string | undefined;
  home?: string | undefined;
  shell?: string | undefined;
  /** a crypt(3) hash; none: the account is locked */
  passwordHash?: string | undefined;
  /** a plain password to hash (the Posit test user's RSW_TESTUSER_PASSWD) */
  plainPassword?: string | undefined;
  /** days since 1970-01-01 after which the account is expired (shadowExpire) */
  expire?: string | number | undefined;
  /** a problem the source found already (several values for a single-valued attribute...) */
  problem?: string | undefined;
}

/** A group as a source gives it; `members` are user names (nested groups already resolved). */
export interface CandidateGroup {
  source: string;
  origin: string;
  name: string | undefined;
  gid: string | number | undefined;
  members: string[];
  problem?: string | undefined;
}

/** What one source produced, with its policy for refused entries. */
export interface SourceResult {
  label: string;
  onInvalid: "skip" | "fail";
  users: CandidateUser[];
  groups: CandidateGroup[];
}

/** An accepted account: a passwd entry plus what shadow needs. */
export interface Account {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
  passwordHash?: string | undefined;
  plainPassword?: string | undefined;
  expire?: number | undefined;
  source: string;
}

/** An accepted group; members are accepted users of the same sync, in order. */
export interface AccountGroup {
  name: string;
  gid: number;
  members: string[];
  source: string;
}

/**
 * The accounts a sync creates or keeps: the output of planning. Its `users` and `groups` are
 * structurally the identity module's planned-account overlay (PasswdEntry + GroupEntry with members).
 */
export interface AccountList {
  users: Account[];
  groups: AccountGroup[];
}

/** One entry the policy refused. */
export interface Rejection {
  source: string;
  kind: "user" | "group";
  /** the name as given (may be the invalid one), or the origin when there is none */
  name: string;
  origin: string;
  reason: string;
}
