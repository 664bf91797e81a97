// `foyer init`: load → validate → apply, then exit (initContainers, SPCS startup, image checks).
import { applyPlan } from "../plan/index.js";
import type { Logger } from "../log/index.js";
import { SCOPES } from "../check/index.js";
import { makeLogger, SPEC_OPTIONS } from "./context.js";
import { parseCommandArgs, type Command } from "./command.js";
import { prepare, type Prepared } from "./prepare.js";
import { ensureCurrentUser } from "../users/index.js";
import type { RootlessSpec } from "../users/schema.js";

export const initCommand: Command = {
  name: "init",
  help: `usage: foyer init [--spec F]

Validates everything first (exit 78 and nothing written on any problem), then applies the plan:
atomic writes (temp file in the same directory, owner and mode set before the rename, fsync),
idempotent (an unchanged file is not rewritten and keeps its mtime). Says what changed.

options:
  --spec F          the spec (else $FOYER_SPEC, else /etc/foyer/foyer.yaml)
  --log-level L     debug|info|warn|error
  --log-format F    text|json`,
  async run(argv) {
    const { values } = parseCommandArgs("init", argv, SPEC_OPTIONS);
    const prepared = await prepare(values, SCOPES.init);
    applyPrepared(prepared, makeLogger(values, prepared.loaded));
    return 0;
  },
};

/** Apply a prepared plan and log what changed (shared with `foyer run`). */
export function applyPrepared({ actions, users, owners, loaded }: Prepared, logger: Logger): void {
  giveCurrentUidAnEntry(loaded.spec.users?.rootless, loaded.spec.users?.homeRoot ?? "/home", logger);
  const result = applyPlan(actions, {
    users,
    validated: { owners },
    onAction: (a, v) => {
      if (v.state === "kept") logger.info(`kept ${a.path}: ${v.changes.join(", ")}`, { why: a.reason });
      else if (v.state !== "unchanged") logger.info(`${v.state} ${a.kind} ${a.path}`, { why: a.reason });
      else logger.debug(`unchanged ${a.path}`);
    },
  });
  if (result.changed.length === 0) logger.info(`nothing to change: ${result.unchanged.length} path(s) already up to date`);
  else logger.info(`applied ${result.changed.length} change(s), ${result.unchanged.length} path(s) already up to date`);
}

/**
 * users.rootless, as start.sh does first when not root: an arbitrary uid (OpenShift) gets a passwd
 * entry when /etc/passwd is writable, or a warning saying what to do. Root has its own entry.
 */
function giveCurrentUidAnEntry(rootless: RootlessSpec | undefined, homeRoot: string, logger: Logger): void {
  const euid = process.geteuid?.() ?? 0;
  if (!rootless || euid === 0) return;
  const out = ensureCurrentUser(rootless, { uid: euid, gid: process.getegid?.() ?? 0 }, "/", homeRoot);
  if (out.kind === "added") logger.info(`gave uid ${euid} a passwd entry: ${out.line}${out.renamed ? ` (the image's ${rootless.name} entry is now ${out.renamed})` : ""}`);
  else if (out.kind === "not-writable") logger.warn(out.advice);
}
