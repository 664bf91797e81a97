// Posit Package Manager: `config:` is rstudio-pm.gcfg's sections (the chart's shape), written to
// /etc/rstudio-pm; the server runs as rstudio-pm (uid 999, as Posit's image creates it) and is
// licensed in userspace by RSPM_LICENSE / RSPM_LICENSE_SERVER / RSPM_LICENSE_FILE_PATH.
import { gcfgProduct } from "../gcfg/product.js";
import { PACKAGE_MANAGER_LICENCE } from "../licence/index.js";

export const packageManager = gcfgProduct({
  name: "package-manager",
  configDir: "/etc/rstudio-pm",
  file: "rstudio-pm.gcfg",
  server: "rspm",
  serviceUser: { name: "rstudio-pm", uid: 999, gid: 999 },
  licence: PACKAGE_MANAGER_LICENCE,
  debugEnv: ["PPM_STARTUP_DEBUG"],
});
