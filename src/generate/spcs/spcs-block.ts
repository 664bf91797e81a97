// The `spcs:` block of a values file: what Helm values cannot say about a Snowpark Container
// Services service. Validated with zod so every mistake names its value path (`spcs.storage.x.size`).
import * as z from "zod";

const Identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$/, "a Snowflake identifier: letters, digits, _ and $ (db.schema.name at most)");

export const SpcsStorageSchema = z.strictObject({
  source: z.enum(["block", "local", "memory", "stage"]).default("block"),
  size: z.string().optional().meta({ description: "block: whole Gi (10Gi); memory: 512Mi…; default: the chart's requested storage" }),
  stage: z.string().regex(/^@/, 'a stage is written "@STAGE" or "@STAGE/path"').optional().meta({ description: "stage: the stage to mount" }),
});

export const SpcsSecretSchema = z.strictObject({
  objectName: Identifier.meta({ description: "the Snowflake secret (CREATE SECRET …)" }),
  type: z.enum(["generic_string", "password", "oauth2"]).default("generic_string"),
  keys: z
    .record(z.string().min(1), z.enum(["username", "password", "secret_string", "access_token"]))
    .default({})
    .meta({ description: "Kubernetes Secret key → the Snowflake secret's key (a password secret: username | password)" }),
});

export const SpcsBlockSchema = z.strictObject({
  imageRepository: z.string().regex(/^[^\s:]*\/[^\s:]+$/, "an image repository path: /db/schema/repo or <account>.registry.snowflakecomputing.com/db/schema/repo"),
  chart: z.enum(["workbench", "connect", "package-manager", "jupyterhub"]).optional().meta({ description: "which chart the values are for (default: guessed from image.repository, or hub/singleuser)" }),
  service: z.string().regex(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, "a service base name: lowercase letters, digits and '-', starting with a letter"),
  computePool: Identifier.optional(),
  instances: z.number().int().min(1).optional().meta({ description: "MIN_INSTANCES = MAX_INSTANCES (default: the chart's replicas, else 1)" }),
  endpoint: z.strictObject({ public: z.boolean().default(true) }).prefault({}),
  storage: z.record(z.string(), SpcsStorageSchema).default({}),
  secrets: z.record(z.string(), SpcsSecretSchema).default({}),
  logLevel: z.enum(["INFO", "ERROR", "NONE"]).optional(),
  foyer: z
    .strictObject({ binary: z.string().regex(/^\//).default("/usr/local/bin/foyer"), spec: z.string().regex(/^\//).default("/etc/foyer/foyer.yaml") })
    .prefault({})
    .meta({ description: "where the image holds foyer and the generated foyer.yaml" }),
});
export type SpcsBlock = z.infer<typeof SpcsBlockSchema>;
export type SpcsSecret = z.infer<typeof SpcsSecretSchema>;
export type SpcsStorage = z.infer<typeof SpcsStorageSchema>;
