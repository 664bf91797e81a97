// Where the spec is. Kept free of imports so `foyer run -- CMD` can decide "no spec" without
// loading the schema (zod costs tens of milliseconds of PID 1 start-up).
import { existsSync } from "node:fs";

export const DEFAULT_SPEC_PATH = "/etc/foyer/foyer.yaml";

/** --spec, else $FOYER_SPEC, else /etc/foyer/foyer.yaml if present, else none. */
export function findSpecPath(
  flag: string | undefined,
  env: Record<string, string | undefined>,
  exists: (p: string) => boolean = existsSync,
): string | undefined {
  if (flag) return flag;
  if (env.FOYER_SPEC) return env.FOYER_SPEC;
  return exists(DEFAULT_SPEC_PATH) ? DEFAULT_SPEC_PATH : undefined;
}
