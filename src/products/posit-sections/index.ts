// The Posit file sections (server, session, serverDcf, profiles, secret, sessionSecret, gcfg):
// their schema and their plan, shared by the products whose `config:` holds files by section.
export { ConfigFileBody, ConfigFiles, PositSectionsSchema, type PositSections } from "./schema.js";
export { planSections, SECTIONS, type SectionName, type SectionsInput } from "./plan.js";
