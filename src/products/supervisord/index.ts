// supervisord `[program:x]` files → foyer programs (for the charts' startupCustom and
// startupUserProvisioning, and Posit images' /startup/*/*.conf).
export { translateSupervisord } from "./translate.js";
export type { Note, ProgramInput, SupervisordFile, TranslateOptions, Translation } from "./translate.js";
