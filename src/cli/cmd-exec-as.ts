// `foyer exec-as USER[:GROUP] -- CMD`: gosu-like. Also hosts the hidden trampoline mode
// (`exec-as __exec`) through which the Spawner starts every user-switched program.
import { runMain, runTrampoline, TRAMPOLINE_ARGV } from "../pid1/index.js";
import { graceMs, inheritedEnv } from "./cmd-run.js";
import { cliLogger } from "./log-flags.js";
import { parseCommandArgs, splitCommandLine, UsageError, type Command } from "./command.js";

const EXEC_AS_OPTIONS = { grace: { type: "string" } } as const;

export const execAsCommand: Command = {
  name: "exec-as",
  help: `usage: foyer exec-as [--grace 10s] USER[:GROUP] [--] CMD ARGS...

Runs CMD as USER like gosu, but complete: uid, primary gid (GROUP if given) and ALL supplementary
groups from the group database (NSS: files, sssd, LDAP), HOME, USER, LOGNAME and SHELL from passwd,
a new session (setsid: CMD cannot push keystrokes into this terminal), no capability left.
USER may be a numeric uid without a passwd entry (then gid 0 unless given, HOME=/).
foyer stays as CMD's parent: it forwards signals, reaps orphans, and exits with CMD's code
(126 if the switch or exec failed, 127 if CMD was not found). Not root: only USER = yourself works.
The '--' is optional (like gosu): everything after USER is CMD's.

options:
  --grace D         time between SIGTERM and SIGKILL for what CMD leaves behind (default 10s)`,
  ownArgs: (argv) => splitCommandLine(argv, EXEC_AS_OPTIONS, 1).own,
  async run(argv) {
    if (argv.length === 1 && argv[0] === TRAMPOLINE_ARGV[1]) process.exit(runTrampoline());
    const { own, cmd } = splitCommandLine(argv, EXEC_AS_OPTIONS, 1);
    const { values, positionals } = parseCommandArgs("exec-as", own, EXEC_AS_OPTIONS, true);
    if (positionals.length !== 1 || !cmd || cmd.length === 0) {
      throw new UsageError("usage: foyer exec-as USER[:GROUP] [--] CMD ARGS...");
    }
    const grace = graceMs(values.grace ?? "10s", "exec-as");
    const logger = cliLogger(values["log-level"] ?? "warn", values["log-format"]);
    const code = await runMain(cmd, {
      graceMs: grace,
      logger,
      env: inheritedEnv(),
      user: positionals[0],
      group: "session",
      exactArgv: true,
    });
    process.exit(code);
  },
};
