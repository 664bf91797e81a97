// The init planner: a pure function from (spec, secrets, env, template files read by the caller)
// to the ordered Actions `foyer init` would take, plus every issue found. It never touches the disk,
// the environment or the clock; the CLI gathers those inputs first (see gatherTemplateFiles).
import type { ConfigIssue } from "../errors.js";
import { Redactor } from "../log/index.js";
import { createTemplateEngine } from "../render/index.js";
import type { Spec } from "../spec/schema.js";
import type { Action } from "./action.js";
import { planConfig } from "./planner-config.js";
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
  /** product defaults (the product's config dir when the spec sets none: /etc/rstudio if unknown) */
  product?: { configDir?: string };
  /** `files[].templateFile` contents keyed by path; a path missing here is an issue */
  templateFiles?: ReadonlyMap<string, TemplateFileRead>;
}

/** The plan: ordered actions and every issue (the CLI must not apply a plan with issues). */
export interface PlanResult {
  actions: Action[];
  issues: ConfigIssue[];
}

/** The config dir used when neither the spec nor the product says. */
export const DEFAULT_CONFIG_DIR = "/etc/rstudio";

/** Plan `foyer init`: config files, then `files:` entries, then a check of the whole plan. */
export function planInit(input: PlanInput): PlanResult {
  const { spec } = input;
  const engine = createTemplateEngine({
    env: { ...input.env, ...spec.env },
    secrets: input.secrets,
    declaredSecrets: new Set(Object.keys(spec.secrets)),
    secretEnvVars: secretSourceEnvVars(spec.secrets, input.secrets),
    // spec.env's own values are UTF-8 (the spec is)
    notUtf8Env: new Set([...(input.notUtf8Env ?? [])].filter((name) => !(name in spec.env))),
  });
  const configDir = spec.config?.dir ?? input.product?.configDir ?? DEFAULT_CONFIG_DIR;
  const redactor = new Redactor();
  for (const [name, value] of input.secrets) redactor.add(name, value);
  // a file holding a secret by a route the template engine cannot see (verbatim content) is secret
  // too; the Redactor's search finds a value in every form foyer encodes it (JSON, gcfg, DCF)
  const holdsSecret = (text: string): boolean => redactor.leaks(text);
  const config = planConfig(spec.config, configDir, engine, holdsSecret);
  const files = planFiles(spec.files, engine, input.templateFiles ?? new Map(), holdsSecret);
  const actions = [...config.actions, ...files.actions];
  // an issue may quote a rendered value (an override name, a key): issues are printed, so mask them
  const issues = [...config.issues, ...files.issues, ...validatePlan(actions)].map((i) => ({ ...i, message: redactor.redact(i.message) }));
  return { actions, issues };
}

/** Each secret's source env var and its _FILE twin → the secret: a template reading them uses the secret. */
function secretSourceEnvVars(sources: Spec["secrets"], resolved: ReadonlyMap<string, string>): Map<string, string> {
  const vars = new Map<string, string>();
  for (const [name, source] of Object.entries(sources)) {
    if (!("env" in source) || !resolved.has(name)) continue;
    vars.set(source.env, name);
    vars.set(`${source.env}_FILE`, name);
  }
  return vars;
}

/** The template files the planner will need, so the CLI can read them before planning. */
export function templateFilePaths(spec: Spec): string[] {
  return [...new Set(spec.files.flatMap((f) => (f.templateFile ? [f.templateFile] : [])))];
}
