// Checks that need only the typed spec (and which secrets resolved): fields that contradict each
// other, templates where none are expanded, secrets a program asks for, program names and order.
// Pure. Each returns issues at spec paths; the stage adds file:line:col.
import { ConfigError, type ConfigIssue } from "../errors.js";
import type { Spec } from "../spec/schema.js";
import { didYouMean } from "../spec/suggest.js";
import { MAIN_PROGRAM, startLevels } from "../supervise/order.js";

/** `oneshot` with `restart: always`; `backoff.initial` longer than `backoff.max`. */
export function checkContradictions(spec: Spec): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, p] of Object.entries(spec.programs)) {
    if (p.oneshot && p.restart === "always") {
      issues.push({ path: `programs.${name}.restart`, message: "restart: always contradicts oneshot: true (a oneshot program runs to completion once); use restart: on-failure or never" });
    }
    if (p.backoff.initial > p.backoff.max) {
      issues.push({ path: `programs.${name}.backoff.initial`, message: `backoff.initial (${p.backoff.initial} ms) is longer than backoff.max (${p.backoff.max} ms)` });
    }
  }
  return issues;
}

const TEMPLATE = /\{\{\s*[#~]?\s*(secret|env)\b/;

/** `{{secret …}}` / `{{env …}}` in `env:` values: they are passed literally, never expanded. */
export function checkEnvTemplates(spec: Spec): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const check = (env: Record<string, string>, at: string, program: string | undefined): void => {
    for (const [variable, value] of Object.entries(env)) {
      const helper = TEMPLATE.exec(value)?.[1];
      if (!helper) continue;
      const hint =
        helper === "secret"
          ? `give the secret to the program by name: programs.${program ?? "<name>"}.secrets: { ${variable}: <secret name> }`
          : "programs inherit foyer's environment already; write the value itself";
      issues.push({ path: `${at}.${variable}`, message: `{{${helper} …}} is not expanded in env: values (they are passed as written); ${hint}` });
    }
  };
  check(spec.env, "env", undefined);
  for (const [name, p] of Object.entries(spec.programs)) check(p.env, `programs.${name}.env`, name);
  return issues;
}

/** Every `programs.X.secrets` entry names a declared secret that has a value. */
export function checkProgramSecrets(spec: Spec, resolved: ReadonlySet<string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const declared = Object.keys(spec.secrets);
  for (const [name, p] of Object.entries(spec.programs)) {
    for (const [variable, secret] of Object.entries(p.secrets)) {
      const path = `programs.${name}.secrets.${variable}`;
      if (!(secret in spec.secrets)) {
        const guess = didYouMean(secret, declared);
        issues.push({ path, message: `secret '${secret}' is not declared under secrets:${guess ? ` (did you mean '${guess}'?)` : ""}` });
      } else if (!resolved.has(secret)) {
        issues.push({ path, message: `secret '${secret}' is optional and has no value here, but program '${name}' asks for it` });
      }
    }
  }
  return issues;
}

/** `foyer run -- CMD` names its program "main": a spec program cannot have that name then. */
export function checkMainName(spec: Spec, withMain: boolean): ConfigIssue[] {
  if (!withMain || !spec.programs[MAIN_PROGRAM]) return [];
  return [{ path: `programs.${MAIN_PROGRAM}`, message: `'${MAIN_PROGRAM}' is the name of the program given after --; rename this program` }];
}

/** Unknown `after:` names, programs that would never start, cycles. */
export function checkProgramOrder(spec: Spec): ConfigIssue[] {
  try {
    startLevels(spec.programs);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
}

/**
 * A declared secret that no program asks for (`programs.X.secrets`) and no template uses is a
 * warning: it is resolved, refused if short and kept from every program's environment, yet reaches
 * nothing, which usually means a typo or a preset expecting a program that is not there.
 */
export function checkUnusedSecrets(spec: Spec, usedByTemplates: ReadonlySet<string>): ConfigIssue[] {
  const byPrograms = new Set(Object.values(spec.programs).flatMap((p) => Object.values(p.secrets)));
  return Object.keys(spec.secrets)
    .filter((name) => !byPrograms.has(name) && !usedByTemplates.has(name))
    .map((name) => ({
      path: `secrets.${name}`,
      message: `secret '${name}' is declared but nothing uses it: give it to a program (programs.<name>.secrets: { VAR: ${name} }) or use it in a template ({{secret "${name}"}}), or remove it`,
    }));
}
