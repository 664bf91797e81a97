// A product configured by one gcfg file whose `config:` is that file's sections, as the Posit
// charts take it (rstudio/helm charts/rstudio-connect, charts/rstudio-pm: `config: {Server: {...},
// 'RPackageRepository "CRAN"': {...}}`): Posit Connect and Posit Package Manager. The sections are
// checked by the renderer (names, values) and the option catalog (warnings); the file is written
// 0644 into the product's config dir, or 0600 for the service user when it holds a secret.
import * as z from "zod";
import type { ConfigIssue } from "../../errors.js";
import type { Spec } from "../../spec/schema.js";
import type { Action } from "../../plan/action.js";
import { renderGcfg, renderTree } from "../../render/index.js";
import { checkProductConfig } from "../check-config.js";
import type { LicenceDef } from "../licence/index.js";
import { defineProduct, type Product, type ServiceUser } from "../product.js";
import { startupDebugLayer } from "./startup-debug.js";

/** `config:` of a gcfg product: section name → its keys (values are checked by the renderer). */
export const GcfgConfigSchema = z
  .record(
    z.string(),
    z
      .record(z.string(), z.unknown(), { error: "a gcfg section is a map of its keys (Server: { Address: … }): config: holds only sections, as in the chart" })
      .meta({ description: "a gcfg section: Key: value (a list repeats the key)" }),
  )
  .meta({ description: "the gcfg file's sections, as the chart's config: ([Section \"name\"] is the key 'Section \"name\"')" });

export type GcfgConfig = z.infer<typeof GcfgConfigSchema>;

export interface GcfgProductDef {
  name: string;
  configDir: string;
  /** the file the sections are written to, inside configDir */
  file: string;
  /** the server program (its readiness probe must reach the port [HTTP] Listen opens) */
  server: string;
  serviceUser?: ServiceUser;
  licence?: LicenceDef;
  /** the image's startup debug variables, first set wins ("1": foyer logs at debug) */
  debugEnv?: readonly string[];
}

export function gcfgProduct(def: GcfgProductDef): Product {
  const path = `${def.configDir}/${def.file}`;
  return defineProduct<GcfgConfig>({
    name: def.name,
    configSchema: GcfgConfigSchema,
    configDir: def.configDir,
    ...(def.serviceUser ? { serviceUser: def.serviceUser } : {}),
    ...(def.licence ? { licence: def.licence } : {}),
    ...(def.debugEnv ? { envLayer: startupDebugLayer(def.debugEnv) } : {}),
    plan(config, ctx) {
      if (!config) return { actions: [], issues: [] };
      const templated = renderTree(config, "config", ctx.engine);
      const rendered = renderGcfg(templated.value, "config");
      const secret = templated.secretsUsed.length > 0 || ctx.holdsSecret(rendered.text);
      // a secret file is 0600: the server reads it as the service user
      const owner = secret && def.serviceUser ? { owner: def.serviceUser.name } : {};
      const actions: Action[] = [
        { kind: "ensure-dir", path: def.configDir, reason: `${def.name}'s config directory`, source: "config", mode: 0o755 },
        {
          kind: "write-file",
          path,
          reason: `the sections of config:${secret ? " (uses secrets, so written 0600)" : ""}`,
          source: "config",
          content: rendered.text,
          mode: secret ? 0o600 : 0o644,
          ...owner,
          secret,
          format: "gcfg",
        },
      ];
      return { actions, issues: [...templated.issues, ...rendered.issues] };
    },
    checks: (config, ctx) => (config ? [...checkProductConfig(def.file, config, "config"), ...checkReadyPort(config, ctx.spec, def.server)] : []),
  });
}

/**
 * The preset probes the chart's port; a spec that moves `[HTTP] Listen` but not the probe would
 * wait the whole readiness timeout and then stop the server. Said at validation instead.
 */
function checkReadyPort(config: GcfgConfig, spec: Spec | undefined, server: string): ConfigIssue[] {
  const listen = config.HTTP?.Listen;
  const probe = spec?.programs[server]?.ready?.http;
  if ((typeof listen !== "string" && typeof listen !== "number") || !probe) return [];
  const port = /^(?:.*:)?(\d+)$/.exec(String(listen))?.[1];
  const url = new URL(probe);
  const probed = url.port || (url.protocol === "https:" ? "443" : "80");
  if (port === undefined || port === probed) return [];
  return [{ path: "config.HTTP.Listen", message: `the server listens on port ${port} but programs.${server}.ready.http probes port ${probed} (${probe}): it would never be ready; set programs.${server}.ready.http to the same port` }];
}
