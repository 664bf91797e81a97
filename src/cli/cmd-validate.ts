// `foyer validate`: the spec, the env, the secrets and every file it would render; exit 0 or 78.
import { SCOPES } from "../check/index.js";
import { configError } from "../errors.js";
import { findSpecPath } from "../spec/locate.js";
import { makeLogger, SPEC_OPTIONS } from "./context.js";
import { parseCommandArgs, type Command } from "./command.js";
import { prepare } from "./prepare.js";

export const validateCommand: Command = {
  name: "validate",
  help: `usage: foyer validate [--spec F] [--strict]

Loads the spec (merged over its profile, with FOYER__ env overrides), resolves its secrets, renders
every file it would write and checks everything 'foyer run' would reject: users of programs, hooks
and files, secrets programs ask for, modes, paths against the disk, hook and cwd directories, the
health port, program dependencies. Prints every problem at once with its place (spec path and
file:line:col, or the FOYER__ variable) and exits 78; exits 0 when all is well. Nothing is written.
Warnings (an option name the product does not know, what a startup file loses in translation) are
printed on stderr and do not fail, unless --strict.

options:
  --spec F          the spec (else $FOYER_SPEC, else /etc/foyer/foyer.yaml)
  --strict          warnings are errors (exit 78)
  --log-level L     debug|info|warn|error
  --log-format F    text|json`,
  async run(argv) {
    const { values } = parseCommandArgs("validate", argv, { ...SPEC_OPTIONS, strict: { type: "boolean" } });
    // "valid" about no spec at all would be a lie: say where foyer looked
    if (findSpecPath(values.spec, process.env) === undefined) {
      throw configError("(spec)", "no spec found: give --spec F, set $FOYER_SPEC, or create /etc/foyer/foyer.yaml");
    }
    const { loaded, actions } = await prepare(values, values.strict ? { ...SCOPES.validate, strict: true } : SCOPES.validate);
    const programs = Object.keys(loaded.spec.programs).length;
    const logger = makeLogger(values, loaded);
    logger.info(`${loaded.specPath ?? "(no spec)"} is valid: ${actions.length} action(s), ${programs} program(s)`);
    return 0;
  },
};
