// Posit Workbench: the chart's `config:` block, /etc/rstudio, run by rstudio-server (uid 999, as
// Posit's images create it).
import { sectionsProduct } from "../posit-sections/product.js";

export const workbench = sectionsProduct("workbench", "/etc/rstudio", { name: "rstudio-server", uid: 999, gid: 999 });
