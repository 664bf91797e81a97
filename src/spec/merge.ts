// Deep merge of a profile preset under the user's spec: maps merge key by key, everything else
// (scalars, lists) is replaced by the spec's value, and `null` in the spec removes the preset's key.

/** True for plain objects (YAML mappings). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `over` merged onto `base`; neither input is modified. Key order: base's keys, then new keys. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete out[key];
    else out[key] = key in base ? deepMerge(base[key], value) : value;
  }
  return out;
}
