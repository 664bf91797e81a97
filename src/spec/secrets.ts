// Resolve named secrets from env vars (with the VAR_FILE convention), files, and mounted Kubernetes
// Secret directories. Values are returned, never logged; every problem is collected as an issue.
import type { ConfigIssue } from "../errors.js";
import type { SecretSource } from "./schema.js";

/** Reads a file's text; throws a NodeJS.ErrnoException on failure. Injected so tests can fake it. */
export type ReadText = (path: string) => string;

/** Resolved secrets and the env vars they came from (which programs must not inherit). */
export interface ResolvedSecrets {
  values: Map<string, string>;
  /** env vars that carried a secret or its file path: removed from programs' env unless asked for */
  sourceEnvVars: Set<string>;
}

function describeReadError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ENOENT") return "does not exist";
  if (e.code === "EACCES" || e.code === "EPERM") return "is not readable (permission denied)";
  if (e.code === "EISDIR") return "is a directory, not a file";
  return `cannot be read (${e.code ?? e.message})`;
}

/** Secret file contents keep their bytes, except one trailing newline (editors and `echo` add it). */
function stripFinalNewline(text: string): string {
  return text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
}

function readSecretFile(name: string, path: string, read: ReadText, issues: ConfigIssue[], what: string, optional = false): string | undefined {
  try {
    return stripFinalNewline(read(path));
  } catch (err) {
    // an optional secret may be absent, but one that exists and cannot be read is still an error
    if (optional && (err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    issues.push({ path: `secrets.${name}`, message: `secret "${name}": ${what} ${path} ${describeReadError(err)}` });
    return undefined;
  }
}

function resolveOne(name: string, source: SecretSource, env: Record<string, string | undefined>, read: ReadText, issues: ConfigIssue[], sourceEnvVars: Set<string>): string | undefined {
  if ("env" in source) {
    sourceEnvVars.add(source.env);
    sourceEnvVars.add(`${source.env}_FILE`);
    const direct = env[source.env];
    if (direct !== undefined && direct !== "") return direct;
    const file = env[`${source.env}_FILE`];
    if (file) return readSecretFile(name, file, read, issues, `file ${source.env}_FILE=`);
    if (!source.optional) issues.push({ path: `secrets.${name}`, message: `secret "${name}": environment variable ${source.env} is not set (nor ${source.env}_FILE)` });
    return undefined;
  }
  if ("file" in source) return readSecretFile(name, source.file, read, issues, "file", source.optional);
  // Kubernetes mounts keys as symlinks through ..data; reading the path follows them.
  const path = `${source.k8s.replace(/\/$/, "")}/${source.key ?? name}`;
  return readSecretFile(name, path, read, issues, "key file", source.optional);
}

/** Resolve every declared secret; missing required ones and unreadable files become issues. */
export function resolveSecrets(
  sources: Record<string, SecretSource>,
  env: Record<string, string | undefined>,
  read: ReadText,
): { secrets: ResolvedSecrets; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const values = new Map<string, string>();
  const sourceEnvVars = new Set<string>();
  for (const [name, source] of Object.entries(sources)) {
    const value = resolveOne(name, source, env, read, issues, sourceEnvVars);
    if (value !== undefined) values.set(name, value);
  }
  return { secrets: { values, sourceEnvVars }, issues };
}
