// Workbench's `config:`: the rstudio-workbench chart's `config:` block as it is (values.yaml at
// rstudio/helm 000575adfeb2), plus `dir` and `existingSecretsDir`, which say where things are in a
// container without the chart's mounts.
import * as z from "zod";
import { AbsolutePath, FileMode } from "../../spec/primitives.js";
import { ConfigFiles } from "../posit-sections/schema.js";

/** A section of files; `~` (the chart's `secret:` with nothing under it) is no files, as Helm reads it. */
const Files = ConfigFiles.nullish();

/** The chart's `config.defaultMode`: a mode per kind of file (chart defaults in profiles/workbench.yaml). */
export const DefaultModesSchema = z.strictObject({
  server: FileMode.optional(),
  session: FileMode.optional(),
  sessionSecret: FileMode.optional(),
  secret: FileMode.optional(),
  userProvisioning: FileMode.optional().meta({ description: "sssd files in /etc/sssd/conf.d" }),
  jobJsonOverrides: FileMode.optional(),
  startup: FileMode.optional().meta({ description: "read for compatibility: foyer runs startup programs itself, it writes no startup files" }),
  prestart: FileMode.optional().meta({ description: "read for compatibility: foyer writes no prestart scripts" }),
  pam: FileMode.optional().meta({ description: "files in /etc/pam.d" }),
});

/** A Kubernetes Secret reference: its keys become secret sources read from its mounted directory. */
const ExistingSecretSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "a Kubernetes Secret name (lowercase letters, digits, '-', '.')"),
  items: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[-._A-Za-z0-9]+$/, "a Secret key (letters, digits, '-', '_', '.')"),
        path: z.string().regex(/^(?!\.\.?$)[A-Za-z0-9_.@-]+$/, "a file name in the config dir (no directories, not . or ..)"),
        mode: FileMode.optional(),
      }),
    )
    .min(1),
});

export const WorkbenchConfigSchema = z.strictObject({
  dir: AbsolutePath.optional().meta({ description: "where server, session and secret files go (default /etc/rstudio)" }),
  existingSecretsDir: AbsolutePath.optional().meta({
    description: "where the Kubernetes Secrets named by existingSecrets and database.conf.existingSecret are mounted, one directory per Secret (default /mnt/secrets)",
  }),
  defaultMode: z
    .union([FileMode, DefaultModesSchema])
    .optional()
    .meta({ description: "the chart's map of modes per kind of file; a single mode (foyer's older form) applies to every file that is not secret" }),
  server: Files.meta({ description: "ini files: key=value, maps are [sections], lists of maps repeat sections" }),
  session: Files,
  serverDcf: Files.meta({ description: "DCF files: `Key: value` records (launcher-mounts, launcher-env)" }),
  profiles: Files.meta({ description: "Job Launcher profiles: [*], [@group], [user] sections" }),
  secret: Files.meta({ description: "ini files written with defaultMode.secret (may use {{secret 'name'}})" }),
  sessionSecret: Files,
  database: z
    .strictObject({
      conf: z
        .strictObject({
          existingSecret: z.string().default("").meta({ description: "a Kubernetes Secret whose key `database.conf` is the file; wins over value" }),
          value: z.string().default(""),
        })
        .prefault({}),
    })
    .optional(),
  existingSecrets: z.array(ExistingSecretSchema).nullish().meta({ description: "Kubernetes Secrets whose keys become files in the config dir (defaultMode.secret)" }),
  userProvisioning: Files.meta({ description: "deprecated: config.sssd.conf" }),
  sssd: z
    .strictObject({
      enabled: z.boolean().default(true),
      conf: Files.meta({ description: "files for /etc/sssd/conf.d (defaultMode.userProvisioning)" }),
    })
    .optional(),
  startupCustom: Files.meta({ description: "supervisord [program:x] files: run as foyer programs" }),
  startupUserProvisioning: Files.meta({ description: "supervisord [program:x] files for user provisioning: run as foyer programs" }),
  launcherTemplates: z
    .record(z.string().regex(/^[A-Za-z0-9_.@-]+\.tpl$/, "a template file name ending in .tpl, no directories"), z.string())
    .nullish()
    .meta({ description: "foyer's: Job Launcher Kubernetes object templates (job.tpl, service.tpl, included *.tpl) written to the plugin's scratch-path; use with use-templating=1" }),
  pam: z
    .record(z.string().regex(/^[A-Za-z0-9_.@-]+$/, "a file name in /etc/pam.d, no directories"), z.union([z.string(), z.record(z.string(), z.string())]))
    .nullish()
    .meta({ description: "files for /etc/pam.d: the text, or {comment: text} blocks (the chart's config.txt: `# comment` then the text)" }),
});

export type WorkbenchConfig = z.infer<typeof WorkbenchConfigSchema>;
export type DefaultModes = z.infer<typeof DefaultModesSchema>;
