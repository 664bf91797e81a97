// scripts/options-from-json.mjs: the rstudio options JSON → the catalog's OSS table.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");

describe("scripts/options-from-json.mjs", () => {
  it("maps names (plain or {constant, value}) and C++ types (tempType first) to the catalog's types, in order", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/options-from-json.mjs"), join(ROOT, "test/fixtures/options-json/sample-options.json")], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        "const OSS: OptionTable = {",
        '  "verify-installation": "bool",',
        '  "session-timeout-minutes": "int",',
        '  "session-preflight-script": "string",',
        '  "auth-minimum-user-id": "string",',
        '  "www-allow-origin": "string",',
        '  version: "bool",',
        "};",
        "",
      ].join("\n"),
    );
  });

  it("without a file it is a usage error", () => {
    expect(spawnSync(process.execPath, [join(ROOT, "scripts/options-from-json.mjs")], { encoding: "utf8" }).status).toBe(2);
  });
});
