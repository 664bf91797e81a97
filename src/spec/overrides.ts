// Environment overrides of the spec: FOYER__a__b__c=value sets spec path a.b.c, like Helm's --set
// for containers. The value is read as a YAML scalar ("8787" a number, "true" a boolean), except
// where the field takes text: `user: 1000`, `env.DEBUG: "true"` and `env.JAVA_OPTS: "-Xmx1g #gc"`
// get the text as written (and a mode "0644" stays octal), so an override means what the same
// value quoted in the file means.
import { parse as parseYamlScalar } from "yaml";
import { isPlainObject } from "./merge.js";

export const OVERRIDE_PREFIX = "FOYER__";

/** The JSON types a spec field accepts ("string", "number", "boolean"…), or undefined if any/unknown. */
export type FieldTypes = (path: readonly string[]) => ReadonlySet<string> | undefined;

/** The override data and which variable set which path (so errors can name the variable). */
export interface Overrides {
  data: Record<string, unknown>;
  vars: Array<{ keys: string[]; name: string }>;
  /** variables not used: their path is deeper than any spec field (MAX_OVERRIDE_DEPTH) */
  tooDeep: string[];
}

/**
 * No spec field lies deeper than this (config maps included); a variable naming a deeper path is
 * a mistake, and tens of thousands of levels would overflow the stack of every recursive walk.
 */
export const MAX_OVERRIDE_DEPTH = 32;

/** Nested data made from FOYER__* variables (empty if none), values coerced to the field's type. */
export function overridesFromEnv(env: Record<string, string | undefined>, typesAt: FieldTypes = () => undefined): Overrides {
  const data: Record<string, unknown> = {};
  const vars: Overrides["vars"] = [];
  const tooDeep: string[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(OVERRIDE_PREFIX) || raw === undefined) continue;
    const keys = name.slice(OVERRIDE_PREFIX.length).split("__").filter(Boolean);
    if (keys.length === 0) continue;
    if (keys.length > MAX_OVERRIDE_DEPTH) {
      tooDeep.push(name);
      continue;
    }
    let node = data;
    for (const key of keys.slice(0, -1)) {
      if (!isPlainObject(node[key])) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = coerce(raw, typesAt(keys));
    vars.push({ keys, name });
  }
  return { data, vars, tooDeep };
}

function coerce(raw: string, types: ReadonlySet<string> | undefined): unknown {
  let value: unknown;
  try {
    value = parseYamlScalar(raw);
  } catch {
    return raw; // not YAML: the text itself
  }
  if (!types?.has("string")) return value;
  // a field that takes text gets the text as written, as the same value quoted in the file would:
  // YAML would read a number ("0644" must stay octal), cut a ` #comment` (JAVA_OPTS), turn `a: b`
  // into a map, `- x` into a list, an empty value into null, and drop quotes, tags and `&anchors`.
  // Only a boolean, list or map the field also takes is read as YAML.
  const kind = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  return kind !== "string" && kind !== "number" && types.has(kind) ? value : raw;
}

/** The variable that set `path` or one of its parents (the closest), if any. */
export function overrideVarFor(vars: Overrides["vars"], path: readonly PropertyKey[]): string | undefined {
  let best: { keys: string[]; name: string } | undefined;
  for (const v of vars) {
    if (v.keys.length <= path.length && v.keys.every((k, i) => k === String(path[i])) && (!best || v.keys.length > best.keys.length)) best = v;
  }
  return best?.name;
}

/** A variable that sets something below `path` (for an error about a map the override created). */
export function overrideVarBelow(vars: Overrides["vars"], path: readonly PropertyKey[]): string | undefined {
  return vars.find((v) => v.keys.length > path.length && path.every((k, i) => String(k) === v.keys[i]))?.name;
}
