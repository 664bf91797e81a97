// Planning the Posit file sections: each file under server/session/serverDcf/profiles/secret/
// sessionSecret/gcfg is rendered in its format into the config dir. Secret sections, and any file
// whose values used a secret, get the secret mode.
import type { ConfigIssue } from "../../errors.js";
import type { Action } from "../../plan/action.js";
import { formatJson, isMap, renderDcf, renderGcfg, renderIni, renderProfiles, renderTree, type Rendered, type TemplateEngine } from "../../render/index.js";
import type { PlanContext, ProductPlan } from "../product.js";

export type SectionName = "server" | "session" | "serverDcf" | "profiles" | "secret" | "sessionSecret" | "gcfg";
type Renderer = (body: unknown, place: string) => Rendered;

/** Each section's format and whether its files are secret; the order is the order files are planned. */
export const SECTIONS: ReadonlyArray<{ name: SectionName; format: string; render: Renderer; secret: boolean }> = [
  { name: "server", format: "ini", render: renderIni, secret: false },
  { name: "session", format: "ini", render: renderIni, secret: false },
  { name: "serverDcf", format: "dcf", render: renderDcf, secret: false },
  { name: "profiles", format: "profiles", render: renderProfiles, secret: false },
  { name: "secret", format: "ini", render: renderIni, secret: true },
  { name: "sessionSecret", format: "ini", render: renderIni, secret: true },
  { name: "gcfg", format: "gcfg", render: renderGcfg, secret: false },
];

/** The sections' files and the mode each section's files get. */
export interface SectionsInput {
  files: Partial<Record<SectionName, Readonly<Record<string, unknown>> | null | undefined>>;
  /** the mode of a section's files when they hold no secret */
  modeOf(section: SectionName): number;
  /** the mode of a file that holds a secret (secret sections, or a file whose values used one) */
  secretModeOf(section: SectionName): number;
  /** the mode of job-json-overrides files */
  overridesMode: number;
}

/** Actions for the sections: ensure the dir, then one write-file per config file. */
export function planSections(input: SectionsInput, ctx: PlanContext): ProductPlan {
  const actions: Action[] = [];
  const issues: ConfigIssue[] = [];
  const base = ctx.configDir.replace(/\/+$/, "");
  for (const section of SECTIONS) {
    for (const [file, body] of Object.entries(input.files[section.name] ?? {})) {
      const place = `config.${section.name}.${file}`;
      const r = renderConfigFile(section, file, body, place, `${base}/job-json-overrides`, ctx.engine);
      issues.push(...r.issues);
      const secret = section.secret || r.secretsUsed.length > 0 || ctx.holdsSecret(r.text);
      actions.push({
        kind: "write-file",
        path: `${base}/${file}`,
        reason: `config file from ${place}${secret && !section.secret ? " (uses secrets, so written with the secret mode)" : ""}`,
        source: place,
        content: r.text,
        mode: secret ? input.secretModeOf(section.name) : input.modeOf(section.name),
        secret,
        ...(section.secret ? { hidden: true } : {}),
        format: r.format,
      });
      for (const f of r.files) {
        const fileSecret = ctx.holdsSecret(f.content);
        const source = `${place}.job-json-overrides`;
        const reason = `job-json-override file used by ${place}`;
        actions.push({ kind: "write-file", path: f.path, reason, source, content: f.content, mode: fileSecret ? input.secretModeOf(section.name) : input.overridesMode, secret: fileSecret, format: "json" });
      }
    }
  }
  if (actions.length > 0) {
    actions.unshift({ kind: "ensure-dir", path: ctx.configDir, reason: "the config files' directory", source: "config.dir", mode: 0o755 });
  }
  return { actions, issues };
}

/** One config file: templates expanded, then rendered in its section's format (JSON for *.json maps). */
function renderConfigFile(
  section: (typeof SECTIONS)[number],
  file: string,
  body: unknown,
  place: string,
  overridesDir: string,
  engine: TemplateEngine,
): { text: string; issues: ConfigIssue[]; secretsUsed: string[]; format: string; files: Array<{ path: string; content: string }> } {
  const templated = renderTree(body, place, engine);
  const common = { secretsUsed: templated.secretsUsed, files: [] };
  if (file.endsWith(".json") && isMap(templated.value)) {
    return { ...common, text: formatJson(templated.value), issues: templated.issues, format: "json" };
  }
  if (section.name === "profiles") {
    const r = renderProfiles(templated.value, place, overridesDir);
    return { ...common, text: r.text, issues: [...templated.issues, ...r.issues], format: section.format, files: r.files };
  }
  const r = section.render(templated.value, place);
  return { ...common, text: r.text, issues: [...templated.issues, ...r.issues], format: section.format };
}
