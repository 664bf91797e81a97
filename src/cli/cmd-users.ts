// `foyer users sync`: provision accounts from the spec's users: sources once, or every period as a
// supervised program (a failed sync is logged and retried next period: the container stays up, and
// the account files keep their last good state).
import { ConfigError, FoyerError } from "../errors.js";
import type { Logger } from "../log/index.js";
import { parseDuration } from "../spec/duration.js";
import { realClock, type Clock } from "../time/clock.js";
import { SCOPES } from "../check/index.js";
import { provisionUsers } from "../users/index.js";
import { parseCommandArgs, UsageError, type Command } from "./command.js";
import { makeLogger, SPEC_OPTIONS } from "./context.js";
import { prepare, type Prepared } from "./prepare.js";
import { applyProvisionedHomes } from "../home/provisioned.js";
import { realFs } from "../fs/index.js";

const HELP = `usage: foyer users sync [--spec F] [--every 10m] [--root DIR]

Reads the spec's users: sources (static list, the Posit test user from PWB_/RSW_TESTUSER*, LDAP)
in order, refuses unsafe entries (each named with its reason), and writes /etc/passwd, group,
shadow and gshadow atomically under /etc/.pwd.lock. Nothing changes when nothing differs. A
directory failure changes no file. Run as a uid other than root, it only gives that uid a passwd
entry (users.rootless) when /etc/passwd is writable, or says what to do. With a home: section, the
accepted accounts get their homes, dirs, dotfiles and favorites (as foyer init makes them).

options:
  --spec F          the spec (else $FOYER_SPEC, else /etc/foyer/foyer.yaml)
  --every D         sync again every D (e.g. 10m) until TERM; failures are logged, not fatal
  --root DIR        provision the root filesystem at DIR instead of / (image builds, tests)
  --log-level L     debug|info|warn|error
  --log-format F    text|json`;

export const usersCommand: Command = {
  name: "users",
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs("users", argv, { ...SPEC_OPTIONS, every: { type: "string" }, root: { type: "string" } }, true);
    if (positionals.length !== 1 || positionals[0] !== "sync") throw new UsageError(`foyer users: expected the subcommand sync\nsee: foyer users --help`);
    const every = values.every === undefined ? undefined : parseDuration(values.every);
    if (values.every !== undefined && (every === undefined || every < 1000)) throw new UsageError(`foyer users sync: --every ${values.every}: expected a duration of at least 1s, like 10m`);
    const root = values.root ?? "/";
    if (!root.startsWith("/")) throw new UsageError(`foyer users sync: --root ${root}: expected an absolute path`);
    // the one validation stage, read-only scope (like render): the spec's own checks, users: included
    const { loaded, refusalsReported } = await prepare(values, SCOPES.render, process.env, root);
    const users = loaded.spec.users;
    if (!users) throw new ConfigError([{ path: "users", message: "the spec has no users: section: nothing to sync" }]);
    const log = makeLogger(values, loaded);
    const clock = realClock();
    const euid = process.geteuid?.() ?? 0;
    const once = async () => {
      const report = await provisionUsers({ users, root, env: process.env, secret: (n) => loaded.secrets.values.get(n), clock, log, euid, egid: process.getegid?.() ?? 0, reported: refusalsReported });
      // the accepted accounts get their homes (home:), by the same planner and executor as init's
      if (report && root === "/") homesFor(report.accounts.users.map((u) => u.name), loaded, log);
      return report;
    };
    // not root: only the uid's own entry, which does not change from one period to the next
    if (every === undefined || euid !== 0) {
      await once();
      return 0;
    }
    return periodic(once, every, clock, log);
  },
};

function homesFor(names: string[], loaded: Prepared["loaded"], log: Logger): void {
  const r = applyProvisionedHomes({
    spec: loaded.spec,
    names,
    env: process.env,
    secrets: loaded.secrets.values,
    fs: realFs,
    warn: (w) => log.warn(w),
    onAction: (a, v) => {
      if (v.state === "kept") log.info(`kept ${a.path}: ${v.changes.join(", ")}`);
      else if (v.state !== "unchanged") log.info(`${v.state} ${a.kind} ${a.path}`, { why: a.reason });
    },
  });
  if (r.changed.length) log.info(`homes: ${r.changed.length} change(s), ${r.unchanged.length} path(s) already up to date`);
}

/** Sync now and every `period` until TERM/INT; a failed sync is logged and tried again next time. */
async function periodic(once: () => Promise<unknown>, period: number, clock: Clock, log: Logger): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  try {
    while (!stop.signal.aborted) {
      try {
        await once();
      } catch (err) {
        if (!(err instanceof FoyerError)) throw err;
        log.error(`${err.message}; the account files are unchanged; next sync in ${period / 1000} s`);
      }
      await clock.sleep(period, stop.signal);
    }
    return 0;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}
