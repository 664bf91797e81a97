// `foyer init`: load → validate → apply, then exit (initContainers, SPCS startup, image checks).
import { applyPlan } from "../plan/index.js";
import type { Logger } from "../log/index.js";
import { SCOPES } from "../check/index.js";
import { ConfigError } from "../errors.js";
import { realClock } from "../time/clock.js";
import { missingAfterSync, provisionUsers, provisions } from "../users/index.js";
import { makeLogger, SPEC_OPTIONS } from "./context.js";
import { parseCommandArgs, type Command } from "./command.js";
import { prepare, type Prepared } from "./prepare.js";
import { openSignalInbox, stopReceived, stoppedBySignalCode } from "../pid1/signals.js";

export const initCommand: Command = {
  name: "init",
  help: `usage: foyer init [--spec F]

Validates everything first (exit 78 and nothing written on any problem), provisions the accounts
of users: (as 'foyer users sync' does, under /etc/.pwd.lock), then applies the plan:
atomic writes (temp file in the same directory, owner and mode set before the rename, fsync),
idempotent (an unchanged file is not rewritten and keeps its mtime). Says what changed.

options:
  --spec F          the spec (else $FOYER_SPEC, else /etc/foyer/foyer.yaml)
  --log-level L     debug|info|warn|error
  --log-format F    text|json`,
  async run(argv) {
    // opened by main.ts first thing: as PID 1 (an initContainer) a TERM would otherwise be ignored
    const signals = openSignalInbox();
    const { values } = parseCommandArgs("init", argv, SPEC_OPTIONS);
    const prepared = await prepare(values, SCOPES.init);
    const logger = makeLogger(values, prepared.loaded);
    // a TERM/INT/QUIT while validating: nothing is written, exit 128+n (what is applied is atomic,
    // so one that comes during the apply ends foyer right after it, also with 128+n)
    const before = await stopReceived(signals);
    if (before) {
      logger.info(`received ${before} while validating; nothing applied, exiting`);
      return stoppedBySignalCode(before);
    }
    await applyPrepared(prepared, logger);
    const during = await stopReceived(signals);
    if (during) {
      logger.info(`received ${during} while applying; the plan was applied (every write is atomic), exiting`);
      return stoppedBySignalCode(during);
    }
    return 0;
  },
};

/**
 * Apply a prepared spec and log what changed (shared with `foyer run`): first the accounts of
 * `users:` (the same sync as `foyer users sync`, under its lock; the plan's owners and programs may
 * name them), then the plan's actions.
 */
export async function applyPrepared({ actions, users, owners, loaded, expectedAccounts, refusalsReported }: Prepared, logger: Logger, env: Record<string, string | undefined> = process.env): Promise<void> {
  if (provisions(loaded.spec.users)) {
    const report = await provisionUsers({
      users: loaded.spec.users,
      root: "/",
      env,
      secret: (n) => loaded.secrets.values.get(n),
      clock: realClock(),
      log: logger,
      euid: process.geteuid?.() ?? 0,
      egid: process.getegid?.() ?? 0,
      reported: refusalsReported,
    });
    // validation counted on these accounts (owners, user:s); the sync must have made every one
    const lost = report ? missingAfterSync(expectedAccounts, report.accounts) : [];
    if (lost.length) {
      throw new ConfigError(lost.map((what) => ({ path: "users.sources", message: `validation counted on ${what}, but the sync refused it (see the warnings above): nothing of the plan was applied` })));
    }
  }
  const result = applyPlan(actions, {
    users,
    validated: { owners },
    onAction: (a, v) => {
      // a command that failed and took its fallback (start.sh's home link): said as a warning
      if (a.kind === "run-command-as-user" && v.changes.length) logger.warn(`${a.kind} ${a.path}: ${v.changes.join(", ")}`, { why: a.reason });
      else if (v.state === "kept") logger.info(`kept ${a.path}: ${v.changes.join(", ")}`, { why: a.reason });
      else if (v.state !== "unchanged") logger.info(`${v.state} ${a.kind} ${a.path}`, { why: a.reason });
      else logger.debug(`unchanged ${a.path}`);
    },
  });
  if (result.changed.length === 0) logger.info(`nothing to change: ${result.unchanged.length} path(s) already up to date`);
  else logger.info(`applied ${result.changed.length} change(s), ${result.unchanged.length} path(s) already up to date`);
}
