// Posit Workbench: the rstudio-workbench chart's `config:` block as it is, written to /etc/rstudio
// (and /etc/sssd/conf.d, /etc/pam.d) as the chart would mount it; rstudio-server (uid 999, as
// Posit's images create it) is the service user; licensed like Posit's images (src/products/licence).
import { checkConfigFiles } from "../check-config.js";
import { WORKBENCH_LICENCE } from "../licence/index.js";
import { defineProduct } from "../product.js";
import { workbenchAdditions } from "./additions.js";
import { imageEnvLayer } from "./image-env.js";
import { checkHomeMounts } from "./launcher-mounts.js";
import { checkLauncherTemplates } from "./launcher-templates.js";
import { planWorkbench } from "./plan.js";
import { checkReadyPorts } from "./ready-ports.js";
import { WORKBENCH_SERVICE_USER } from "./service-user.js";
import { WorkbenchConfigSchema, type WorkbenchConfig } from "./schema.js";

export const workbench = defineProduct<WorkbenchConfig>({
  name: "workbench",
  configSchema: WorkbenchConfigSchema,
  configDir: "/etc/rstudio",
  serviceUser: WORKBENCH_SERVICE_USER,
  configDirOf: (config) => config.dir,
  additions: workbenchAdditions,
  licence: WORKBENCH_LICENCE,
  envLayer: imageEnvLayer,
  plan: planWorkbench,
  checks: (config, ctx) => [
    ...checkConfigFiles(config, ctx),
    ...checkHomeMounts(config?.serverDcf?.["launcher-mounts"], "config.serverDcf.launcher-mounts"),
    ...(config ? [...checkReadyPorts(config, ctx.spec), ...checkLauncherTemplates(config)] : []),
  ],
});
