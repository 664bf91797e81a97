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

type JsonSchema = { properties?: Record<string, JsonSchema>; additionalProperties?: JsonSchema | boolean; anyOf?: JsonSchema[]; items?: JsonSchema };

/** The keys the schema allows at a path (for did-you-mean); empty if it cannot tell. */
function knownKeysAt(root: JsonSchema, path: readonly PropertyKey[]): string[] {
  let nodes: JsonSchema[] = [root];
  for (const key of path) {
    const next: JsonSchema[] = [];
    for (const n of nodes.flatMap((x) => [x, ...(x.anyOf ?? [])])) {
      if (typeof key === "number" && n.items) next.push(n.items);
      else if (typeof key === "string" && n.properties?.[key]) next.push(n.properties[key]);
      else if (typeof key === "string" && typeof n.additionalProperties === "object") next.push(n.additionalProperties);
    }
    nodes = next;
  }
  return nodes.flatMap((x) => [x, ...(x.anyOf ?? [])]).flatMap((n) => Object.keys(n.properties ?? {}));
}

let cachedJsonSchema: JsonSchema | undefined;
function jsonSchema(): JsonSchema {
  cachedJsonSchema ??= z.toJSONSchema(SpecSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return cachedJsonSchema;
}

/** One zod issue → one or more ConfigIssues (unknown keys get one issue each, with a suggestion). */
function toConfigIssues(issue: z.core.$ZodIssue, locate: Locator): ConfigIssue[] {
  const where = (p: readonly PropertyKey[], at?: "key" | "value") => {
    const w = locate(p, at);
    return w ? { where: w } : {};
  };
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(jsonSchema(), issue.path);
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
    if (best) return best.flatMap((i) => toConfigIssues({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue, locate));
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

/** Validate merged spec data. */
export function validateSpec(data: unknown, locate: Locator): { spec?: Spec; issues: ConfigIssue[] } {
  const result = SpecSchema.safeParse(data);
  if (result.success) return { spec: result.data, issues: [] };
  return { issues: result.error.issues.flatMap((i) => toConfigIssues(i, locate)) };
}
