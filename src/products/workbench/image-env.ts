// The environment variables of Posit's Workbench images, honoured unchanged (rstudio-docker-products
// workbench/startup.sh, and posit-dev/images-workbench with PWB_ names that fall back to RSW_):
//
//   PWB_/RSW_TESTUSER, _TESTUSER_UID (10000), _TESTUSER_PASSWD → the users module's env-test-user
//                               source (src/users): the account is written by the same sync as
//                               `foyer users sync`, in init/run before any program starts
//   PWB_/RSW_LAUNCHER=false   → the launcher is not started and rserver does not wait for it
//   PWB_/RSW_LAUNCHER_TIMEOUT → how long rserver waits for the launcher (its ready timeout, seconds)
//   DIAGNOSTIC_ENABLE=true    → the `diagnostics` oneshot (verify-installation | tee DIR/verify.log)
//   DIAGNOSTIC_ONLY=true      → … and only that (with the licence): the container
//                               ends with its exit code
//   DIAGNOSTIC_DIR            → where verify.log goes (/var/log/rstudio)
//
// Laid over the merged spec data before the schema (like the licence), so the spec can still shape
// these programs and a mistake is reported at its variable. Pure.
import type { ConfigIssue } from "../../errors.js";
import { isPlainObject } from "../../spec/merge.js";
import { LICENCE_PROGRAM } from "../licence/layer.js";

export interface ImageEnvLayer {
  data: Record<string, unknown>;
  issues: ConfigIssue[];
  /** variables no program gets */
  keptFromPrograms: string[];
}

const SERVER = "rserver";
const LAUNCHER = "launcher";
export const DIAGNOSTICS_PROGRAM = "diagnostics";

/** PWB_X, else RSW_X (the successor image's rule), with the name that was used. */
function pick(env: Readonly<Record<string, string | undefined>>, suffix: string): { value: string; name: string } | undefined {
  for (const name of [`PWB_${suffix}`, `RSW_${suffix}`]) {
    const value = env[name];
    if (value !== undefined) return { value, name };
  }
  return undefined;
}

export function imageEnvLayer(data: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): ImageEnvLayer {
  const issues: ConfigIssue[] = [];
  const programs: Record<string, unknown> = isPlainObject(data.programs) ? { ...data.programs } : {};
  const patch = (name: string, f: (p: Record<string, unknown>) => Record<string, unknown>): void => {
    const p = programs[name];
    if (isPlainObject(p)) programs[name] = f(p);
  };
  const waitFor = (name: string, dep: string): void => patch(name, (p) => ({ ...p, after: [...new Set([...(Array.isArray(p.after) ? p.after : []), dep])] }));


  const launcher = pick(env, "LAUNCHER");
  if (launcher && !["true", "false"].includes(launcher.value)) issues.push({ path: launcher.name, message: `${launcher.name} must be true or false, not ${JSON.stringify(launcher.value)}`, where: `env ${launcher.name}` });
  if (launcher?.value === "false") {
    patch(LAUNCHER, (p) => ({ ...p, autostart: false }));
    patch(SERVER, (p) => ({ ...p, after: (Array.isArray(p.after) ? p.after : []).filter((d) => d !== LAUNCHER) }));
  }
  const timeout = pick(env, "LAUNCHER_TIMEOUT");
  if (timeout && !/^\d+$/.test(timeout.value)) issues.push({ path: timeout.name, message: `${timeout.name} must be a number of seconds, not ${JSON.stringify(timeout.value)}`, where: `env ${timeout.name}` });
  else if (timeout && launcher?.value !== "false") patch(LAUNCHER, (p) => (isPlainObject(p.ready) ? { ...p, ready: { ...p.ready, timeout: `${timeout.value}s` } } : p));

  if (env.DIAGNOSTIC_ENABLE === "true") {
    const only = env.DIAGNOSTIC_ONLY === "true";
    programs[DIAGNOSTICS_PROGRAM] = diagnosticsProgram(env.DIAGNOSTIC_DIR || "/var/log/rstudio", pick(env, "TESTUSER")?.value ?? "", only);
    if (only) {
      for (const name of Object.keys(programs)) {
        if (name !== DIAGNOSTICS_PROGRAM && name !== LICENCE_PROGRAM) patch(name, (p) => ({ ...p, autostart: false }));
      }
    } else {
      waitFor(SERVER, DIAGNOSTICS_PROGRAM);
    }
  }
  const out = Object.keys(programs).length ? { ...data, programs } : data;
  // the password's rule (the public default, or a secret kept from programs) is the users module's
  return { data: withTestUserSource(out, env), issues, keptFromPrograms: [] };
}

/**
 * When PWB_/RSW_TESTUSER names a user, the spec's users: gets the env-test-user source (unless it
 * has one): the users module creates the account, with the policy's checks (a bad name or a uid
 * taken by an image account is a config error, `onInvalid: fail`, where startup.sh failed or
 * skipped silently). An empty name (the successor image's default) is no test user.
 */
function withTestUserSource(data: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  if (!pick(env, "TESTUSER")?.value) return data;
  const users = isPlainObject(data.users) ? data.users : {};
  const sources = Array.isArray(users.sources) ? users.sources : [];
  if (sources.some((s) => isPlainObject(s) && s.type === "env-test-user")) return data;
  return { ...data, users: { ...users, sources: [...sources, { type: "env-test-user", onInvalid: "fail" }] } };
}

/**
 * `rstudio-server verify-installation --verify-user=U | tee DIR/verify.log`, as the image runs it
 * before rserver. With DIAGNOSTIC_ONLY it is the only program and its end ends the container.
 */
function diagnosticsProgram(dir: string, user: string, only: boolean): Record<string, unknown> {
  const script = 'set -o pipefail 2>/dev/null; mkdir -p "$DIAGNOSTIC_DIR" && rstudio-server verify-installation --verify-user="$VERIFY_USER" 2>&1 | tee "$DIAGNOSTIC_DIR/verify.log"';
  return {
    command: ["/bin/bash", "-c", script],
    env: { DIAGNOSTIC_DIR: dir, VERIFY_USER: user },
    // alone, it is the container's main program (a oneshot's success would not end the container)
    ...(only ? { critical: true, restart: "never" } : { oneshot: true }),
  };
}
