// The one way accounts are provisioned, for `foyer users sync` and for `foyer init`/`run` (a step of
// the apply phase, before the plan's actions and before any program starts): as root, the sync of
// the spec's sources (lock, policy, atomic files, idempotent); as another uid, only that uid's own
// passwd entry (users.rootless), the sources skipped with a warning.
import type { Logger } from "../log/index.js";
import { ensureCurrentUser } from "./rootless.js";
import type { UsersSpec } from "./schema.js";
import { syncUsers, type SyncOptions, type SyncReport } from "./sync.js";

export interface ProvisionOptions extends SyncOptions {
  /** the effective uid foyer runs as */
  euid: number;
  egid: number;
}

/** Whether the spec asks for anything to be provisioned. */
export function provisions(users: UsersSpec | undefined): users is UsersSpec {
  return users !== undefined && (users.sources.length > 0 || users.rootless !== undefined);
}

/** Sync as root; the rootless entry otherwise. The sync's report, when it ran. */
export async function provisionUsers(opts: ProvisionOptions): Promise<SyncReport | undefined> {
  if (opts.euid === 0) return opts.users.sources.length ? syncUsers(opts) : undefined;
  rootless(opts.users, opts.root, opts.euid, opts.egid, opts.log);
  return undefined;
}

/**
 * Not root (an arbitrary uid, OpenShift-style): the account files cannot be locked or replaced, so
 * only the current uid's own entry (users.rootless) is made; the sources are skipped with a warning.
 */
function rootless(users: UsersSpec, root: string, euid: number, egid: number, log: Logger): void {
  if (users.sources.length) log.warn(`users.sources need root to write the account files; foyer runs as uid ${euid}: skipped`);
  if (!users.rootless) return;
  const out = ensureCurrentUser(users.rootless, { uid: euid, gid: egid }, root, users.homeRoot);
  if (out.kind === "present") log.info(`uid ${euid} already has a passwd entry (${out.name})`);
  else if (out.kind === "added") log.info(`gave uid ${euid} a passwd entry: ${out.line}${out.renamed ? ` (the image's ${users.rootless.name} entry is now ${out.renamed})` : ""}`);
  else log.warn(out.advice);
}


