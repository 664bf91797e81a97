// Homes: directories, static dirs, dotfiles (with the record of what foyer wrote), JupyterLab favorites.
export { HomeSchema, type HomeSpec, type Dotfile, type Favorite } from "./schema.js";
export { planHomes, homePath, RECORD_NAME, FAVORITES_SETTINGS, FAVORITES_PLUGIN, type HomeFacts, type HomePlanInput } from "./plan.js";
export { readHomeFacts } from "./facts.js";
export { homeUsers, gatherHomes, type HomesInput } from "./gather.js";
