// SPCS from chart values: the generator, its rule checker and the CREATE SERVICE text.
export { generateSpcs, SPCS_SHUTDOWN_DEADLINE, SPCS_STOP_WINDOW_MS, type Chart, type Dropped, type SpcsResult } from "./generate.js";
export { adviseServiceSpec, checkServiceSpec, MAX_BLOCK_VOLUMES, SECRET_LOOKING_ENV, SECRET_KEYS, type RuleContext, type SecretType } from "./rules.js";
export { createServiceSql, externalHosts, sqlIdentifier } from "./sql.js";
export { SpcsBlockSchema, type SpcsBlock } from "./spcs-block.js";
