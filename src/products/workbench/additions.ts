// What Workbench's `config:` adds to the spec: the chart's startup services (startupCustom,
// startupUserProvisioning: supervisord [program:x] files) as foyer programs, the bundled sssd
// daemon when there is sssd config to serve, and secret sources for the Kubernetes Secret
// references. What supervisord would run differently is a warning naming the file and line.
import type { ConfigIssue } from "../../errors.js";
import { renderIni } from "../../render/index.js";
import { translateSupervisord, type SupervisordFile } from "../supervisord/index.js";
import type { AdditionsContext, ProductAdditions, ProgramInput } from "../product.js";
import { sssdFiles } from "./plan.js";
import type { WorkbenchConfig } from "./schema.js";
import { existingSecretSources, inlineSecretValues } from "./secrets.js";

/** Where the chart mounts each startup section (so `%(here)s` expands as it would there). */
const STARTUP_DIRS = { startupCustom: "/startup/custom", startupUserProvisioning: "/startup/user-provisioning" } as const;

/** The bundled sssd daemon, as the image's supervisord-sssd.conf and the chart's sssd program run it. */
export const SSSD_PROGRAM: ProgramInput = {
  command: ["/usr/sbin/sssd", "-i", "-c", "/etc/sssd/sssd.conf", "--logger=stderr"],
  restart: "never",
  critical: false,
};

export function workbenchAdditions(config: WorkbenchConfig | undefined, ctx: AdditionsContext): ProductAdditions {
  const startup = startupPrograms(config, ctx.env);
  const programs = { ...startup.programs };
  const warnings = [...startup.warnings];
  if (config && sssdFiles(config).files && !Object.hasOwn(programs, "sssd")) {
    const flag = ctx.env.PWB_SSSD ?? ctx.env.RSW_SSSD;
    if (flag === "false") warnings.push({ path: "config.sssd.enabled", message: `sssd files are written but the sssd daemon is not started: ${ctx.env.PWB_SSSD !== undefined ? "PWB_SSSD" : "RSW_SSSD"}=false` });
    else programs.sssd = SSSD_PROGRAM;
  }
  return { programs, secrets: existingSecretSources(config), values: inlineSecretValues(config), warnings, issues: [] };
}

/** startupCustom + startupUserProvisioning → programs, in one supervisord (names are shared, as in the image). */
function startupPrograms(config: WorkbenchConfig | undefined, env: AdditionsContext["env"]): { programs: Record<string, ProgramInput>; warnings: ConfigIssue[] } {
  const files: SupervisordFile[] = [];
  const placeOf = new Map<string, string>();
  for (const section of ["startupCustom", "startupUserProvisioning"] as const) {
    for (const [file, body] of Object.entries(config?.[section] ?? {})) {
      const path = `${STARTUP_DIRS[section]}/${file}`;
      placeOf.set(path, `config.${section}.${file}`);
      // a map body is what the chart renders with config.ini: the same text supervisord reads
      files.push({ path, text: typeof body === "string" ? body : renderIni(body, `config.${section}.${file}`).text });
    }
  }
  if (files.length === 0) return { programs: {}, warnings: [] };
  const definedEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const t = translateSupervisord(files, { env: definedEnv, ...(env.HOSTNAME ? { hostname: env.HOSTNAME } : {}) });
  const warnings = t.notes.map((n) => ({
    path: placeOf.get(n.file) ?? n.file,
    message: `${n.section ? `[${n.section}] ` : ""}line ${n.line}${n.key ? ` (${n.key})` : ""}: ${n.message}`,
  }));
  return { programs: t.programs, warnings };
}
