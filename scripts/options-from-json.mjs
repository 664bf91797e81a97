#!/usr/bin/env node
// Print the option table of an rstudio/rstudio options JSON (src/cpp/server/server-options.json,
// src/cpp/session/session-options.json) in the form of src/products/workbench/options/*.ts, to
// refresh the OSS tables there when the JSON changes:
//   node scripts/options-from-json.mjs path/to/server-options.json > /tmp/table.ts
// Types: the option's `tempType` when it has one (what the text is read as), else its `type`;
// `bool` → bool, `int` / `unsigned int` → int, anything else (string, core::FilePath, lists,
// enums) → string, as the catalogs say. Hidden and deprecated options are kept: the
// product still reads them.
import { readFileSync } from "node:fs";

/** name → type, in the JSON's order. */
export function optionTable(json) {
  const table = {};
  for (const group of Object.values(json.options ?? {})) {
    for (const option of group) {
      const name = typeof option.name === "string" ? option.name : option.name?.value;
      if (typeof name !== "string") throw new Error(`option without a name: ${JSON.stringify(option).slice(0, 80)}`);
      // `tempType` is what the text is parsed as before conversion (auth-minimum-user-id: "auto")
      const type = option.tempType ?? option.type;
      table[name] = type === "bool" ? "bool" : type === "int" || type === "unsigned int" ? "int" : "string";
    }
  }
  return table;
}

export function formatTable(table) {
  const key = (k) => (/^[a-z][a-zA-Z0-9]*$/.test(k) ? k : JSON.stringify(k));
  return `const OSS: OptionTable = {\n${Object.entries(table).map(([k, t]) => `  ${key(k)}: "${t}",`).join("\n")}\n};\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write("usage: node scripts/options-from-json.mjs OPTIONS.json\n");
    process.exit(2);
  }
  process.stdout.write(formatTable(optionTable(JSON.parse(readFileSync(path, "utf8")))));
}
