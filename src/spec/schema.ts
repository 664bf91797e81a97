// The spec: the single source of truth for foyer's configuration types and for `foyer schema`.
// Every object is strict, so a misspelt key is an error (with a did-you-mean) instead of being ignored.
import * as z from "zod";
import { PositSectionsSchema } from "../products/posit-sections/schema.js";
import { AbsolutePath, Duration, EnvName, FileMode, ListenAddress, Umask, UserSpec } from "./primitives.js";
import { HomeSchema } from "../home/schema.js";
import { JupyterSchema } from "../jupyter/schema.js";
import { UsersSchema } from "../users/schema.js";

const SecretName = z.string().regex(/^[A-Za-z0-9_.-]+$/, "secret names use letters, digits, _ . -");

/**
 * Where one named secret comes from. `env` also honours the VAR_FILE convention; a list of names is
 * tried in order (the first set wins: Posit's images accept PWB_LICENSE, then RSW_LICENSE, then
 * RSP_LICENSE), and every name in it is kept from programs. Files are read only when regular and at
 * most 1 MiB; a resolved value shorter than 8 characters is refused.
 */
export const SecretSourceSchema = z.union([
  z.strictObject({
    env: z.union([EnvName, z.array(EnvName).min(1)]).meta({ description: "an env var (or VAR_FILE), or a list tried in order: the first one set wins" }),
    optional: z.boolean().default(false),
  }),
  z.strictObject({ file: AbsolutePath, optional: z.boolean().default(false) }),
  z.strictObject({
    k8s: AbsolutePath.meta({ description: "a mounted Kubernetes Secret directory (with ..data symlinks)" }),
    key: z
      .string()
      .regex(/^(?!\.\.?$)[^/\0]+$/, "a key is one file name inside the secret directory (no '/', not '.' or '..')")
      .optional()
      .meta({ description: "the file name of the key inside the directory (default: the secret's name)" }),
    optional: z.boolean().default(false),
  }),
])
  .meta({
    description:
      "where a secret comes from: env (also VAR_FILE), file, or a Kubernetes Secret dir (k8s + key). Files must be regular and at most 1 MiB. A value shorter than 8 characters is refused: it could not be masked in logs and plans without garbling them.",
  });

/** A generic file rendered from a Handlebars template or written verbatim. */
export const FileSchema = z
  .strictObject({
    path: AbsolutePath,
    template: z.string().optional().meta({ description: "inline Handlebars template (helpers: env, secret, default, required)" }),
    templateFile: AbsolutePath.optional(),
    content: z.string().optional().meta({ description: "verbatim content, not templated" }),
    mode: FileMode.optional(),
    owner: UserSpec.optional(),
  })
  .refine((f) => [f.template, f.templateFile, f.content].filter((x) => x !== undefined).length === 1, {
    message: "give exactly one of template, templateFile, content",
  });

/**
 * `config:` without a product: the Posit file sections. A profile's product replaces it with its
 * own shape (src/products/spec-schema.ts: `specSchemaFor`), which is what the loader validates.
 */
const GenericConfigSchema = PositSectionsSchema;

/** A readiness probe: exactly one of tcp, http, exec, file, uptime. */
export const ReadySchema = z
  .strictObject({
    tcp: ListenAddress.optional(),
    http: z.url({ protocol: /^https?$/ }).optional(),
    method: z.enum(["GET", "HEAD", "POST", "OPTIONS"]).default("GET"),
    headers: z.record(z.string(), z.string()).default({}),
    status: z
      .string()
      .regex(/^\d{3}(-\d{3})?$/, 'expected a status like "200" or a range "200-399"')
      .default("200-399"),
    userAgent: z.union([z.string(), z.literal(true)]).optional().meta({ description: "send a browser user-agent (true) or this one" }),
    insecure: z.boolean().default(false).meta({ description: "https: accept self-signed certificates" }),
    exec: z.array(z.string()).min(1).optional(),
    file: AbsolutePath.optional(),
    uptime: Duration.optional().meta({ description: "ready once it has stayed up this long (supervisord's startsecs); exiting before is a failed start" }),
    timeout: Duration.default(60_000).meta({ description: "how long the program may take to become ready" }),
    interval: Duration.default(250),
  })
  .refine((r) => [r.tcp, r.http, r.exec, r.file, r.uptime].filter((x) => x !== undefined).length === 1, {
    message: "give exactly one probe: tcp, http, exec, file or uptime",
  });

/**
 * A oneshot's `down` (s6-rc's oneshot down): undoes what the oneshot did (e.g. deactivates a licence)
 * at shutdown, after the programs that start after the oneshot have stopped. Runs only if the
 * oneshot succeeded, as the oneshot's user, cwd, env and secrets; retried within its `stop.grace`.
 */
export const DownSchema = z
  .strictObject({
    command: z.union([z.array(z.string()).min(1), z.string().min(1)]),
    shell: z.boolean().default(false).meta({ description: "run a string command with /bin/sh -c" }),
    timeout: Duration.optional().meta({ description: "per attempt (its stop signal after it); default: the rest of the oneshot's stop.grace" }),
    retries: z.number().int().min(0).default(3).meta({ description: "attempts after a failed one, while the oneshot's stop.grace lasts" }),
  })
  .refine((d) => d.shell || Array.isArray(d.command), {
    message: "a string command needs `shell: true` (or give an argv list)",
    path: ["command"],
  });

/** One supervised program. */
export const ProgramSchema = z
  .strictObject({
    command: z.union([z.array(z.string()).min(1), z.string().min(1)]),
    shell: z.boolean().default(false).meta({ description: "run a string command with /bin/sh -c" }),
    env: z.record(EnvName, z.string()).default({}),
    unset: z.array(EnvName).default([]),
    secrets: z.record(EnvName, SecretName).default({}).meta({ description: "ENV_VAR: secret-name, given to this program only" }),
    cwd: AbsolutePath.optional(),
    user: UserSpec.optional(),
    umask: Umask.optional(),
    after: z.array(z.string()).default([]),
    oneshot: z.boolean().default(false),
    down: DownSchema.optional().meta({ description: "oneshot only: a command that undoes its work at shutdown" }),
    autostart: z.boolean().default(true),
    ready: ReadySchema.optional(),
    restart: z.enum(["never", "on-failure", "always"]).default("on-failure"),
    backoff: z
      .strictObject({ initial: Duration.default(1000), max: Duration.default(30_000), retries: z.number().int().min(0).default(5) })
      .prefault({}),
    critical: z.boolean().optional().meta({ description: "its exit or FATAL ends the container (default: true for the main program)" }),
    stop: z
      .strictObject({
        signal: z.enum(["TERM", "INT", "QUIT", "HUP", "KILL", "USR1", "USR2", "WINCH"]).default("TERM"),
        grace: Duration.default(10_000),
      })
      .prefault({}),
  })
  .refine((p) => p.shell || Array.isArray(p.command), {
    message: "a string command needs `shell: true` (or give an argv list)",
    path: ["command"],
  })
  .refine((p) => p.down === undefined || p.oneshot, {
    message: "`down` undoes a oneshot's work at shutdown: it needs `oneshot: true`",
    path: ["down"],
  });

/** A hook directory; `*.sh` files are sourced, other executables run (docker-stacks semantics). */
export const HookSchema = z.union([
  AbsolutePath.transform((dir) => ({ dir, user: undefined, timeout: 300_000, onFailure: "abort" as const })),
  z.strictObject({
    dir: AbsolutePath,
    user: UserSpec.optional(),
    timeout: Duration.default(300_000),
    onFailure: z.enum(["abort", "continue"]).default("abort"),
  }),
]);

/** The whole spec. */
export const SpecSchema = z
  .strictObject({
    $schema: z.string().optional(),
    profile: z.string().optional().meta({ description: "a preset: workbench, connect, package-manager, rstudio-session, jupyter-singleuser" }),
    secrets: z.record(SecretName, SecretSourceSchema).default({}),
    env: z.record(EnvName, z.string()).default({}).meta({ description: "environment added for every program and hook" }),
    config: GenericConfigSchema.optional().meta({ description: "product config files; the shape is the profile's product's (the Posit charts' `config:` values)" }),
    files: z.array(FileSchema).default([]),
    home: HomeSchema.optional(),
    jupyter: JupyterSchema.optional(),
    hooks: z
      .strictObject({
        init: z.union([HookSchema.transform((h) => [h]), z.array(HookSchema)]).optional().meta({ description: "a hook directory, or a list run in order (docker-stacks: start-notebook.d, then before-notebook.d)" }),
        finish: z.union([HookSchema.transform((h) => [h]), z.array(HookSchema)]).optional(),
      })
      .default({}),
    programs: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, "program names use letters, digits, _ and -"), ProgramSchema).default({}),
    users: UsersSchema.optional(),
    health: z.strictObject({ listen: ListenAddress }).optional(),
    control: z.strictObject({ socket: AbsolutePath.default("/run/foyer/control.sock"), enabled: z.boolean().default(true) }).prefault({}),
    shutdown: z.strictObject({ deadline: Duration.default(180_000) }).prefault({}),
    log: z
      .strictObject({ level: z.enum(["debug", "info", "warn", "error"]).default("info"), format: z.enum(["text", "json"]).default("text") })
      .prefault({}),
  })
  .meta({ title: "foyer spec", description: "foyer: prepare a data-science container, then supervise it as PID 1" });

/** A validated spec. `config` is typed by its product (each product parses its own shape). */
export type Spec = Omit<z.infer<typeof SpecSchema>, "config"> & { config?: unknown };
export type SpecInput = z.input<typeof SpecSchema>;
export type Program = z.infer<typeof ProgramSchema>;
export type Ready = z.infer<typeof ReadySchema>;
export type Down = z.infer<typeof DownSchema>;
export type Hook = z.infer<typeof HookSchema>;
export type FileEntry = z.infer<typeof FileSchema>;
export type SecretSource = z.infer<typeof SecretSourceSchema>;
