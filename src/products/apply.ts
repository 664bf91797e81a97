// A product's additions (its programs and secret sources) laid into a validated spec. Pure: a new
// spec and the issues. A name the spec already uses is an issue, not a silent override: the user
// renames one of them (or drops the product's source of it).
import * as z from "zod";
import type { ConfigIssue } from "../errors.js";
import { ProgramSchema, SecretSourceSchema, type Spec } from "../spec/schema.js";
import type { ProductAdditions } from "./product.js";

/** The spec with the additions' programs and secrets, each validated by the spec's own schemas. */
export function applyAdditions(spec: Spec, additions: ProductAdditions, source: string): { spec: Spec; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [...additions.issues];
  const programs = { ...spec.programs };
  for (const [name, input] of Object.entries(additions.programs)) {
    if (Object.hasOwn(programs, name)) {
      issues.push({ path: `programs.${name}`, message: `program "${name}" is also made by ${source}; rename one of them` });
      continue;
    }
    const parsed = ProgramSchema.safeParse(input);
    if (parsed.success) programs[name] = parsed.data;
    else issues.push(...zodIssues(parsed.error, `programs.${name}`, `the program ${source} makes`));
  }
  const secrets = { ...spec.secrets };
  for (const [name, input] of Object.entries(additions.secrets)) {
    if (Object.hasOwn(secrets, name)) {
      issues.push({ path: `secrets.${name}`, message: `secret "${name}" is also declared by ${source}; rename one of them` });
      continue;
    }
    const parsed = SecretSourceSchema.safeParse(input);
    if (parsed.success) secrets[name] = parsed.data;
    else issues.push(...zodIssues(parsed.error, `secrets.${name}`, `the secret ${source} declares`));
  }
  return { spec: { ...spec, programs, secrets }, issues };
}

function zodIssues(error: z.ZodError, path: string, what: string): ConfigIssue[] {
  return error.issues.map((i) => ({ path: [path, ...i.path.map(String)].join("."), message: `${what}: ${i.message}` }));
}
