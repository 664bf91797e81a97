// Acting on the filesystem without following links someone else planted (see beneath.ts), and the
// injectable node:fs subset every writer goes through.
export { Dir, UnsafePathError, chownTree, followNoLinks, followOwnLinks, followTrustedLinks, openDirBeneath, openDirPath, openOwnFile, readBoundedFd, readRegularFile } from "./beneath.js";
export type { LinkPolicy, WalkOptions } from "./beneath.js";
export { DirCache } from "./dir-cache.js";
export { realFs } from "./fsops.js";
export type { FsOps } from "./fsops.js";
