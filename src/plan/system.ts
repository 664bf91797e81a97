// The real system behind the executor's interfaces: users from the passwd/group files of a root,
// and commands run as a user through setpriv (which keeps supplementary groups, unlike
// spawn({uid,gid})). The pid1 helper will add a native getpwnam-backed lookup later.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lookupFromFiles, type UserLookup } from "./owners.js";

/** Users and groups from `<root>/etc/passwd` and `<root>/etc/group` (missing files = no names). */
export function passwdLookup(root = "/"): UserLookup {
  const read = (p: string) => {
    try {
      return readFileSync(join(root, p), "utf8");
    } catch {
      return "";
    }
  };
  return lookupFromFiles(read("etc/passwd"), read("etc/group"));
}

/** How the executor runs a command as a user; returns the exit status (or the signal name). */
export interface CommandRunner {
  run(req: {
    argv: string[];
    uid: number;
    gid: number | undefined;
    /** supplementary groups (from the same UserLookup, so they agree with the owner names) */
    groups: number[];
    user: string | undefined;
    home: string | undefined;
    cwd: string;
    env: Record<string, string>;
  }): {
    code: number | null;
    signal: string | null;
    error?: string;
  };
}

/** Runs commands with setpriv (as root) or directly (when the user is already us). */
export const setprivRunner: CommandRunner = {
  run({ argv, uid, gid, groups, user, home, cwd, env }) {
    const self = process.getuid?.() === uid;
    const groupArgs = groups.length ? [`--groups=${groups.join(",")}`] : ["--clear-groups"];
    const cmd = self ? argv : ["setpriv", `--reuid=${uid}`, `--regid=${gid ?? uid}`, ...groupArgs, "--", ...argv];
    const fullEnv = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ...(home ? { HOME: home } : {}), ...(user ? { USER: user, LOGNAME: user } : {}), ...env };
    const r = spawnSync(cmd[0]!, cmd.slice(1), { cwd, env: fullEnv, stdio: ["ignore", "inherit", "inherit"] });
    return { code: r.status, signal: r.signal, ...(r.error ? { error: r.error.message } : {}) };
  },
};
