// `foyer render --out DIR`: only the rendered config files, under DIR, for review and CI.
import { renderTo } from "../plan/index.js";
import { SCOPES } from "../check/index.js";
import { makeLogger, SPEC_OPTIONS } from "./context.js";
import { parseCommandArgs, UsageError, type Command } from "./command.js";
import { prepare } from "./prepare.js";

export const renderCommand: Command = {
  name: "render",
  help: `usage: foyer render [--spec F] --out DIR [--redact]

Writes every file the plan would write, under DIR at its absolute path (DIR/etc/rstudio/rserver.conf),
with the planned mode (a secret file with real values: 0600), owned by you. Validates first: exit 78
and nothing written on any problem.

DIR must be absent (it is made) or a real directory, not a symbolic link, owned by you and
not writable by group or others. No link beneath DIR is followed: a link, FIFO or directory where a
file goes is refused.

options:
  --spec F          the spec (else $FOYER_SPEC, else /etc/foyer/foyer.yaml)
  --out DIR         where to write (required)
  --redact          write <secret:NAME> instead of secret values (for sharing the output)`,
  async run(argv) {
    const { values } = parseCommandArgs("render", argv, { ...SPEC_OPTIONS, out: { type: "string" }, redact: { type: "boolean" } });
    if (!values.out) throw new UsageError("foyer render: --out DIR is required");
    const { loaded, actions } = await prepare(values, SCOPES.render);
    const { written } = renderTo(actions, values.out, values.redact ? { redactor: loaded.redactor } : {});
    makeLogger(values, loaded).info(`rendered ${written.length} file(s) under ${values.out}`);
    return 0;
  },
};
