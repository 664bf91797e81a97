// The one entry point the validation stage calls for each product config file it is about to
// write: option names and types against the product's catalog, and, for the Job Launcher's
// Kubernetes profiles, the plugin's own rules (ratios, images, placement constraints, overrides).
// Pure: whether a job-json-overrides file is usable is asked through `overrideFile`.
import type { ConfigIssue } from "../errors.js";
import { checkProductOptions } from "./options/index.js";
import { checkLauncherProfiles, type OverrideFileCheck } from "./workbench/launcher-profiles.js";

export interface ProductCheckOptions {
  /**
   * Whether a job-json-overrides file can be used: undefined if so, else why not ("does not
   * exist", "is not valid JSON"…). The stage answers from the plan (files it will write) and then
   * the filesystem. Without it, override files are not checked.
   */
  overrideFile?: OverrideFileCheck;
}

/**
 * Warnings for one config file: `file` is its name or path (the base name picks the product's
 * catalog), `body` the spec's body for it (verbatim text, or structured data as in the charts'
 * `config:` values), `place` its spec path (`config.server.rserver.conf`). Unknown names carry a
 * did-you-mean. Files foyer has no catalog for give no warnings.
 */
export function checkProductConfig(file: string, body: unknown, place: string, options: ProductCheckOptions = {}): ConfigIssue[] {
  if (file.slice(file.lastIndexOf("/") + 1) === "launcher.kubernetes.profiles.conf") return checkLauncherProfiles(body, place, options.overrideFile);
  return checkProductOptions(file, body, place);
}

/** The `config:` sections that hold files by name (serverDcf has no catalog yet). */
const FILE_SECTIONS = ["server", "session", "secret", "sessionSecret", "profiles", "gcfg"] as const;

/**
 * Warnings for every product config file of a spec's `config:` block (Workbench's shape:
 * `config.<section>.<file>`). A Connect or Package Manager `config:` that is itself the gcfg body
 * (the charts' shape) is one call: `checkProductConfig("rstudio-connect.gcfg", config, "config")`.
 */
export function checkConfigFiles(config: Readonly<Record<string, unknown>> | undefined, options: ProductCheckOptions = {}): ConfigIssue[] {
  if (!config) return [];
  return FILE_SECTIONS.flatMap((section) => {
    const files = config[section];
    if (typeof files !== "object" || files === null || Array.isArray(files)) return [];
    return Object.entries(files).flatMap(([file, body]) => checkProductConfig(file, body, `config.${section}.${file}`, options));
  });
}
