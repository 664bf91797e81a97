// The file sections shared by the Posit products' `config:` blocks: each key is a file name, each
// body is verbatim text or structured data rendered in the section's format.
import * as z from "zod";
import { AbsolutePath, FileMode } from "../../spec/primitives.js";

/** A config file's body: verbatim text, or structured data (a map, or a list of records for DCF) rendered in the section's format. */
export const ConfigFileBody = z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]);
/** File name → body; a null section (the chart's `secret:` with nothing under it) is no files. */
export const ConfigFiles = z.record(z.string().regex(/^[A-Za-z0-9_.@-]+$/, "a file name, no directories"), ConfigFileBody);

/** The sections without a product: today's shape (Workbench's files plus gcfg), one mode for all. */
export const PositSectionsSchema = z.strictObject({
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

export type PositSections = z.infer<typeof PositSectionsSchema>;
