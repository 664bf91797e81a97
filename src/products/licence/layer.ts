// The licence part of a product's spec, decided from the environment as Posit's startup.sh does
// (first match wins: a key, else a licence server, else a licence file) and expressed in the spec's
// own terms, so everything else is the one way foyer already does it: the value is a declared
// secret (env list with _FILE twins, refused if short, masked everywhere, kept from every
// program's env), activation is a oneshot the servers start after, deactivation is that oneshot's
// `down` (retries inside its grace), and a licence file is a secret whose copy is planned 0600 for
// the service user (plan.ts).
// Pure: env and a file-exists probe in, data out.
import { posix } from "node:path";
import type { SpecInput } from "../../spec/schema.js";
import type { LicenceDef } from "./definitions.js";

type SecretInput = NonNullable<SpecInput["secrets"]>[string];
type ProgramInput = NonNullable<SpecInput["programs"]>[string];

/** The oneshot that activates the licence; the servers start after it. */
export const LICENCE_PROGRAM = "license";
/** Secret names: a product key, a licence server address, a licence file's contents. */
export const LICENCE_SECRETS = { key: "license", server: "license-server", file: "license-file" } as const;
/** The variables the oneshot receives the key or server in (and nothing else does). */
const KEY_VAR = "LICENSE_KEY";
const SERVER_VAR = "LICENSE_SERVER";

/** Activation and deactivation of a license-manager licence can take a while; Posit recommends 120 s. */
const GRACE = "120s";

export type LicenceMode = "key" | "server" | "file" | "none";

export interface LicenceLayer {
  mode: LicenceMode;
  /** where the licence came from: the env var set first (or the spec's own secret), or the file path */
  from?: string;
  secrets: Record<string, SecretInput>;
  program?: ProgramInput;
  /** every licence variable of the product (with _FILE twins): no program inherits them */
  envVars: string[];
}

export interface LicenceInput {
  env: Readonly<Record<string, string | undefined>>;
  /** whether a path exists (the default licence file is used only then) */
  exists: (path: string) => boolean;
  /** secrets the spec declares itself: a `license` or `license-server` there is the licence's source */
  declared: ReadonlySet<string>;
}

const isSet = (env: LicenceInput["env"], name: string): boolean => Boolean(env[name]) || Boolean(env[`${name}_FILE`]);

/** Decide the licence of one product from the environment and the spec's own secrets. */
export function licenceLayer(def: LicenceDef, input: LicenceInput): LicenceLayer {
  const envVars = [...def.key, ...def.server, ...def.filePath].flatMap((v) => [v, `${v}_FILE`]);
  const base = { envVars, secrets: {} as Record<string, SecretInput> };
  const key = input.declared.has(LICENCE_SECRETS.key) ? "secrets.license" : def.key.find((v) => isSet(input.env, v));
  if (key) {
    const secrets: Record<string, SecretInput> = input.declared.has(LICENCE_SECRETS.key) ? {} : { [LICENCE_SECRETS.key]: { env: [...def.key] } };
    return { ...base, mode: "key", from: key, secrets, program: activation(def, "key") };
  }
  const server = input.declared.has(LICENCE_SECRETS.server) ? "secrets.license-server" : def.server.find((v) => isSet(input.env, v));
  if (server) {
    const secrets: Record<string, SecretInput> = input.declared.has(LICENCE_SECRETS.server) ? {} : { [LICENCE_SECRETS.server]: { env: [...def.server] } };
    return { ...base, mode: "server", from: server, secrets, program: activation(def, "server") };
  }
  const named = def.filePath.map((v) => input.env[v]).find((p) => p !== undefined && p !== "");
  const file = named ?? (input.exists(def.defaultFile) ? def.defaultFile : undefined);
  // already where the product reads licence files (a Secret mounted there): nothing to copy
  if (file && posix.normalize(file).startsWith(`${posix.dirname(def.installedFile)}/`)) return { ...base, mode: "file", from: file };
  // the product reads the copy (planned from this secret: planLicenceFile); a file named by a
  // variable must exist (the secret is required)
  if (file) return { ...base, mode: "file", from: file, secrets: { [LICENCE_SECRETS.file]: { file } } };
  return { ...base, mode: "none" };
}

/**
 * The activation oneshot. license-manager takes the key (or server) only as an argument, so the
 * value reaches it through the oneshot's own env var and a shell that expands it: it is never in
 * the spec, the plan, foyer's argv or any other program's env (it is in license-manager's argv
 * while that runs, as in Posit's images; see docs/products.md).
 */
function activation(def: LicenceDef, mode: "key" | "server"): ProgramInput {
  const lm = shellQuote(def.licenseManager);
  const userspace = def.userspace ? " --userspace" : "";
  const verb = mode === "key" ? `activate "$${KEY_VAR}"` : `license-server "$${SERVER_VAR}"`;
  // Package Manager's image initialises userspace licensing first and ignores its failure
  const init = def.userspace ? `${lm} initialize --userspace || true; ` : "";
  return {
    oneshot: true,
    shell: true,
    command: `${init}exec ${lm} ${verb}${userspace}`,
    secrets: mode === "key" ? { [KEY_VAR]: LICENCE_SECRETS.key } : { [SERVER_VAR]: LICENCE_SECRETS.server },
    ...(def.userspace ? { user: def.owner } : {}),
    restart: "never",
    stop: { grace: GRACE },
    down: { command: [def.licenseManager, "deactivate", ...(def.userspace ? ["--userspace"] : [])], retries: 3 },
  };
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_/.+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
