// The list of subcommands, in the order `foyer --help` shows them. Each lives in its own file.
import type { Command } from "./command.js";
import { schemaCommand } from "./cmd-schema.js";
import { runCommand } from "./cmd-run.js";
import { execAsCommand } from "./cmd-exec-as.js";
import { ctlCommand } from "./cmd-ctl.js";
import { validateCommand } from "./cmd-validate.js";
import { planCommand } from "./cmd-plan.js";
import { initCommand } from "./cmd-init.js";
import { renderCommand } from "./cmd-render.js";

export const COMMANDS: Command[] = [
  runCommand,
  initCommand,
  planCommand,
  validateCommand,
  renderCommand,
  ctlCommand,
  execAsCommand,
  schemaCommand,
];
