// The filesystem calls foyer's writers make, as an injectable interface: the real `node:fs` in
// production, a wrapper that fails on cue in atomicity tests.
import * as fs from "node:fs";

/** The subset of node:fs the writers use (synchronous: init is a short, sequential phase). */
export type FsOps = Pick<
  typeof fs,
  | "lstatSync"
  | "statSync"
  | "fstatSync"
  | "statfsSync"
  | "readFileSync"
  | "readSync"
  | "readlinkSync"
  | "readdirSync"
  | "openSync"
  | "writeSync"
  | "fchownSync"
  | "fchmodSync"
  | "fsyncSync"
  | "closeSync"
  | "renameSync"
  | "unlinkSync"
  | "mkdirSync"
  | "chmodSync"
  | "lchownSync"
  | "symlinkSync"
  | "rmdirSync"
>;

/** The real filesystem. */
export const realFs: FsOps = fs;
