// Lays a product's licence over the merged spec data (profile + spec + overrides), before the
// schema sees it: the spec can still shape the licence oneshot (`programs.license: {stop: …}`
// is merged over it), but cannot lose it by writing its own `after:` lists, which merging would
// replace.
import { deepMerge, isPlainObject } from "../../spec/merge.js";
import type { EnvLayer } from "../product.js";
import type { LicenceDef } from "./definitions.js";
import { LICENCE_PROGRAM, licenceLayer, type LicenceInput, type LicenceLayer } from "./layer.js";

/** The merged data with the licence laid over it, and the layer (its env vars leave every program's env). */
export function applyLicence(data: Record<string, unknown>, def: LicenceDef, input: Omit<LicenceInput, "declared">): { data: Record<string, unknown>; layer: LicenceLayer } {
  const secrets = isPlainObject(data.secrets) ? data.secrets : {};
  const layer = licenceLayer(def, { ...input, declared: new Set(Object.keys(secrets)) });
  const out: Record<string, unknown> = { ...data };
  if (Object.keys(layer.secrets).length) out.secrets = { ...layer.secrets, ...secrets };
  if (layer.program && isPlainObject(data.programs ?? {})) {
    const programs: Record<string, unknown> = { ...((data.programs ?? {}) as Record<string, unknown>) };
    programs[LICENCE_PROGRAM] = deepMerge(layer.program, programs[LICENCE_PROGRAM]);
    for (const server of def.servers) {
      const p = programs[server];
      if (!isPlainObject(p)) continue;
      const after = Array.isArray(p.after) ? p.after : [];
      if (!after.includes(LICENCE_PROGRAM)) programs[server] = { ...p, after: [...after, LICENCE_PROGRAM] };
    }
    out.programs = programs;
  }
  return { data: out, layer };
}

/** The licence as an environment layer (the loader folds it before the product's own). */
export function licenceEnvLayer(def: LicenceDef): EnvLayer {
  return (data, env, io) => {
    const { data: out, layer } = applyLicence(data, def, { env, exists: io.exists });
    return { data: out, issues: [], keptFromPrograms: layer.envVars };
  };
}
