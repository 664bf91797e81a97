// `foyer plan`: what `foyer init` would do and why, changing nothing; secrets shown as <secret:NAME>.
import { SCOPES } from "../check/index.js";
import { formatPlan, planJson } from "../plan/index.js";
import { SPEC_OPTIONS } from "./context.js";
import { parseCommandArgs, type Command } from "./command.js";
import { prepare } from "./prepare.js";
import type { AccountList } from "../users/index.js";

/** What the users sync (before the actions) will provision, as far as it is known offline. */
function usersStep(accounts: AccountList, online: readonly string[]): string {
  if (accounts.users.length + accounts.groups.length + online.length === 0) return "";
  const known = [...accounts.users.map((u) => `user ${u.name} (uid ${u.uid})`), ...accounts.groups.map((g) => `group ${g.name} (gid ${g.gid})`)];
  const lines = [`• users sync (before the actions, under /etc/.pwd.lock): ${known.length ? known.join(", ") : "no account known before the sync"}`];
  if (online.length) lines.push(`    and the accounts of ${online.join(", ")}, fetched by the sync`);
  return `${lines.join("\n")}\n`;
}

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
    const { loaded, actions, owners, disk, expectedAccounts, onlineSources } = await prepare(values, SCOPES.plan);
    const text = values.json ? planJson(actions, loaded.redactor) : formatPlan(actions, loaded.redactor, disk && { paths: disk.states, owners, unreachable: disk.hiddenFromOthers });
    process.stdout.write(values.json ? text : usersStep(expectedAccounts, onlineSources) + text);
    return 0;
  },
};
