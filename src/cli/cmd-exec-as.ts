// `foyer exec-as USER[:GROUP] -- CMD`: gosu-like. Also hosts the hidden trampoline mode
// (`exec-as __exec`) through which the Spawner starts every user-switched program.
import { runMain, runTrampoline, TRAMPOLINE_ARGV } from "../pid1/index.js";
import { graceMs, inheritedEnv } from "./cmd-run.js";
import { cliLogger } from "./log-flags.js";
import { parseCommandArgs, splitAtDoubleDash, UsageError, type Command } from "./command.js";

export const execAsCommand: Command = {
  name: "exec-as",
  help: `usage: foyer exec-as USER[:GROUP] -- CMD ARGS...

Runs CMD as USER like gosu, but complete: uid, primary gid (GROUP if given) and ALL supplementary
groups from the group database (NSS: files, sssd, LDAP), HOME, USER, LOGNAME and SHELL from passwd,
a new session (setsid: CMD cannot push keystrokes into this terminal), no capability left.
USER may be a numeric uid without a passwd entry (then gid 0 unless given, HOME=/).
foyer stays as CMD's parent: it forwards signals, reaps orphans, and exits with CMD's code
(126 if the switch or exec failed, 127 if CMD was not found). Not root: only USER = yourself works.`,
  async run(argv) {
    if (argv.length === 1 && argv[0] === TRAMPOLINE_ARGV[1]) process.exit(runTrampoline());
    const { before, after } = splitAtDoubleDash(argv);
    const { values, positionals } = parseCommandArgs("exec-as", before, { grace: { type: "string" } }, true);
    if (positionals.length !== 1 || !after || after.length === 0) {
      throw new UsageError("usage: foyer exec-as USER[:GROUP] -- CMD ARGS...");
    }
    const logger = cliLogger(values["log-level"] ?? "warn", values["log-format"]);
    const code = await runMain(after, {
      graceMs: graceMs(values.grace ?? "10s"),
      logger,
      env: inheritedEnv(),
      user: positionals[0],
      group: "session",
    });
    process.exit(code);
  },
};
