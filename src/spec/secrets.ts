// Resolve named secrets from env vars (with the VAR_FILE convention), files, and mounted Kubernetes
// Secret directories. Values are returned, never logged; every problem is collected as an issue.
import { closeSync, fstatSync, realpathSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ConfigIssue } from "../errors.js";
import { openOwnFile, readBoundedFd, realFs, UnsafePathError } from "../fs/index.js";
import { MIN_SECRET_LENGTH } from "../log/index.js";
import type { SecretSource } from "./schema.js";

/** Reads a file's text; throws a NodeJS.ErrnoException on failure. Injected so tests can fake it. */
export type ReadText = (path: string) => string;

/** Resolved secrets and the env vars they came from (which programs must not inherit). */
export interface ResolvedSecrets {
  values: Map<string, string>;
  /** env vars that carried a secret or its file path: removed from programs' env unless asked for */
  sourceEnvVars: Set<string>;
}

/** A secret file larger than this is refused: a secret is a key or a password, not a stream. */
export const MAX_SECRET_BYTES = 1024 * 1024;

/** A secret file foyer refuses to read (not a regular file, too large, not text). */
class SecretFileRefused extends Error {}

function describeReadError(err: unknown, path: string): string {
  if (err instanceof SecretFileRefused) return err.message;
  if (err instanceof UnsafePathError) return err.path === path ? err.problem : `cannot be read: ${err.message}`;
  const e = err as NodeJS.ErrnoException;
  if (e.code === "ENOENT") return "does not exist";
  if (e.code === "EACCES" || e.code === "EPERM") return "is not readable (permission denied)";
  if (e.code === "EISDIR") return "is a directory, not a file";
  if (e.code === "ENXIO") return "is not a regular file (a socket or device)";
  return `cannot be read (${e.code ?? e.message})`;
}

function refuseIfNotRegular(st: { isFile(): boolean; isFIFO(): boolean; isDirectory(): boolean }): void {
  if (st.isFile()) return;
  if (st.isDirectory()) throw new SecretFileRefused("is a directory, not a file");
  // a FIFO would block the start until someone writes to it; /dev/zero would fill memory
  throw new SecretFileRefused(`is not a regular file (${st.isFIFO() ? "a FIFO" : "a device or socket"}); secrets are read only from regular files`);
}

/**
 * Read a secret file: only a regular file (checked before opening, so no device is opened, and
 * again on the open descriptor, so a swap in between is caught), at most MAX_SECRET_BYTES, valid
 * UTF-8. O_NONBLOCK keeps a FIFO swapped in after the first check from blocking the open. Links
 * root made are followed (Kubernetes mounts secrets through them); a link someone else planted on
 * the way is not (src/fs openOwnFile): a user's `~/.token -> /etc/shadow` would make root read
 * /etc/shadow into a secret that user's program receives. A Kubernetes key is also confined to its
 * directory.
 */
export function readSecretFileSafely(path: string): string {
  refuseIfNotRegular(statSync(path));
  const fd = openOwnFile(realFs, path);
  try {
    const st = fstatSync(fd);
    refuseIfNotRegular(st);
    const bytes = readBoundedFd(realFs, fd, st.size, MAX_SECRET_BYTES);
    if (!Buffer.isBuffer(bytes)) throw new SecretFileRefused(`is larger than ${MAX_SECRET_BYTES / 1024 / 1024} MiB; secrets are keys and passwords, not data`);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new SecretFileRefused("is not UTF-8 text (a secret is written into text files)");
    }
  } finally {
    closeSync(fd);
  }
}

/** Secret file contents keep their bytes, except one trailing newline (editors and `echo` add it). */
function stripFinalNewline(text: string): string {
  return text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
}

/** How secrets are read: the file reader, and how a path resolves (to confine Kubernetes keys). */
interface SecretReads {
  read: ReadText;
  realpath: (path: string) => string;
}

function readSecretFile(name: string, path: string, io: SecretReads, issues: ConfigIssue[], what: string, optional = false): string | undefined {
  try {
    return stripFinalNewline(io.read(path));
  } catch (err) {
    // an optional secret may be absent, but one that exists and cannot be read is still an error
    if (optional && (err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    issues.push({ path: `secrets.${name}`, message: `secret "${name}": ${what} ${path} ${describeReadError(err, path)}` });
    return undefined;
  }
}

/**
 * A key of a mounted Kubernetes Secret: `<dir>/<key>`, which the kubelet makes a link through
 * `..data` to a timestamped directory inside `<dir>`. The resolved file must stay inside `<dir>`:
 * a key (or a secret name used as the key) must not reach /etc/shadow through `..` or a planted link.
 */
function readKubernetesKey(name: string, dir: string, key: string, optional: boolean, io: SecretReads, issues: ConfigIssue[]): string | undefined {
  const path = join(dir, key);
  let realDir: string;
  let real: string;
  try {
    realDir = io.realpath(dir);
    real = io.realpath(path);
  } catch (err) {
    if (optional && (err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    issues.push({ path: `secrets.${name}`, message: `secret "${name}": key file ${path} ${describeReadError(err, path)}` });
    return undefined;
  }
  if (!real.startsWith(realDir.replace(/\/$/, "") + "/")) {
    issues.push({ path: `secrets.${name}`, message: `secret "${name}": key file ${path} resolves outside the secret directory ${dir}; refusing to read it` });
    return undefined;
  }
  return readSecretFile(name, real, io, issues, "key file", optional);
}

/** The env var names of an `env:` source, in the order they are tried. */
export function sourceEnvNames(source: SecretSource): string[] {
  if (!("env" in source)) return [];
  return Array.isArray(source.env) ? source.env : [source.env];
}

function resolveOne(name: string, source: SecretSource, env: Record<string, string | undefined>, io: SecretReads, issues: ConfigIssue[], sourceEnvVars: Set<string>, notUtf8Env: ReadonlySet<string>): string | undefined {
  // a variable whose string holds U+FFFD where its bytes were: the secret (or its file name) would be wrong
  const notUtf8 = (v: string): undefined => {
    issues.push({ path: `secrets.${name}`, message: `secret "${name}": environment variable ${v} is not UTF-8 text (a secret is written into text files)` });
    return undefined;
  };
  if ("env" in source) {
    const names = sourceEnvNames(source);
    for (const variable of names) {
      sourceEnvVars.add(variable);
      sourceEnvVars.add(`${variable}_FILE`);
    }
    // each name in turn, the value itself before its _FILE twin: the first one set wins
    for (const variable of names) {
      const direct = env[variable];
      if (direct !== undefined && direct !== "") return notUtf8Env.has(variable) ? notUtf8(variable) : direct;
      const file = env[`${variable}_FILE`];
      if (file) return notUtf8Env.has(`${variable}_FILE`) ? notUtf8(`${variable}_FILE`) : readSecretFile(name, file, io, issues, `file ${variable}_FILE=`);
    }
    if (!source.optional) {
      const which = names.length === 1 ? `environment variable ${names[0]} is not set (nor ${names[0]}_FILE)` : `none of the environment variables ${names.join(", ")} is set (nor their _FILE twins)`;
      issues.push({ path: `secrets.${name}`, message: `secret "${name}": ${which}` });
    }
    return undefined;
  }
  if ("file" in source) return readSecretFile(name, source.file, io, issues, "file", source.optional);
  return readKubernetesKey(name, source.k8s, source.key ?? name, source.optional, io, issues);
}

/**
 * A value shorter than MIN_SECRET_LENGTH cannot be masked without garbling unrelated output (and
 * revealing itself by what gets masked), so it is refused. The message gives the bound, never the
 * value or its length.
 */
export function tooShort(name: string, value: string): ConfigIssue | undefined {
  if (value.trim().length >= MIN_SECRET_LENGTH) return undefined;
  return {
    path: `secrets.${name}`,
    message: `secret "${name}" is shorter than ${MIN_SECRET_LENGTH} characters (surrounding spaces not counted): foyer masks secrets in everything it prints, and a value this short cannot be masked without garbling unrelated output; use a longer secret`,
  };
}

/**
 * Resolve every declared secret; missing required ones, unreadable files and too-short values become
 * issues (placed by `locate`, when given). `read` replaces the file reader in tests (paths then
 * resolve lexically).
 */
export function resolveSecrets(
  sources: Record<string, SecretSource>,
  env: Record<string, string | undefined>,
  read?: ReadText,
  locate?: (path: readonly PropertyKey[]) => string | undefined,
  notUtf8Env: ReadonlySet<string> = new Set(),
): { secrets: ResolvedSecrets; issues: ConfigIssue[] } {
  const io: SecretReads = read ? { read, realpath: (p) => resolve(p) } : { read: readSecretFileSafely, realpath: realpathSync };
  const issues: ConfigIssue[] = [];
  const values = new Map<string, string>();
  const sourceEnvVars = new Set<string>();
  for (const [name, source] of Object.entries(sources)) {
    const value = resolveOne(name, source, env, io, issues, sourceEnvVars, notUtf8Env);
    if (value === undefined) continue;
    const short = tooShort(name, value);
    if (short) issues.push(short);
    else values.set(name, value);
  }
  // each issue points at its secret's entry in the spec
  const located = issues.map((issue) => {
    const where = locate?.(["secrets", issue.path.slice("secrets.".length)]);
    return where && !issue.where ? { ...issue, where } : issue;
  });
  return { secrets: { values, sourceEnvVars }, issues: located };
}
