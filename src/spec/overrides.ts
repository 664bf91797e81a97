// Environment overrides of the spec: FOYER__a__b__c=value sets spec path a.b.c (the value is read
// as a YAML scalar, so "8787" is a number and "true" a boolean), like Helm's --set for containers.
import { parse as parseYamlScalar } from "yaml";
import { isPlainObject } from "./merge.js";

export const OVERRIDE_PREFIX = "FOYER__";

/** Nested data made from FOYER__* variables (empty object if none). */
export function overridesFromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(OVERRIDE_PREFIX) || raw === undefined) continue;
    const keys = name.slice(OVERRIDE_PREFIX.length).split("__").filter(Boolean);
    if (keys.length === 0) continue;
    let node = out;
    for (const key of keys.slice(0, -1)) {
      if (!isPlainObject(node[key])) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    let value: unknown = raw;
    try {
      value = parseYamlScalar(raw);
    } catch {
      /* not YAML: keep the string */
    }
    node[keys[keys.length - 1]!] = value;
  }
  return out;
}
