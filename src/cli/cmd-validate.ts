// `foyer validate`: the spec, the env, the secrets and every file it would render; exit 0 or 78.
import { configError } from "../errors.js";
import { findSpecPath } from "../spec/locate.js";
import { makeLogger, loadFromFlags, SPEC_OPTIONS } from "./context.js";
import { parseCommandArgs, type Command } from "./command.js";
import { prepare } from "./prepare.js";

export const validateCommand: Command = {
  name: "validate",
  help: `usage: foyer validate [--spec F]

Loads the spec (merged over its profile, with FOYER__ env overrides), resolves its secrets, renders
every file it would write and checks owners, modes, paths and program dependencies. Prints every
problem at once with its place (spec path and file:line:col) and exits 78; exits 0 when all is well.
Nothing is written.

options:
  --spec F          the spec (else $FOYER_SPEC, else /etc/foyer/foyer.yaml)
  --log-level L     debug|info|warn|error
  --log-format F    text|json`,
  async run(argv) {
    const { values } = parseCommandArgs("validate", argv, SPEC_OPTIONS);
    // nothing to validate is not "valid": a typo in $FOYER_SPEC's name must not pass a CI check
    if (findSpecPath(values.spec, process.env) === undefined) throw configError("(spec)", "no spec found: --spec, $FOYER_SPEC, /etc/foyer/foyer.yaml");
    const loaded = loadFromFlags(values);
    const { actions } = prepare(loaded, process.env);
    const programs = Object.keys(loaded.spec.programs).length;
    makeLogger(values, loaded).info(`${loaded.specPath ?? "(no spec)"} is valid: ${actions.length} action(s), ${programs} program(s)`);
    return 0;
  },
};
