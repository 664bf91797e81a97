// The init planner: a pure function from (spec, secrets, env, template files read by the caller)
// to the ordered Actions `foyer init` would take, plus every issue found. It never touches the disk,
// the environment or the clock; the CLI gathers those inputs first (see gatherTemplateFiles).
import type { ConfigIssue } from "../errors.js";
import { Redactor } from "../log/index.js";
import { createTemplateEngine } from "../render/index.js";
import type { Spec } from "../spec/schema.js";
import { sourceEnvNames } from "../spec/secrets.js";
import type { Action } from "./action.js";
import type { Product, ProductFacts } from "../products/product.js";
import { LICENCE_SECRETS, planLicenceFile } from "../products/licence/index.js";
import { productFor } from "../products/registry.js";
import { planHomes } from "../home/plan.js";
import type { HomesInput } from "../home/gather.js";
import { planFiles } from "./planner-files.js";
import { validatePlan } from "./validate.js";

/** Contents of `files[].templateFile`, read by the caller: the text, or why it could not be read. */
/**
 * Contents of `files[].templateFile`: the text (and whether others may not read the file: its
 * content is then treated as a secret's), or why it could not be read.
 */
export type TemplateFileRead = { ok: true; content: string; private?: boolean } | { ok: false; error: string };

/** Everything planInit needs, all observed before planning. */
export interface PlanInput {
  spec: Spec;
  /** resolved secret values by name (optional secrets that were not found are absent) */
  secrets: ReadonlyMap<string, string>;
  /** the process environment; spec.env is laid over it for templates (programs see the same) */
  env: Readonly<Record<string, string | undefined>>;
  /** variables of `env` whose value was not UTF-8 (LoadOptions.notUtf8Env) */
  notUtf8Env?: ReadonlySet<string>;
  /** the spec's product (default: the one its profile names); it plans the `config:` files */
  product?: Product;
  /** facts the product's plan reads (in-cluster Kubernetes…), gathered by the caller */
  facts?: ProductFacts;
  /** `files[].templateFile` contents keyed by path; a path missing here is an issue */
  templateFiles?: ReadonlyMap<string, TemplateFileRead>;
  /** `home:`: who gets a home and what is there now (src/home gatherHomes) */
  homes?: HomesInput;
  /** actions of other parts of the start, checked with the rest: before (accounts) and after (chowns) */
  extra?: { before: readonly Action[]; after: readonly Action[] };
}

/** The plan: ordered actions and every issue (the CLI must not apply a plan with issues). */
export interface PlanResult {
  actions: Action[];
  issues: ConfigIssue[];
  /** the secrets the plan's templates used (by `{{secret}}` or by reading their source env var) */
  secretsUsed: ReadonlySet<string>;
}

/** Plan `foyer init`: (accounts), the product's config files, the licence file, homes, `files:` entries, (chowns), then a check of the whole plan. */
export function planInit(input: PlanInput): PlanResult {
  const { spec } = input;
  const engine = createTemplateEngine({
    env: { ...input.env, ...spec.env },
    secrets: input.secrets,
    // the spec's secrets, and values a product holds inline in `config:` (resolved by the loader)
    declaredSecrets: new Set([...Object.keys(spec.secrets), ...input.secrets.keys()]),
    secretEnvVars: secretSourceEnvVars(spec.secrets, input.secrets),
    // spec.env's own values are UTF-8 (the spec is)
    notUtf8Env: new Set([...(input.notUtf8Env ?? [])].filter((name) => !(name in spec.env))),
  });
  const product = input.product ?? productFor(spec.profile);
  const configDir = (spec.config !== undefined ? product.configDirOf?.(spec.config) : undefined) ?? product.configDir;
  const redactor = new Redactor();
  for (const [name, value] of input.secrets) redactor.add(name, value);
  // a file holding a secret by a route the template engine cannot see (verbatim content) is secret
  // too; the Redactor's search finds a value in every form foyer encodes it (JSON, gcfg, DCF)
  const holdsSecret = (text: string): boolean => redactor.leaks(text);
  const config = product.plan(spec.config, { spec, engine, configDir, holdsSecret, facts: input.facts ?? {} });
  const files = planFiles(spec.files, engine, input.templateFiles ?? new Map(), holdsSecret);
  const licence = product.licence ? planLicenceFile(product.licence, spec, input.secrets) : [];
  const homes = spec.home && input.homes ? planHomes({ home: spec.home, engine, ...input.homes }) : { actions: [], issues: [] };
  // homes before files: a `files:` entry in a home must find it made with its owner and mode
  const actions = yieldGeneratedState([...(input.extra?.before ?? []), ...config.actions, ...licence, ...homes.actions, ...files.actions, ...(input.extra?.after ?? [])]);
  // an issue may quote a rendered value (an override name, a key): issues are printed, so mask them
  const issues = [...config.issues, ...files.issues, ...homes.issues, ...validatePlan(actions)].map((i) => ({ ...i, message: redactor.redact(i.message) }));
  // the licence file's copy uses its secret as a template would
  const secretsUsed = new Set([...engine.secretsUsed(), ...(licence.length ? [LICENCE_SECRETS.file] : [])]);
  return { actions, issues, secretsUsed };
}

/**
 * Generated state (a cookie key, a key pair) is only a default: when the spec writes the same file
 * itself (config.secret, existingSecrets, files:), that file is used and nothing is generated.
 */
function yieldGeneratedState(actions: Action[]): Action[] {
  const written = new Set(actions.flatMap((a) => (a.kind === "write-file" || a.kind === "merge-json" ? [a.path] : [])));
  return actions.filter((a) => a.kind !== "generate-file" || !(written.has(a.path) || (a.publicPath !== undefined && written.has(a.publicPath))));
}

/** Each secret's source env var and its _FILE twin → the secret: a template reading them uses the secret. */
function secretSourceEnvVars(sources: Spec["secrets"], resolved: ReadonlyMap<string, string>): Map<string, string> {
  const vars = new Map<string, string>();
  for (const [name, source] of Object.entries(sources)) {
    if (!resolved.has(name)) continue;
    for (const variable of sourceEnvNames(source)) {
      vars.set(variable, name);
      vars.set(`${variable}_FILE`, name);
    }
  }
  return vars;
}

/** The template files the planner will need, so the CLI can read them before planning. */
export function templateFilePaths(spec: Spec): string[] {
  return [...new Set(spec.files.flatMap((f) => (f.templateFile ? [f.templateFile] : [])))];
}
