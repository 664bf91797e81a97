// Profile name → product. `profiles/*.yaml` are the presets users see; this says which product's
// rules (config shape, config dir, service user, programs, plan, checks) a profile's spec follows.
// A spec without a profile, or with a profile that is not a Posit server, gets the generic product.
import { connect } from "./connect/product.js";
import { packageManager } from "./package-manager/product.js";
import { sectionsProduct } from "./posit-sections/product.js";
import type { Product } from "./product.js";
import { workbench } from "./workbench/product.js";

/** The product of specs without a Posit profile: the file sections, /etc/rstudio by default. */
export const GENERIC = sectionsProduct("generic", "/etc/rstudio");

const BY_PROFILE: Readonly<Record<string, Product>> = {
  workbench,
  connect,
  "package-manager": packageManager,
  "rstudio-session": sectionsProduct("rstudio-session", "/etc/rstudio"),
};

/** The product a profile's spec follows (GENERIC for no profile, or one that has no product). */
export function productFor(profile: string | undefined): Product {
  return (profile !== undefined && Object.hasOwn(BY_PROFILE, profile) ? BY_PROFILE[profile] : undefined) ?? GENERIC;
}
