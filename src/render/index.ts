// Config file formats: pure functions from data to text, each returning every issue it finds.
export { renderIni } from "./ini.js";
export { renderProfiles } from "./profiles.js";
export type { RenderedProfiles } from "./profiles.js";
export { renderDcf } from "./dcf.js";
export { renderGcfg, gcfgValue } from "./gcfg.js";
export { mergeJson, formatJson, parseJsonSettings } from "./json.js";
export { createTemplateEngine } from "./template.js";
export type { TemplateContext, RenderedTemplate, TemplateEngine } from "./template.js";
export { renderTree } from "./tree.js";
export { isMap, valueText } from "./values.js";
export type { Rendered } from "./values.js";
