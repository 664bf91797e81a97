// `users.syncEvery`: the periodic sync as a supervised program (`foyer users sync --every D`), added
// to the spec by the loader like sssd mode's programs, so `foyer run` keeps the account files in
// step with the directory without a hand-written program entry. Pure.
import type { ConfigIssue } from "../errors.js";
import { ProgramSchema, type Spec } from "../spec/schema.js";
import { sourceEnvNames } from "../spec/secrets.js";

export const USERS_SYNC_PROGRAM = "users-sync";

/**
 * Add the `users-sync` program when `users.syncEvery` is set. `self` is how to start foyer itself
 * (the binary); `specPath` the spec this run loaded (the program reloads it). The program gets the
 * secrets the sources bind with under their source variables (programs lose those by default), so
 * its own load resolves them as this one did.
 */
export function addUsersSyncProgram(spec: Spec, self: readonly string[], specPath: string | undefined): ConfigIssue[] {
  const users = spec.users;
  if (users?.syncEvery === undefined) return [];
  if (users.sssd?.enabled) return [{ path: "users.syncEvery", message: "sssd mode serves the directory itself: there are no account files to sync (remove syncEvery or users.sssd)" }];
  if (spec.programs[USERS_SYNC_PROGRAM]) return [{ path: `programs.${USERS_SYNC_PROGRAM}`, message: `users.syncEvery runs a program named ${USERS_SYNC_PROGRAM}: rename yours, or remove users.syncEvery` }];
  const secrets: Record<string, string> = {};
  for (const source of users.sources) {
    if (source.type !== "ldap") continue;
    const declared = spec.secrets[source.bindPasswordSecret];
    if (declared) for (const name of sourceEnvNames(declared)) secrets[name] = source.bindPasswordSecret;
  }
  spec.programs[USERS_SYNC_PROGRAM] = ProgramSchema.parse({
    command: [...self, "users", "sync", "--every", `${users.syncEvery}ms`, ...(specPath ? ["--spec", specPath] : [])],
    // a failed sync is logged and retried by the command itself; restart covers a crash
    restart: "always",
    // ready once it has stayed up a second: its signal handling is in place by then, so programs
    // after it (and a stop soon after start) find it running its loop, not still starting
    ready: { uptime: 1 },
    secrets,
  });
  return [];
}
