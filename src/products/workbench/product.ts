// Posit Workbench: the chart's `config:` block, /etc/rstudio, run by rstudio-server (uid 999, as
// Posit's images create it), licensed like Posit's images (src/products/licence).
import { WORKBENCH_LICENCE } from "../licence/index.js";
import { sectionsProduct } from "../posit-sections/product.js";
import type { Product } from "../product.js";

export const workbench: Product = { ...sectionsProduct("workbench", "/etc/rstudio", { name: "rstudio-server", uid: 999, gid: 999 }), licence: WORKBENCH_LICENCE };
