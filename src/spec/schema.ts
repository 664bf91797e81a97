// The spec: the single source of truth for foyer's configuration types and for `foyer schema`.
// Every object is strict, so a misspelt key is an error (with a did-you-mean) instead of being ignored.
import * as z from "zod";
import { AbsolutePath, Duration, EnvName, FileMode, ListenAddress, Umask, UserSpec } from "./primitives.js";
import { HomeSchema } from "../home/schema.js";
import { JupyterSchema } from "../jupyter/schema.js";
import { UsersSchema } from "../users/schema.js";

const SecretName = z.string().regex(/^[A-Za-z0-9_.-]+$/, "secret names use letters, digits, _ . -");

/**
 * Where one named secret comes from. `env` also honours the VAR_FILE convention. Files are read
 * only when regular and at most 1 MiB; a resolved value shorter than 8 characters is refused.
 */
export const SecretSourceSchema = z.union([
  z.strictObject({ env: EnvName, optional: z.boolean().default(false) }),
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

/** A config file's body: verbatim text, or structured data (a map, or a list of records for DCF) rendered in the section's format. */
const ConfigFileBody = z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);
const ConfigFiles = z.record(z.string().regex(/^[A-Za-z0-9_.@-]+$/, "a file name, no directories"), ConfigFileBody);

/** Product config files, in the same shape as the Posit Helm charts' `config:` values. */
export const ConfigSchema = z.strictObject({
  dir: AbsolutePath.optional().meta({ description: "where server/profiles/secret files go (product default, e.g. /etc/rstudio)" }),
  server: ConfigFiles.optional().meta({ description: "ini files: key=value, maps are [sections], lists of maps repeat sections" }),
  session: ConfigFiles.optional(),
  serverDcf: ConfigFiles.optional().meta({ description: "DCF files: `Key: value` records" }),
  profiles: ConfigFiles.optional().meta({ description: "Job Launcher profiles: [*], [@group], [user] sections" }),
  secret: ConfigFiles.optional().meta({ description: "ini files written 0600 (may use {{secret 'name'}})" }),
  sessionSecret: ConfigFiles.optional(),
  gcfg: ConfigFiles.optional().meta({ description: "gcfg files (Connect, Package Manager): [Section] / [Section \"name\"]" }),
  defaultMode: FileMode.optional(),
  secretMode: FileMode.optional(),
});

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
    config: ConfigSchema.optional(),
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

export type Spec = z.infer<typeof SpecSchema>;
export type SpecInput = z.input<typeof SpecSchema>;
export type Program = z.infer<typeof ProgramSchema>;
export type Ready = z.infer<typeof ReadySchema>;
export type Down = z.infer<typeof DownSchema>;
export type Hook = z.infer<typeof HookSchema>;
export type FileEntry = z.infer<typeof FileSchema>;
export type ConfigSection = z.infer<typeof ConfigSchema>;
export type SecretSource = z.infer<typeof SecretSourceSchema>;
