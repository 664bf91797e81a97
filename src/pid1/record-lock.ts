// lckpwdf(3)'s lock for user provisioning: an fcntl write lock, which only the native addon can take
// (Node has no fcntl; flock(2) would not conflict with shadow-utils' lock).
import { FoyerError } from "../errors.js";
import { loadNative } from "./native.js";

const EAGAIN = 11;
const EACCES = 13;

/** Try once to write-lock the whole file open on `fd`: true when taken, false when held elsewhere. */
export function tryWriteLock(fd: number): boolean {
  const native = loadNative();
  if (!native.ok) throw new FoyerError(`cannot take the account files' lock without foyer's native addon: ${native.error}`);
  const errno = native.addon.lockWrite(fd);
  if (errno === 0) return true;
  if (errno === EAGAIN || errno === EACCES) return false;
  throw new FoyerError(`fcntl lock failed (errno ${errno})`);
}
