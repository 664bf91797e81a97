// `foyer plan`: what `foyer init` would do and why, changing nothing; secrets shown as <secret:NAME>.
import { formatPlan, observe, planJson } from "../plan/index.js";
import { loadFromFlags, SPEC_OPTIONS } from "./context.js";
import { parseCommandArgs, type Command } from "./command.js";
import { prepare } from "./prepare.js";

export const planCommand: Command = {
  name: "plan",
  help: `usage: foyer plan [--spec F] [--json]

Prints each action foyer init would take (write-file, ensure-dir, symlink, chown, chmod, merge-json,
run-command-as-user) with the reason for it, compared with what is on disk now: + create, ~ update
(with a diff), = unchanged. Secret values appear only as <secret:NAME>. Nothing is written.

options:
  --spec F          the spec (else $FOYER_SPEC, else /etc/foyer/foyer.yaml)
  --json            print exactly the actions array as JSON (secrets redacted)`,
  async run(argv) {
    const { values } = parseCommandArgs("plan", argv, { ...SPEC_OPTIONS, json: { type: "boolean" } });
    const { loaded, actions, users } = prepare(loadFromFlags(values), process.env);
    const text = values.json ? planJson(actions, loaded.redactor) : formatPlan(actions, loaded.redactor, observe(actions, users));
    process.stdout.write(text);
    return 0;
  },
};
