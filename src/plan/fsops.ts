// The plan engine's filesystem interface is the one in src/fs (re-exported so plan modules keep
// importing from their own folder).
export { realFs, type FsOps } from "../fs/fsops.js";
