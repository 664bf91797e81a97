// The list of subcommands, in the order `foyer --help` shows them. Each lives in its own file.
import type { Command } from "./command.js";
import { schemaCommand } from "./cmd-schema.js";

export const COMMANDS: Command[] = [schemaCommand];
