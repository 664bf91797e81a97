// Posit Connect: `config:` is rstudio-connect.gcfg's sections (the chart's shape), written to
// /etc/rstudio-connect; the server runs as root (it runs content as rstudio-connect itself) and is
// licensed by RSC_LICENSE / RSC_LICENSE_SERVER / RSC_LICENSE_FILE_PATH.
import { gcfgProduct } from "../gcfg/product.js";
import { CONNECT_LICENCE } from "../licence/index.js";

export const connect = gcfgProduct({ name: "connect", configDir: "/etc/rstudio-connect", file: "rstudio-connect.gcfg", server: "connect", licence: CONNECT_LICENCE, debugEnv: ["PCT_STARTUP_DEBUG", "STARTUP_DEBUG_MODE"] });
