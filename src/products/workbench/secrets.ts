// Kubernetes Secret references in Workbench's `config:` (existingSecrets, database.conf's
// existingSecret) → foyer secret sources reading the Secret's mounted directory, one directory per
// Secret under `existingSecretsDir` (default /mnt/secrets): /mnt/secrets/<name>/<key>.
import type { SecretSourceInput } from "../product.js";
import type { WorkbenchConfig } from "./schema.js";

export const DEFAULT_EXISTING_SECRETS_DIR = "/mnt/secrets";

/** The foyer secret holding key `key` of the Kubernetes Secret `name`. */
export function existingSecretName(name: string, key: string): string {
  return `k8s.${name}.${key}`;
}

/** The foyer secret holding database.conf from `database.conf.existingSecret`. */
export function databaseSecretName(name: string): string {
  return existingSecretName(name, "database.conf");
}

/** The secret holding `database.conf.value` (inline in the spec, masked like any secret). */
export const DATABASE_VALUE_SECRET = "config.database.conf.value";

/** Inline secret values of the config: database.conf's `value` when no existingSecret wins over it. */
export function inlineSecretValues(config: WorkbenchConfig | undefined): Record<string, { value: string; path: string }> {
  const conf = config?.database?.conf;
  if (!conf?.value || conf.existingSecret) return {};
  return { [DATABASE_VALUE_SECRET]: { value: conf.value, path: "config.database.conf.value" } };
}

/** Every secret source the config's Secret references need. */
export function existingSecretSources(config: WorkbenchConfig | undefined): Record<string, SecretSourceInput> {
  if (!config) return {};
  const base = (config.existingSecretsDir ?? DEFAULT_EXISTING_SECRETS_DIR).replace(/\/+$/, "");
  const sources: Record<string, SecretSourceInput> = {};
  for (const secret of config.existingSecrets ?? []) {
    for (const item of secret.items) sources[existingSecretName(secret.name, item.key)] = { k8s: `${base}/${secret.name}`, key: item.key };
  }
  const db = config.database?.conf.existingSecret;
  if (db) sources[databaseSecretName(db)] = { k8s: `${base}/${db}`, key: "database.conf" };
  return sources;
}
