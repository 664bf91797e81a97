// The licence file's copy, planned like every file foyer writes: from the `license-file` secret
// (the licence layer declared it with the file's path), to where the product reads licence files,
// 0600 for the service user. Pure.
import type { Action } from "../../plan/action.js";
import type { Spec } from "../../spec/schema.js";
import type { LicenceDef } from "./definitions.js";
import { LICENCE_SECRETS } from "./layer.js";

/** The write of the licence file (none without a `license-file` secret with a value). */
export function planLicenceFile(def: LicenceDef, spec: Spec, secrets: ReadonlyMap<string, string>): Action[] {
  const source = spec.secrets[LICENCE_SECRETS.file];
  const value = secrets.get(LICENCE_SECRETS.file);
  if (!source || value === undefined) return [];
  const from = "file" in source ? `, copied from ${source.file}` : "";
  return [
    {
      kind: "write-file",
      path: def.installedFile,
      reason: `the ${def.product} licence file${from}, where the product reads it, for ${def.owner} only`,
      source: `secrets.${LICENCE_SECRETS.file}`,
      // the secret lost the file's final newline when it was read
      content: `${value}\n`,
      mode: 0o600,
      owner: def.owner,
      secret: true,
      format: "content",
    },
  ];
}
