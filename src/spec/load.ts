// Load a spec: find it, parse it, merge it over its profile, apply env overrides, validate it and
// resolve its secrets. Collects every issue before failing; touches nothing but reads.
import { existsSync } from "node:fs";
import { ConfigError, type ConfigIssue } from "../errors.js";
import { Redactor } from "../log/index.js";
import { envLayersOf } from "../products/env-layers.js";
import { deepMerge, isPlainObject } from "./merge.js";
import { MAX_OVERRIDE_DEPTH, overridesFromEnv, overrideVarBelow, overrideVarFor, type Overrides } from "./overrides.js";
import { parseYamlSource, type ParsedSource } from "./parse.js";
import { PROFILES } from "./profiles.js";
import type { Spec } from "./schema.js";
import { resolveSecrets, tooShort, type ReadText, type ResolvedSecrets } from "./secrets.js";
import { didYouMean } from "./suggest.js";
import { findSpecPath } from "./locate.js";
import { fieldTypesAt, formatPath, validateSpec, type Locator } from "./validate.js";
import { readUtf8File } from "./utf8.js";
import { addSssdMode } from "../users/sssd.js";
import { testUserPassword } from "../users/test-user-password.js";
import { addUsersSyncProgram } from "../users/sync-program.js";
import { selfCommand } from "../pid1/runtime.js";
import { systemSssdReads, type SssdReads } from "../users/sssd-reads.js";
import { applyAdditions } from "../products/apply.js";
import type { Product, ProductAdditions } from "../products/product.js";
import { productFor } from "../products/registry.js";
import { specSchemaFor } from "../products/spec-schema.js";

/** A validated spec with its secrets; the input of planning and supervision. */
export interface LoadedSpec {
  spec: Spec;
  /** the spec file used, or undefined when running without one */
  specPath: string | undefined;
  secrets: ResolvedSecrets;
  /** masks every secret value in anything printed */
  redactor: Redactor;
  /** "file:line:col" (or "env FOYER__…") of a dotted spec path like `files[2].owner`, if known */
  whereIs(path: string): string | undefined;
  /** who wrote the value at a path: the spec file, an env override, or the profile */
  origin(path: readonly PropertyKey[]): "spec" | "env" | "profile" | undefined;
  /** the profile's product (the generic one without a profile) */
  product: Product;
  /** what is worth saying but not fatal (`validate --strict` makes them errors) */
  warnings: ConfigIssue[];
  /**
   * Top-level sections that failed the schema and stand at their defaults here (only from
   * loadSpecCollecting, which then also returns their issues): checks that read them are skipped.
   */
  incomplete?: ReadonlySet<string>;
}

export interface LoadOptions {
  /** --spec, if given */
  specFlag?: string | undefined;
  env: Record<string, string | undefined>;
  /**
   * variables of `env` whose value was not UTF-8 (Node decoded it with U+FFFD): a secret, a
   * template or an override that reads one is an issue, never a value silently changed
   */
  notUtf8Env?: ReadonlySet<string>;
  read?: ReadText;
  exists?: (path: string) => boolean;
  /** users.sssd's reads (snippets, the image's nsswitch and PAM files); default: the system's */
  sssdReads?: SssdReads;
}

function readSpecSource(path: string | undefined, read: ReadText): ParsedSource {
  if (!path) return parseYamlSource("{}", "(no spec)");
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    if (err instanceof ConfigError) throw err; // not UTF-8
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
  const { loaded, issues } = loadSpecCollecting(options);
  if (!loaded || issues.length) throw new ConfigError(issues);
  return loaded;
}

/**
 * Load for the validation stage: a typed spec whenever the schema accepts it, plus every issue so
 * far (secrets that cannot be resolved do not stop the later checks, so all issues come at once).
 * No `loaded` when the YAML or the schema is wrong: nothing later can be checked without types.
 */
export function loadSpecCollecting(options: LoadOptions): { loaded?: LoadedSpec; issues: ConfigIssue[] } {
  const exists = options.exists ?? existsSync;
  const specPath = findSpecPath(options.specFlag, options.env, exists);
  const user = readSpecSource(specPath, options.read ?? readUtf8File);
  if (user.issues.length) return { issues: user.issues };
  const issues: ConfigIssue[] = [];
  const userData = user.data as Record<string, unknown>;
  const overrides = overridesFromEnv(options.env, fieldTypesAt);
  for (const name of overrides.tooDeep) {
    issues.push({ path: "(env)", message: `${name.slice(0, 60)}… names a path ${name.split("__").length - 1} levels deep; no spec field is deeper than ${MAX_OVERRIDE_DEPTH}`, where: `env ${name.slice(0, 60)}…` });
  }
  for (const v of overrides.vars) {
    if (options.notUtf8Env?.has(v.name)) issues.push({ path: formatPath(v.keys), message: `${v.name} is not UTF-8 text (its bytes would become U+FFFD); set it as UTF-8`, where: `env ${v.name}` });
  }
  const profileName = (overrides.data.profile ?? userData.profile) as unknown;
  const profile = profileSource(profileName, issues, user.locate);
  const sources = { user, profile, overrides };
  const locate = locator(sources);
  const strayNull = (path: PropertyKey[]): void => {
    const where = locate(path, "key");
    issues.push({ path: formatPath(path), message: `${String(path[path.length - 1])} has no value (null); give it one or remove the line (null only removes a value the profile sets)`, ...(where ? { where } : {}) });
  };
  const layered = deepMerge(deepMerge(profile?.data ?? {}, userData, strayNull), overrides.data, strayNull);
  const product = productFor(typeof profileName === "string" ? profileName : undefined);
  // what the environment says (the licence from Posit's variables, then the images' own variables:
  // test user, launcher, diagnostics) is laid over the merged data before the schema, so the spec
  // can shape what a layer adds like any program
  const keptFromPrograms: string[] = [];
  let merged: unknown = layered;
  for (const layer of envLayersOf(product)) {
    if (!isPlainObject(merged)) break;
    const r = layer(merged, options.env, { exists });
    merged = r.data;
    issues.push(...r.issues);
    keptFromPrograms.push(...r.keptFromPrograms);
  }
  const validated = validateSpec(isPlainObject(merged) ? merged : {}, locate, specSchemaFor(product));
  issues.push(...validated.issues);
  const parsed = validated.spec ?? validated.partial;
  if (!parsed) return { issues };
  const { spec, warnings, values } = withProductAdditions(parsed, product, options.env, validated.failed, issues);
  // users.sssd expands into files and programs of the spec (sssd.conf, its snippets, nsswitch and
  // PAM merged into the image's, sssd -i); the files it reads are read here, before planning
  issues.push(...addSssdMode(spec, options.sssdReads ?? systemSssdReads));
  // users.syncEvery: the periodic sync as a program (foyer itself, reloading this spec)
  issues.push(...addUsersSyncProgram(spec, selfCommand(), specPath));
  // the Posit test user's password: the public default, or a secret of 8+ characters (one rule)
  const testUser = testUserPassword(spec.users, options.env);
  issues.push(...testUser.issues);
  warnings.push(...testUser.warnings);
  keptFromPrograms.push(...testUser.keptFromPrograms);
  if (testUser.secret) values[testUser.secret.name] = { value: testUser.secret.value, path: "users.sources" };
  // secrets use their own guarded reader (regular files only, size cap) unless a test injects one
  const { secrets, issues: secretIssues } = resolveSecrets(spec.secrets, options.env, options.read, (path) => locate(path), options.notUtf8Env);
  issues.push(...secretIssues);
  for (const [name, { value, path }] of Object.entries(values)) {
    const short = tooShort(name, value);
    if (short) issues.push({ ...short, path });
    else secrets.values.set(name, value);
  }
  // every licence variable (also those the licence did not come from) and the images' variables
  // that carry secrets are kept from programs
  for (const name of keptFromPrograms) secrets.sourceEnvVars.add(name);
  const redactor = new Redactor();
  for (const [name, value] of secrets.values) redactor.add(name, value);
  const whereIs = (path: string): string | undefined => (/^[A-Za-z$]/.test(path) ? locate(specKeys(path, merged)) : undefined);
  const loaded: LoadedSpec = { spec, specPath, secrets, redactor, whereIs, origin: (path) => originOf(sources, path), product, warnings };
  if (validated.failed) loaded.incomplete = validated.failed;
  return { loaded, issues };
}

/**
 * The programs and secrets the product derives from `config:` (and its licence hook), laid into the
 * spec before secrets are resolved, so every later check and the supervisor see them as spec
 * programs. Skipped when `config:` itself failed the schema (its issues are already reported).
 */
function withProductAdditions(
  spec: Spec,
  product: Product,
  env: LoadOptions["env"],
  failed: ReadonlySet<string> | undefined,
  issues: ConfigIssue[],
): { spec: Spec; warnings: ConfigIssue[]; values: NonNullable<ProductAdditions["values"]> } {
  const values: NonNullable<ProductAdditions["values"]> = {};
  if (failed?.has("config")) return { spec, warnings: [], values };
  const warnings: ConfigIssue[] = [];
  let out = spec;
  const hooks = [{ add: product.additions, source: `the ${product.name} config` }];
  for (const { add, source } of hooks) {
    if (!add) continue;
    const additions = add(spec.config, { env, product });
    const applied = applyAdditions(out, additions, source);
    out = applied.spec;
    issues.push(...applied.issues);
    warnings.push(...additions.warnings);
    Object.assign(values, additions.values ?? {});
  }
  return { spec: out, warnings, values };
}

interface Sources {
  user: ParsedSource;
  profile: ParsedSource | undefined;
  overrides: Overrides;
}

/**
 * Where a path's value was written: the env variable that set it (or a parent), else the spec file
 * when it has the path, else the profile; a path nobody wrote (a missing key) points at its nearest
 * parent in the spec file, or at the variable that created the map around it.
 */
function locator({ user, profile, overrides }: Sources): Locator {
  return (path, at) => {
    const byEnv = overrideVarFor(overrides.vars, path);
    if (byEnv) return `env ${byEnv}`;
    // the deepest part of the path someone wrote: the spec file, the profile, or a variable below it
    for (let k = path.length; k > 0; k--) {
      const prefix = path.slice(0, k);
      const how = k === path.length ? at : "value";
      if (hasPath(user.data, prefix)) return user.locate(prefix, how);
      if (profile && hasPath(profile.data, prefix)) return profile.locate(prefix, how);
      const below = overrideVarBelow(overrides.vars, prefix);
      if (below) return `env ${below}`;
    }
    return user.locate(path, at) ?? profile?.locate(path, at);
  };
}

function originOf({ user, profile, overrides }: Sources, path: readonly PropertyKey[]): "spec" | "env" | "profile" | undefined {
  if (overrideVarFor(overrides.vars, path)) return "env";
  if (hasPath(user.data, path)) return "spec";
  if (profile && hasPath(profile.data, path)) return "profile";
  return undefined;
}

function hasPath(data: unknown, path: readonly PropertyKey[]): boolean {
  let node = data;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === "number" && key < node.length) node = node[key];
    else if (isPlainObject(node) && Object.hasOwn(node, String(key))) node = node[String(key)];
    else return false;
  }
  return true;
}

/**
 * A dotted path (`files[2].owner`, `config.server.rserver.conf.www-port`) back to keys. Names may
 * contain dots (file names), so at each level the longest run of segments that is a key wins.
 */
export function specKeys(path: string, data: unknown): PropertyKey[] {
  const tokens = [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]!));
  const keys: PropertyKey[] = [];
  let node = data;
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i]!;
    if (typeof t === "number") {
      keys.push(t);
      node = Array.isArray(node) ? node[t] : undefined;
      i++;
      continue;
    }
    let take = 1;
    for (let j = tokens.length; j > i + 1 && isPlainObject(node); j--) {
      const run = tokens.slice(i, j);
      if (run.every((x) => typeof x === "string") && Object.hasOwn(node, run.join("."))) {
        take = j - i;
        break;
      }
    }
    const key = tokens.slice(i, i + take).join(".");
    keys.push(key);
    node = isPlainObject(node) ? node[key] : undefined;
    i += take;
  }
  return keys;
}
