// `foyer plan`: what `foyer init` would do and why, changing nothing; secrets shown as <secret:NAME>.
import { SCOPES } from "../check/index.js";
import { formatPlan, planJson } from "../plan/index.js";
import { SPEC_OPTIONS } from "./context.js";
import { parseCommandArgs, type Command } from "./command.js";
import { prepare } from "./prepare.js";

export const planCommand: Command = {
  name: "plan",
  help: `usage: foyer plan [--spec F] [--json]

Prints each action foyer init would take (write-file, ensure-dir, symlink, chown, chmod, merge-json,
run-command-as-user) with the reason for it, compared with what is on disk now: + create, ~ update
(with a diff), = unchanged. Secret values appear only as <secret:NAME>. Nothing is written.
A plan that could not be applied (a conflict with the disk, any check init would fail) exits 78.

options:
  --spec F          the spec (else $FOYER_SPEC, else /etc/foyer/foyer.yaml)
  --json            print exactly the actions array as JSON (secrets redacted)`,
  async run(argv) {
    const { values } = parseCommandArgs("plan", argv, { ...SPEC_OPTIONS, json: { type: "boolean" } });
    // a plan that cannot be applied (a conflict with the disk, an unknown owner…) is exit 78, like init
    const { loaded, actions, owners, disk, warnings } = await prepare(values, SCOPES.plan);
    for (const w of warnings) process.stderr.write(`foyer: warning: ${loaded.redactor.redact(w)}\n`);
    const text = values.json ? planJson(actions, loaded.redactor) : formatPlan(actions, loaded.redactor, disk && { paths: disk.states, owners, unreachable: disk.hiddenFromOthers });
    process.stdout.write(text);
    return 0;
  },
};
