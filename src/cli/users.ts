// The user database the plan checks owners against: NSS through the native addon when it loads
// (so sssd/LDAP accounts count, as they will for the products), else /etc/passwd and /etc/group.
import { passwdLookup, type UserLookup } from "../plan/index.js";
import { loadNative } from "../pid1/index.js";

/** The system's users and groups. */
export function systemUsers(): UserLookup {
  const native = loadNative();
  if (!native.ok) return passwdLookup("/");
  const { addon } = native;
  return {
    userByName: (name) => {
      const e = addon.getpw(name);
      return e ? { uid: e.uid, gid: e.gid, home: e.home } : undefined;
    },
    userById: (uid) => {
      const e = addon.getpw(uid);
      return e ? { name: e.name, uid: e.uid, gid: e.gid, home: e.home } : undefined;
    },
    groupByName: (name) => addon.getgr(name)?.gid ?? undefined,
    supplementaryGids: (name) => {
      const e = addon.getpw(name);
      return e ? addon.getgrouplist(name, e.gid).filter((g) => g !== e.gid) : [];
    },
  };
}
