// Deep merge of a profile preset under the user's spec: maps merge key by key, everything else
// (scalars, lists) is replaced by the spec's value, and `null` in the spec removes the preset's key.
// A null that removes nothing (`programs:` with nothing under it, `hooks: ~`) is a mistake, not a
// no-op: it is reported through `onStrayNull` (and left out).

/** True for plain objects (YAML mappings). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Told the path of each null that has no preset value to remove. */
export type StrayNull = (path: PropertyKey[]) => void;

/** `over` merged onto `base`; neither input is modified. Key order: base's keys, then new keys. */
export function deepMerge(base: unknown, over: unknown, onStrayNull?: StrayNull, at: PropertyKey[] = []): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : withoutNulls(over, onStrayNull, at);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) {
      if (Object.hasOwn(base, key) && base[key] !== undefined) delete out[key];
      else onStrayNull?.([...at, key]);
    } else out[key] = Object.hasOwn(base, key) ? deepMerge(base[key], value, onStrayNull, [...at, key]) : withoutNulls(value, onStrayNull, [...at, key]);
  }
  return out;
}

// A new subtree (nothing under it in the preset): every null in its maps is stray.
function withoutNulls(value: unknown, onStrayNull: StrayNull | undefined, at: PropertyKey[]): unknown {
  if (!onStrayNull) return value;
  if (Array.isArray(value)) return value.map((v, i) => withoutNulls(v, onStrayNull, [...at, i]));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null) onStrayNull([...at, key]);
    else out[key] = withoutNulls(v, onStrayNull, [...at, key]);
  }
  return out;
}
