// The reads sssd mode needs before planning (the loader's gathering step): the snippets the spec
// names, checked as sssd checks its own config (a regular file, not a link, owned by root, no
// group or other permission bits), and the image's nsswitch.conf and PAM session file to merge into.
import { closeSync, constants as C, fstatSync, lstatSync, openSync, readFileSync } from "node:fs";
import { readBoundedFd, realFs } from "../fs/index.js";

/** A snippet's text, or why it is refused (a sentence about the file, without its path). */
export type SnippetRead = { ok: true; text: string } | { ok: false; error: string };

export interface SssdReads {
  snippet(path: string): SnippetRead;
  /** an image file to merge into (nsswitch.conf, common-session); undefined when missing or not a regular file */
  existing(path: string): string | undefined;
}

const MAX_BYTES = 1 << 20;

/** Read a snippet as sssd would accept it; O_NOFOLLOW so a link is refused, not followed. */
export function readSssdSnippet(path: string): SnippetRead {
  let fd: number;
  try {
    fd = openSync(path, C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK | C.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return { ok: false, error: "is a symbolic link: sssd refuses linked config files, and so does foyer (name the file itself)" };
    if (code === "ENOENT") return { ok: false, error: "does not exist" };
    return { ok: false, error: `cannot be read (${code ?? (err as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, error: "is not a regular file" };
    if (st.uid !== 0) return { ok: false, error: `is owned by uid ${st.uid}: sssd reads only config files owned by root (chown root:root)` };
    if ((st.mode & 0o077) !== 0) {
      return { ok: false, error: `has mode ${(st.mode & 0o777).toString(8).padStart(4, "0")}: sssd refuses config files that group or others may read or write (chmod 0600)` };
    }
    const bytes = readBoundedFd(realFs, fd, st.size, MAX_BYTES);
    if (!Buffer.isBuffer(bytes)) return { ok: false, error: "is larger than 1 MiB" };
    try {
      return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
    } catch {
      return { ok: false, error: "is not UTF-8 text" };
    }
  } finally {
    closeSync(fd);
  }
}

function readExisting(path: string): string | undefined {
  try {
    const st = lstatSync(path);
    if (!st.isFile() || st.size > MAX_BYTES) return undefined;
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export const systemSssdReads: SssdReads = { snippet: readSssdSnippet, existing: readExisting };
