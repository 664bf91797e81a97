// The Job Launcher's Kubernetes object templates (seed 001 §3.1.4): the spec's `job.tpl`,
// `service.tpl` (and files they `include`) written into the plugin's scratch-path, where the only
// templates the plugin uses live. Every template must start with the `# Version: N` comment the
// Launcher requires (1 today); without it the Launcher refuses the template and no job starts.
import type { ConfigIssue } from "../../errors.js";
import type { Action } from "../../plan/action.js";
import { isMap } from "../../render/index.js";
import type { WorkbenchConfig } from "./schema.js";

/** The plugin's default scratch-path (/var/lib/rstudio-launcher/{name of plugin}). */
export const DEFAULT_SCRATCH = "/var/lib/rstudio-launcher/Kubernetes";
/** The template version the Launcher requires (seed 001: "Currently, this version must be set to 1"). */
export const TEMPLATE_VERSION = "1";
const VERSIONED = new Set(["job.tpl", "service.tpl"]);

function kubernetesConf(config: WorkbenchConfig): Readonly<Record<string, unknown>> | undefined {
  const body = config.server?.["launcher.kubernetes.conf"];
  return isMap(body) ? body : undefined;
}

export function scratchPath(config: WorkbenchConfig): string {
  const path = kubernetesConf(config)?.["scratch-path"];
  return typeof path === "string" && path.startsWith("/") ? path.replace(/\/+$/, "") : DEFAULT_SCRATCH;
}

/** Write each template (mode `server`); a job.tpl or service.tpl without its version comment is an issue. */
export function planLauncherTemplates(config: WorkbenchConfig, mode: number): { actions: Action[]; issues: ConfigIssue[] } {
  const templates = config.launcherTemplates ?? {};
  const dir = scratchPath(config);
  const issues: ConfigIssue[] = [];
  const actions: Action[] = Object.entries(templates).map(([file, text]) => {
    const place = `config.launcherTemplates.${file}`;
    if (VERSIONED.has(file) && versionOf(text) === undefined) {
      issues.push({ path: place, message: `${file} must start with the comment "# Version: ${TEMPLATE_VERSION}" (the Launcher refuses a template without it; --generate-templates writes it)` });
    }
    return { kind: "write-file", path: `${dir}/${file}`, reason: `Job Launcher template from ${place} (the plugin's scratch-path)`, source: place, content: text.endsWith("\n") ? text : `${text}\n`, mode, secret: false, format: "content" };
  });
  return { actions, issues };
}

/** The `# Version: N` of a template's first non-blank line. */
export function versionOf(text: string): string | undefined {
  const first = text.split("\n").find((l) => l.trim() !== "");
  return first === undefined ? undefined : /^#\s*Version:\s*(\S+)\s*$/.exec(first.trim())?.[1];
}

/** Warnings: templates that would be ignored (use-templating is not 1), or a version the Launcher does not expect. */
export function checkLauncherTemplates(config: WorkbenchConfig): ConfigIssue[] {
  const templates = config.launcherTemplates ?? {};
  if (Object.keys(templates).length === 0) return [];
  const issues: ConfigIssue[] = [];
  const useTemplating = kubernetesConf(config)?.["use-templating"];
  if (String(useTemplating) !== "1") {
    issues.push({ path: "config.launcherTemplates", message: "templates are only used with use-templating=1 in launcher.kubernetes.conf (config.server.launcher.kubernetes.conf.use-templating); they would be ignored" });
  }
  for (const [file, text] of Object.entries(templates)) {
    const version = versionOf(text);
    if (VERSIONED.has(file) && version !== undefined && version !== TEMPLATE_VERSION) {
      issues.push({ path: `config.launcherTemplates.${file}`, message: `${file} says "# Version: ${version}"; the Launcher of seed 001 expects ${TEMPLATE_VERSION}` });
    }
  }
  return issues;
}
