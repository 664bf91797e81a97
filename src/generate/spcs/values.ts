// Reading chart values: plain data from YAML, walked by dotted paths.
export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const get = (o: unknown, path: string): unknown => path.split(".").reduce<unknown>((v, k) => (isObj(v) ? v[k] : undefined), o);
/** A chart value that is "on": not absent, null, false, "" or empty. */
export const isSet = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== false && v !== "" && !(Array.isArray(v) && v.length === 0) && !(isObj(v) && Object.keys(v).length === 0);

