// A product whose `config:` is the Posit file sections with one mode for all files (`defaultMode`)
// and one for secret files (`secretMode`): foyer's shape before the charts' was taken verbatim.
// Used without a profile, by presets that are not a Posit server (jupyter-singleuser,
// rstudio-session), and by Connect and Package Manager until their chart shapes land.
import { checkConfigFiles } from "../check-config.js";
import { defineProduct, type Product, type ServiceUser } from "../product.js";
import { planSections } from "./plan.js";
import { PositSectionsSchema, type PositSections } from "./schema.js";

export function sectionsProduct(name: string, configDir: string, serviceUser?: ServiceUser): Product {
  return defineProduct<PositSections>({
    name,
    configSchema: PositSectionsSchema,
    configDir,
    ...(serviceUser ? { serviceUser } : {}),
    configDirOf: (config) => config.dir,
    plan(config, ctx) {
      if (!config) return { actions: [], issues: [] };
      const mode = config.defaultMode ?? 0o644;
      const secretMode = config.secretMode ?? 0o600;
      return planSections({ files: config, modeOf: () => mode, secretModeOf: () => secretMode, overridesMode: mode }, ctx);
    },
    checks: (config, ctx) => checkConfigFiles(config, ctx),
  });
}
