// The files of Workbench's `config:`, as the chart would have mounted them: the file sections in
// the config dir, database.conf and the existingSecrets' keys beside them (secret mode), sssd files
// in /etc/sssd/conf.d, PAM files in /etc/pam.d. Pure.
import type { ConfigIssue } from "../../errors.js";
import type { Action } from "../../plan/action.js";
import { renderIni, renderTree } from "../../render/index.js";
import { planSections, type SectionName } from "../posit-sections/plan.js";
import type { PlanContext, ProductPlan } from "../product.js";
import { DATABASE_VALUE_SECRET, databaseSecretName, existingSecretName } from "./secrets.js";
import { withInClusterLauncher } from "./in-cluster.js";
import { modeFor, type ModeKind } from "./modes.js";
import { generatedState } from "./state.js";
import { planLauncherTemplates } from "./launcher-templates.js";
import type { WorkbenchConfig } from "./schema.js";

export const SSSD_CONF_DIR = "/etc/sssd/conf.d";
export const PAM_DIR = "/etc/pam.d";

/** Which defaultMode a section's files get, and which one when they hold a secret. */
const SECTION_MODE: Record<SectionName, { mode: ModeKind; secretMode: ModeKind }> = {
  server: { mode: "server", secretMode: "secret" },
  session: { mode: "session", secretMode: "secret" },
  serverDcf: { mode: "server", secretMode: "secret" },
  profiles: { mode: "server", secretMode: "secret" },
  secret: { mode: "secret", secretMode: "secret" },
  sessionSecret: { mode: "sessionSecret", secretMode: "sessionSecret" },
  gcfg: { mode: "server", secretMode: "secret" },
};

export function planWorkbench(given: WorkbenchConfig | undefined, ctx: PlanContext): ProductPlan {
  if (!given) return { actions: [], issues: [] };
  const config = withInClusterLauncher(given, ctx.facts.kubernetes);
  const sections = planSections(
    {
      files: config,
      modeOf: (s) => modeFor(config, SECTION_MODE[s].mode),
      secretModeOf: (s) => modeFor(config, SECTION_MODE[s].secretMode),
      overridesMode: modeFor(config, "jobJsonOverrides"),
    },
    ctx,
  );
  const actions = [...sections.actions];
  const issues = [...sections.issues];
  const secretFiles = [...databaseConf(config, ctx), ...existingSecretFiles(config, ctx)];
  for (const f of secretFiles) issues.push(...f.issues);
  if (secretFiles.length > 0 && !actions.some((a) => a.kind === "ensure-dir" && a.path === ctx.configDir)) {
    actions.unshift({ kind: "ensure-dir", path: ctx.configDir, reason: "the config files' directory", source: "config.dir", mode: 0o755 });
  }
  actions.push(...secretFiles.map((f) => f.action));
  const sssd = planSssd(config, ctx);
  const pam = planPam(config);
  const state = generatedState(config, ctx.configDir);
  const templates = planLauncherTemplates(config, modeFor(config, "server"));
  actions.push(...templates.actions);
  issues.push(...templates.issues);
  return { actions: [...actions, ...state, ...sssd.actions, ...pam.actions], issues: [...issues, ...sssd.issues, ...pam.issues] };
}

interface SecretFile {
  action: Action;
  issues: ConfigIssue[];
}

/** A file whose whole content is one secret, written with defaultMode.secret (or the item's mode). */
function secretFile(ctx: PlanContext, file: string, secret: string, source: string, reason: string, mode: number): SecretFile {
  const r = ctx.engine.render(`{{secret ${JSON.stringify(secret)}}}`, source);
  return {
    action: { kind: "write-file", path: `${ctx.configDir.replace(/\/+$/, "")}/${file}`, reason, source, content: r.text, mode, secret: true, format: "content" },
    issues: r.issues,
  };
}

/** `database.conf`: the existingSecret's key `database.conf` wins over `value` (the chart's rule). */
function databaseConf(config: WorkbenchConfig, ctx: PlanContext): SecretFile[] {
  const conf = config.database?.conf;
  if (!conf) return [];
  const mode = modeFor(config, "secret");
  if (conf.existingSecret) {
    const reason = `database.conf from the Kubernetes Secret ${conf.existingSecret} (config.database.conf.existingSecret)`;
    return [secretFile(ctx, "database.conf", databaseSecretName(conf.existingSecret), "config.database.conf.existingSecret", reason, mode)];
  }
  if (!conf.value) return [];
  return [secretFile(ctx, "database.conf", DATABASE_VALUE_SECRET, "config.database.conf.value", "database.conf from config.database.conf.value", mode)];
}

/** Each key of each existingSecrets entry → a file in the config dir (the chart projects them there). */
function existingSecretFiles(config: WorkbenchConfig, ctx: PlanContext): SecretFile[] {
  return (config.existingSecrets ?? []).flatMap((secret, i) =>
    secret.items.map((item, j) => {
      const source = `config.existingSecrets[${i}].items[${j}]`;
      const reason = `key ${item.key} of the Kubernetes Secret ${secret.name} (${source})`;
      return secretFile(ctx, item.path, existingSecretName(secret.name, item.key), source, reason, item.mode ?? modeFor(config, "secret"));
    }),
  );
}

/**
 * sssd files: `sssd.conf`, else the deprecated `userProvisioning` (the chart's fallback), in
 * /etc/sssd/conf.d, only when sssd is enabled. sssd ignores a file that is not root-owned 0600.
 */
function planSssd(config: WorkbenchConfig, ctx: PlanContext): ProductPlan {
  const { files, section } = sssdFiles(config);
  if (!files) return { actions: [], issues: [] };
  const actions: Action[] = [{ kind: "ensure-dir", path: SSSD_CONF_DIR, reason: `sssd's drop-in dir (config.${section})`, source: `config.${section}`, mode: 0o711, owner: "0:0" }];
  const issues: ConfigIssue[] = [];
  for (const [file, body] of Object.entries(files)) {
    const place = `config.${section}.${file}`;
    const templated = renderTree(body, place, ctx.engine);
    const r = renderIni(templated.value, place);
    issues.push(...templated.issues, ...r.issues);
    const mode = modeFor(config, "userProvisioning");
    actions.push({ kind: "write-file", path: `${SSSD_CONF_DIR}/${file}`, reason: `sssd config from ${place}`, source: place, content: r.text, mode, owner: "0:0", secret: true, hidden: true, format: "ini" });
  }
  return { actions, issues };
}

/** The sssd files the chart would mount: sssd.conf, else userProvisioning; none when sssd is off. */
export function sssdFiles(config: WorkbenchConfig): { files?: Readonly<Record<string, unknown>>; section: string } {
  if (config.sssd?.enabled === false) return { section: "sssd.conf" };
  if (config.sssd?.conf && Object.keys(config.sssd.conf).length > 0) return { files: config.sssd.conf, section: "sssd.conf" };
  if (config.userProvisioning && Object.keys(config.userProvisioning).length > 0) return { files: config.userProvisioning, section: "userProvisioning" };
  return { section: "sssd.conf" };
}

/** PAM files, one per name in /etc/pam.d (the chart mounts each by subPath, leaving the others). */
function planPam(config: WorkbenchConfig): ProductPlan {
  const actions: Action[] = [];
  for (const [file, body] of Object.entries(config.pam ?? {})) {
    const place = `config.pam.${file}`;
    actions.push({ kind: "write-file", path: `${PAM_DIR}/${file}`, reason: `PAM config from ${place}`, source: place, content: pamText(body), mode: modeFor(config, "pam"), owner: "0:0", secret: false, format: "content" });
  }
  return { actions, issues: [] };
}

/** The chart's `config.txt`: a string is the file; a map gives `# key` then the value, per entry. */
function pamText(body: string | Readonly<Record<string, string>>): string {
  const text = typeof body === "string" ? body : Object.entries(body).map(([comment, value]) => `# ${comment}\n${value}`).join("\n");
  return text.endsWith("\n") || text === "" ? text : `${text}\n`;
}
