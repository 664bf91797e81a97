// Posit Package Manager. For now the file sections (`config.gcfg`) under /etc/rstudio-pm; the
// chart's shape (gcfg sections directly under `config:`) and the licence belong to the Connect/PM work.
import { sectionsProduct } from "../posit-sections/product.js";

export const packageManager = sectionsProduct("package-manager", "/etc/rstudio-pm", { name: "rstudio-pm", uid: 999, gid: 999 });
