// `foyer schema`: the spec's JSON Schema, for editors (yaml-language-server).
import * as z from "zod";
import { SpecSchema } from "../spec/schema.js";
import { parseCommandArgs, type Command } from "./command.js";

export const schemaCommand: Command = {
  name: "schema",
  help: `usage: foyer schema

Prints the JSON Schema (draft 2020-12) of foyer's spec on stdout. Point yaml-language-server at it:
  # yaml-language-server: $schema=./foyer.schema.json`,
  async run(argv) {
    parseCommandArgs("schema", argv, {});
    const schema = z.toJSONSchema(SpecSchema, { io: "input", unrepresentable: "any" });
    process.stdout.write(JSON.stringify(schema, null, 2) + "\n");
    return 0;
  },
};
