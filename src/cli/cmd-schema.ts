// `foyer schema`: the spec's JSON Schema, for editors (yaml-language-server); with --profile, the
// schema whose `config:` is that product's shape.
import * as z from "zod";
import { productFor } from "../products/registry.js";
import { specSchemaFor } from "../products/spec-schema.js";
import { PROFILES } from "../spec/profiles.js";
import { parseCommandArgs, UsageError, type Command } from "./command.js";

export const schemaCommand: Command = {
  name: "schema",
  help: `usage: foyer schema [--profile NAME]

Prints the JSON Schema (draft 2020-12) of foyer's spec on stdout. Point yaml-language-server at it:
  # yaml-language-server: $schema=./foyer.schema.json
--profile NAME: the schema of a spec with that profile (its \`config:\` is the product's shape).`,
  async run(argv) {
    const { values } = parseCommandArgs("schema", argv, { profile: { type: "string" } });
    if (values.profile !== undefined && !Object.hasOwn(PROFILES, values.profile)) {
      throw new UsageError(`foyer schema: unknown profile ${JSON.stringify(values.profile)}; known: ${Object.keys(PROFILES).join(", ")}`);
    }
    const schema = z.toJSONSchema(specSchemaFor(productFor(values.profile)), { io: "input", unrepresentable: "any" });
    process.stdout.write(JSON.stringify(schema, null, 2) + "\n");
    return 0;
  },
};
