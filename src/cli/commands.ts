// The list of subcommands, in the order `foyer --help` shows them. Each lives in its own file and is
// loaded only when called: `foyer run -- CMD` as PID 1 must not pay for zod, yaml and handlebars
// (esbuild keeps dynamically imported modules unevaluated until the import runs).
import type { Command } from "./command.js";

/** A command's name and one-line summary, and how to load the rest. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: CommandEntry[] = [
  { name: "run", summary: "prepare the container and supervise it as PID 1 (or: run -- CMD, like tini -g)", load: () => import("./cmd-run.js").then((m) => m.runCommand) },
  { name: "init", summary: "validate and apply the spec (files, dirs, owners), then exit", load: () => import("./cmd-init.js").then((m) => m.initCommand) },
  { name: "plan", summary: "print the actions init would take, and why; change nothing", load: () => import("./cmd-plan.js").then((m) => m.planCommand) },
  { name: "validate", summary: "check the spec, env, secrets and rendered files; exit 0 or 78", load: () => import("./cmd-validate.js").then((m) => m.validateCommand) },
  { name: "render", summary: "write only the rendered files under --out DIR (review, CI, Helm/SPCS)", load: () => import("./cmd-render.js").then((m) => m.renderCommand) },
  { name: "launcher-profile", summary: "explain U: each Job Launcher profile option a user gets, and the section it came from", load: () => import("./cmd-launcher-profile.js").then((m) => m.launcherProfileCommand) },
  { name: "users", summary: "users sync: provision accounts from static, test-user and LDAP sources", load: () => import("./cmd-users.js").then((m) => m.usersCommand) },
  { name: "ctl", summary: "status | start P | stop P | restart P of a running foyer", load: () => import("./cmd-ctl.js").then((m) => m.ctlCommand) },
  { name: "exec-as", summary: "run CMD as USER (uid, gid, supplementary groups, HOME) in a new session", load: () => import("./cmd-exec-as.js").then((m) => m.execAsCommand) },
  { name: "schema", summary: "print the JSON Schema of the spec (for editors)", load: () => import("./cmd-schema.js").then((m) => m.schemaCommand) },
];
