// Each program's environment: foyer's env, the spec's env, hook exports and the program's own env,
// with `unset` names and every secret's source variable removed unless the program asks for it.

/** Secret values resolved by the spec loader, and the env vars they were read from. */
export interface SupervisorSecrets {
  values: Map<string, string>;
  /** env vars that carried a secret (their `_FILE` twins are removed too) */
  sourceEnvVars: Set<string>;
}

/** What a program's env is made of. */
export interface ProgramEnvInput {
  /** foyer's env + spec.env (+ exports of sourced init hooks), already without secret sources */
  shared: Record<string, string>;
  name: string;
  env: Record<string, string>;
  unset: readonly string[];
  /** ENV_VAR → secret name, given to this program only */
  secrets: Record<string, string>;
}

/** foyer's own env plus spec.env, with every secret's source variable (and its _FILE twin) removed. */
export function sharedEnv(base: Record<string, string>, specEnv: Record<string, string>, secrets: SupervisorSecrets): Record<string, string> {
  const env: Record<string, string> = { ...base, ...specEnv };
  for (const name of secrets.sourceEnvVars) {
    delete env[name];
    delete env[`${name}_FILE`];
  }
  return env;
}

/** The complete environment of one program. */
export function programEnv(input: ProgramEnvInput, secrets: SupervisorSecrets): Record<string, string> {
  const env: Record<string, string> = { ...input.shared, ...input.env, FOYER_PROGRAM: input.name };
  for (const name of input.unset) delete env[name];
  for (const [variable, secret] of Object.entries(input.secrets)) {
    const value = secrets.values.get(secret);
    if (value !== undefined) env[variable] = value;
  }
  return env;
}

/** Parse `env -0` output (NUL-separated NAME=value records). */
export function parseEnvZ(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const record of text.split("\0")) {
    const i = record.indexOf("=");
    if (i > 0) env[record.slice(0, i)] = record.slice(i + 1);
  }
  return env;
}

// Variables the shell sets on its own; they are not exports of a hook.
const SHELL_NOISE = new Set(["_", "SHLVL", "PWD", "OLDPWD"]);

// Set by the user switch of a hook that runs as another user; they describe that user, not exports.
const IDENTITY = ["HOME", "USER", "LOGNAME", "SHELL"];

/** The env after a sourced hook: what it captured, minus the shell's (and the user switch's) own variables. */
export function envAfterSourcing(before: Record<string, string>, captured: Record<string, string>, ranAsOtherUser = false): Record<string, string> {
  const keep = new Set([...SHELL_NOISE, ...(ranAsOtherUser ? IDENTITY : [])]);
  const after: Record<string, string> = {};
  for (const [k, v] of Object.entries(captured)) if (!keep.has(k)) after[k] = v;
  for (const k of keep) if (k in before) after[k] = before[k]!;
  return after;
}
