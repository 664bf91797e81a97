// Load a spec: find it, parse it, merge it over its profile, apply env overrides, validate it and
// resolve its secrets. Collects every issue before failing; touches nothing but reads.
import { readFileSync, existsSync } from "node:fs";
import { ConfigError, type ConfigIssue } from "../errors.js";
import { Redactor } from "../log/index.js";
import { deepMerge, isPlainObject } from "./merge.js";
import { overridesFromEnv } from "./overrides.js";
import { parseYamlSource, type ParsedSource } from "./parse.js";
import { PROFILES } from "./profiles.js";
import type { Spec } from "./schema.js";
import { resolveSecrets, type ReadText, type ResolvedSecrets } from "./secrets.js";
import { didYouMean } from "./suggest.js";
import { findSpecPath } from "./locate.js";
import { validateSpec } from "./validate.js";
import { addSssdMode } from "../users/sssd.js";

/** A validated spec with its secrets; the input of planning and supervision. */
export interface LoadedSpec {
  spec: Spec;
  /** the spec file used, or undefined when running without one */
  specPath: string | undefined;
  secrets: ResolvedSecrets;
  /** masks every secret value in anything printed */
  redactor: Redactor;
}

export interface LoadOptions {
  /** --spec, if given */
  specFlag?: string | undefined;
  env: Record<string, string | undefined>;
  read?: ReadText;
  exists?: (path: string) => boolean;
}

function readSpecSource(path: string | undefined, read: ReadText): ParsedSource {
  if (!path) return parseYamlSource("{}", "(no spec)");
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "is not readable (permission denied)" : `cannot be read (${code})`;
    throw new ConfigError([{ path: "(spec)", message: `spec file ${path} ${why}` }]);
  }
  return parseYamlSource(text, path);
}

function profileSource(name: unknown, issues: ConfigIssue[], locate: ParsedSource["locate"]): ParsedSource | undefined {
  if (name === undefined) return undefined;
  const text = typeof name === "string" ? PROFILES[name] : undefined;
  if (text === undefined) {
    const guess = typeof name === "string" ? didYouMean(name, Object.keys(PROFILES)) : undefined;
    const where = locate(["profile"]);
    issues.push({
      path: "profile",
      message: `unknown profile ${JSON.stringify(name)}${guess ? ` (did you mean "${guess}"?)` : ""}; known: ${Object.keys(PROFILES).join(", ")}`,
      ...(where ? { where } : {}),
    });
    return undefined;
  }
  return parseYamlSource(text, `profiles/${name}.yaml`);
}

/** Load, merge, validate and resolve; throws ConfigError (exit 78) listing every issue. */
export function loadSpec(options: LoadOptions): LoadedSpec {
  const read = options.read ?? ((p: string) => readFileSync(p, "utf8"));
  const exists = options.exists ?? existsSync;
  const specPath = findSpecPath(options.specFlag, options.env, exists);
  const user = readSpecSource(specPath, read);
  if (user.issues.length) throw new ConfigError(user.issues);
  const issues: ConfigIssue[] = [];
  const userData = user.data as Record<string, unknown>;
  const overrides = overridesFromEnv(options.env);
  const profileName = (overrides.profile ?? userData.profile) as unknown;
  const profile = profileSource(profileName, issues, user.locate);
  const merged = deepMerge(deepMerge(profile?.data ?? {}, userData), overrides);
  // An error in a value the user did not write points at the profile (or the env override).
  const locate = (path: readonly PropertyKey[], at?: "key" | "value") => user.locate(path, at) ?? profile?.locate(path, at);
  const { spec, issues: schemaIssues } = validateSpec(isPlainObject(merged) ? merged : {}, locate);
  issues.push(...schemaIssues);
  if (!spec) throw new ConfigError(issues);
  issues.push(...addSssdMode(spec));
  // secrets use their own guarded reader (regular files only, size cap) unless a test injects one
  const { secrets, issues: secretIssues } = resolveSecrets(spec.secrets, options.env, options.read, (path) => locate(path, "key"));
  issues.push(...secretIssues);
  if (issues.length) throw new ConfigError(issues);
  const redactor = new Redactor();
  for (const [name, value] of secrets.values) redactor.add(name, value);
  return { spec, specPath, secrets, redactor };
}
