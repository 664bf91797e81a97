// Spec data → typed Spec, or every problem at once, each with its path, position and a did-you-mean.
import * as z from "zod";
import type { ConfigIssue } from "../errors.js";
import { SpecSchema, type Spec } from "./schema.js";
import { didYouMean } from "./suggest.js";

/** Where to find a path in the sources that made up the merged data. */
export type Locator = (path: readonly PropertyKey[], at?: "key" | "value") => string | undefined;

/** Dotted path with [n] for list indexes: programs.rserver.stop.grace, files[2].path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "");
}

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
};

const alternatives = (x: JsonSchema): JsonSchema[] => [x, ...(x.anyOf ?? []).flatMap(alternatives), ...(x.oneOf ?? []).flatMap(alternatives)];

/** The schema nodes at a path (all union branches). */
function nodesAt(root: JsonSchema, path: readonly PropertyKey[]): JsonSchema[] {
  let nodes: JsonSchema[] = [root];
  for (const key of path) {
    const next: JsonSchema[] = [];
    for (const n of nodes.flatMap(alternatives)) {
      if ((typeof key === "number" || /^\d+$/.test(String(key))) && n.items) next.push(n.items);
      else if (n.properties?.[String(key)]) next.push(n.properties[String(key)]!);
      else if (typeof n.additionalProperties === "object") next.push(n.additionalProperties);
    }
    nodes = next;
  }
  return nodes.flatMap(alternatives);
}

/** The keys the schema allows at a path (for did-you-mean); empty if it cannot tell. */
function knownKeysAt(root: JsonSchema, path: readonly PropertyKey[]): string[] {
  return nodesAt(root, path).flatMap((n) => Object.keys(n.properties ?? {}));
}

/** The JSON types the field at `path` accepts; undefined when unknown or anything goes. */
export function fieldTypesAt(path: readonly string[]): ReadonlySet<string> | undefined {
  const nodes = nodesAt(jsonSchema(), path);
  const types = new Set<string>();
  for (const n of nodes) {
    const own = n.type ?? (n.const !== undefined ? typeof n.const : n.enum?.length ? typeof n.enum[0] : undefined);
    if (own === undefined) {
      if (!n.anyOf && !n.oneOf) return undefined; // {}: any value
      continue;
    }
    for (const t of Array.isArray(own) ? own : [own]) types.add(t === "integer" ? "number" : t);
  }
  return types.size ? types : undefined;
}

const jsonSchemas = new WeakMap<z.ZodType, JsonSchema>();
function jsonSchema(schema: z.ZodType = SpecSchema): JsonSchema {
  let json = jsonSchemas.get(schema);
  if (!json) {
    json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    jsonSchemas.set(schema, json);
  }
  return json;
}

/** One zod issue → one or more ConfigIssues (unknown keys get one issue each, with a suggestion). */
function toConfigIssues(issue: z.core.$ZodIssue, locate: Locator, schema: z.ZodType): ConfigIssue[] {
  const where = (p: readonly PropertyKey[], at?: "key" | "value") => {
    const w = locate(p, at);
    return w ? { where: w } : {};
  };
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(jsonSchema(schema), issue.path);
    return issue.keys.map((key) => {
      const guess = didYouMean(key, known);
      const hint = guess ? ` (did you mean "${guess}"?)` : known.length ? ` (allowed: ${known.join(", ")})` : "";
      return { path: formatPath([...issue.path, key]), message: `unknown key "${key}"${hint}`, ...where([...issue.path, key], "key") };
    });
  }
  if (issue.code === "invalid_union") {
    // Report the branch whose shape matched (not a plain type mismatch), with the fewest issues:
    // `init: {dir, onFailure: ignore}` should talk about onFailure, not "expected string".
    const shapeMatched = (b: z.core.$ZodIssue[]) => !b.every((i) => i.code === "invalid_type" && i.path.length === 0);
    const best = issue.errors.filter((b) => b.length > 0 && shapeMatched(b)).sort((a, b) => a.length - b.length)[0];
    if (best) return best.flatMap((i) => toConfigIssues({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue, locate, schema));
    const expected = issue.errors.flatMap((b) => b.map((i) => (i.code === "invalid_type" ? i.expected : undefined))).filter(Boolean);
    if (expected.length) return [{ path: formatPath(issue.path), message: `expected ${[...new Set(expected)].join(" or ")}`, ...where(issue.path) }];
  }
  if (issue.code === "invalid_key") {
    // a record key that fails its pattern: the pattern's message says what names are allowed
    const inner = issue.issues.map((i) => i.message).join("; ");
    return [{ path: formatPath(issue.path), message: `invalid name: ${inner}`, ...where(issue.path, "key") }];
  }
  return [{ path: formatPath(issue.path), message: issue.message, ...where(issue.path) }];
}

/**
 * Validate merged spec data (with the product's schema when given). When it fails, the top-level sections that failed (`failed`) are left
 * out and the rest is validated again: `partial` is then a typed spec with those sections at their
 * defaults, so the later checks can still report the other sections' problems in the same run.
 */
export function validateSpec(
  data: unknown,
  locate: Locator,
  schema: z.ZodType = SpecSchema,
): { spec?: Spec; partial?: Spec; failed?: ReadonlySet<string>; issues: ConfigIssue[] } {
  const result = schema.safeParse(data);
  if (result.success) return { spec: result.data as Spec, issues: [] };
  const issues = result.error.issues.flatMap((i) => toConfigIssues(i, locate, schema));
  // a top-level key that is unknown is failed itself; any other issue fails the section it is in
  const failed = new Set(result.error.issues.flatMap((i) => (i.path.length ? [String(i.path[0])] : i.code === "unrecognized_keys" ? i.keys : [])));
  if (typeof data !== "object" || data === null || failed.size === 0) return { issues };
  const rest = Object.fromEntries(Object.entries(data).filter(([k]) => !failed.has(k)));
  const retry = schema.safeParse(rest);
  return retry.success ? { partial: retry.data as Spec, failed, issues } : { issues };
}
