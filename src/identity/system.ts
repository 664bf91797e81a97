// The system's user database: NSS through the native addon when it loads (so sssd/LDAP accounts
// count, as they will for the products), else the passwd/group files. Also the files of an image
// root (`rootDatabase`), for checking a rootfs from outside.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadNative } from "../pid1/native.js";
import { filesDatabase, type UserDatabase } from "./database.js";

/** NSS (addon), or /etc/passwd and /etc/group when the addon cannot load. */
export function systemUserDatabase(): UserDatabase {
  const native = loadNative();
  if (!native.ok) return rootDatabase("/");
  const { addon } = native;
  return { getpw: (k) => addon.getpw(k), getgr: (k) => addon.getgr(k), getgrouplist: (u, g) => addon.getgrouplist(u, g) };
}

/** Users and groups from `<root>/etc/passwd` and `<root>/etc/group` (a missing file = no names). */
export function rootDatabase(root: string): UserDatabase {
  const read = (p: string): string => {
    try {
      return readFileSync(join(root, p), "utf8");
    } catch {
      return "";
    }
  };
  return filesDatabase(read("etc/passwd"), read("etc/group"));
}
