// Reading a directory with ldapts: failover over the URLs, StartTLS or ldaps with certificate
// verification on by default, a service-account bind, paged searches with size and time limits,
// retries with backoff on the injected clock. Every failure becomes a DirectoryError that says what
// to fix; transient ones (unreachable, busy, timed out) are retried, the others are not.
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import { Client, InvalidCredentialsError, ResultCodeError, SizeLimitExceededError, TimeLimitExceededError, NoSuchObjectError } from "ldapts";
import { FoyerError, ExitCode } from "../errors.js";
import type { Clock } from "../time/clock.js";
import type { LdapEntry } from "./ldap-map.js";
import { filterForNames } from "./ldap-map.js";
import type { LdapSource } from "./schema.js";

/** A directory problem; `transient` ones are retried, and `--every` keeps the last good files. */
export class DirectoryError extends FoyerError {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message, transient ? ExitCode.internal : ExitCode.config);
  }
}

/** More entries than `sizeLimit` came back. */
class SizeLimitHit extends Error {}

/** What one directory gave. */
export interface DirectoryData {
  users: LdapEntry[];
  groups: LdapEntry[];
  /** groups named in onlyMembersOf, as found (server-side, escaped filter) */
  restrictTo: LdapEntry[] | undefined;
  url: string;
}

export interface FetchOptions {
  clock: Clock;
  /** where the problem is in the spec, for messages */
  label: string;
  onRetry?: (message: string, waitMs: number) => void;
  readCa?: (path: string) => Buffer;
}

/** Search the directory `src` describes, trying each URL, retrying transient failures with backoff. */
export async function fetchDirectory(src: LdapSource, password: string, opts: FetchOptions): Promise<DirectoryData> {
  if (password === "") throw new DirectoryError(`${opts.label}: the bind password is empty (a server would treat the bind as anonymous)`, false);
  const ca = src.caFile ? readCaFile(src.caFile, opts) : undefined;
  let delay = src.backoff.initial;
  for (let attempt = 0; ; attempt++) {
    const failures: string[] = [];
    for (const url of src.urls) {
      try {
        return await fetchFrom(url, src, password, ca);
      } catch (err) {
        const e = classify(err, url, src);
        if (!e.transient) throw new DirectoryError(`${opts.label}: ${e.message}`, false);
        failures.push(e.message);
      }
    }
    const summary = `${opts.label}: no directory server answered: ${failures.join("; ")}`;
    if (attempt >= src.retries) throw new DirectoryError(`${summary} (after ${attempt + 1} attempt${attempt ? "s" : ""})`, true);
    opts.onRetry?.(summary, delay);
    await opts.clock.sleep(delay);
    delay = Math.min(delay * 2, src.backoff.max);
  }
}

async function fetchFrom(url: string, src: LdapSource, password: string, ca: Buffer | undefined): Promise<DirectoryData> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const tls: ConnectionOptions = {
    rejectUnauthorized: src.verify,
    ...(ca ? { ca: [ca] } : {}),
    host,
    // SNI takes a host name only (RFC 6066); an IP is still checked against the certificate's IP SANs
    ...(isIP(host) ? {} : { servername: host }),
  };
  // tlsOptions only for ldaps: ldapts takes their presence as "TLS from the first byte" (a StartTLS
  // server then resets the connection)
  const secure = url.startsWith("ldaps://");
  const client = new Client({ url, ...(secure ? { tlsOptions: { ...tls } } : {}), connectTimeout: src.connectTimeout, timeout: src.timeLimit + 1_000, strictDN: false });
  try {
    if (!secure && src.startTLS) await client.startTLS({ ...tls });
    await client.bind(src.bindDN, password);
    const a = src.attributes;
    const userAttrs = [a.name, a.uid, a.gid, a.home, a.shell, a.gecos, a.expire, "cn"];
    const groupAttrs = [a.groupName, a.groupGid, a.memberUid, a.member];
    const groupsConf = src.groups ?? { base: src.users.base, filter: "(objectClass=posixGroup)", scope: "sub" as const };
    const search = async (bases: string[], filter: string, scope: "one" | "sub", attributes: string[]) => {
      const out: LdapEntry[] = [];
      for (const base of bases) {
        const { searchEntries } = await client
          // no size limit in the request: ldapts returns a search cut by a limit the request asked
          // for as if it were complete (a partial list would lock every user it misses); without
          // one, the server's own limit is an error, and foyer's is counted here
          .search(base, { scope, filter, attributes, paged: { pageSize: src.pageSize }, sizeLimit: 0, timeLimit: Math.ceil(src.timeLimit / 1000) })
          .catch((err: unknown) => {
            if (!(err instanceof NoSuchObjectError)) throw err;
            const hint = base.includes(",") ? "" : " (in a YAML flow list [a,b] a DN's commas split it: quote each DN)";
            throw new DirectoryError(`the base DN ${JSON.stringify(base)} does not exist at ${url}${hint}`, false);
          });
        if (src.sizeLimit && searchEntries.length > src.sizeLimit) throw new SizeLimitHit();
        out.push(...(searchEntries as LdapEntry[]));
      }
      return out;
    };
    const users = await search(src.users.base, src.users.filter, src.users.scope, userAttrs);
    if (users.length === 0) {
      throw new DirectoryError(`the user filter ${src.users.filter} matched no entry under ${src.users.base.join(" | ")} at ${url}`, false);
    }
    const groups = await search(groupsConf.base, groupsConf.filter, groupsConf.scope, groupAttrs);
    let restrictTo: LdapEntry[] | undefined;
    if (src.onlyMembersOf) {
      restrictTo = await search(groupsConf.base, filterForNames(groupsConf.filter, a.groupName, src.onlyMembersOf), groupsConf.scope, [a.groupName]);
    }
    return { users, groups, restrictTo, url };
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** A failure as the admin should read it, and whether trying again may help. */
function classify(err: unknown, url: string, src: LdapSource): { message: string; transient: boolean } {
  if (err instanceof DirectoryError) return { message: err.message, transient: err.transient };
  const e = err as NodeJS.ErrnoException & { code?: unknown };
  const text = e?.message ?? String(err);
  if (err instanceof InvalidCredentialsError) return { message: `the directory at ${url} refused the bind as ${src.bindDN} (wrong DN or password)`, transient: false };
  if (err instanceof SizeLimitExceededError || err instanceof SizeLimitHit) {
    return { message: `the search at ${url} hit the size limit${src.sizeLimit ? ` (sizeLimit: ${src.sizeLimit})` : " set by the server"}: raise it or narrow the filter; nothing was changed`, transient: false };
  }
  if (err instanceof TimeLimitExceededError) return { message: `the search at ${url} hit the time limit (${src.timeLimit / 1000} s)`, transient: true };
  if (err instanceof ResultCodeError) {
    const busy = [51, 52, 80].includes(err.code); // busy, unavailable, other
    return { message: `the directory at ${url} answered ${err.constructor.name} (${err.code}): ${text}`, transient: busy };
  }
  const code = typeof e?.code === "string" ? e.code : "";
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME|DEPTH_ZERO/.test(code) || /certificate/i.test(text)) {
    return { message: `the certificate of ${url} is not trusted (${code || text})${src.caFile ? `: is ${src.caFile} the CA that signed it?` : ": set caFile to the CA that signed it"}`, transient: false };
  }
  if (/timeout|timed out/i.test(text)) return { message: `${url} did not answer in time (${text})`, transient: true };
  if (["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EPIPE"].includes(code) || /socket|closed/i.test(text)) {
    return { message: `${url} is unreachable (${code || text})`, transient: true };
  }
  return { message: `${url}: ${text}`, transient: true };
}

function readCaFile(path: string, opts: FetchOptions): Buffer {
  try {
    return (opts.readCa ?? ((p) => readFileSync(p)))(path);
  } catch (err) {
    throw new DirectoryError(`${opts.label}: caFile ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, false);
  }
}
