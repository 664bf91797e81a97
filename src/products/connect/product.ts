// Posit Connect. For now the file sections (`config.gcfg`) under /etc/rstudio-connect; the chart's
// shape (gcfg sections directly under `config:`) and the licence belong to the Connect/PM work.
import { sectionsProduct } from "../posit-sections/product.js";

export const connect = sectionsProduct("connect", "/etc/rstudio-connect");
