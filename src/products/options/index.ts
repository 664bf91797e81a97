// Product key validation: option catalogs per Posit config file, and the checker the validation
// stage calls for each rendered config file.
export type { FileCatalog, OptionTable, OptionType, SectionCatalog } from "./catalog.js";
export { CATALOGS, catalogFor } from "./registry.js";
export { checkProductOptions, checkAgainst, parseBody, typeProblem } from "./check.js";
export type { OptionEntry, ParsedOptions } from "./entries.js";
