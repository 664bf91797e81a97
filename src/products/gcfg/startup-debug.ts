// The images' startup debug switch (posit-dev/images-connect: PCT_STARTUP_DEBUG, falling back to
// STARTUP_DEBUG_MODE; posit-dev/images-package-manager: PPM_STARTUP_DEBUG): `1` traces the startup
// script (`set -x`). foyer's own start is the startup script, so `1` sets its log level to debug.
import { isPlainObject } from "../../spec/merge.js";
import type { EnvLayer } from "../product.js";

/** An env layer: the first of `names` that is set decides; "1" means debug (as `-eq 1` in bash). */
export function startupDebugLayer(names: readonly string[]): EnvLayer {
  return (data, env) => {
    const set = names.find((n) => env[n] !== undefined && env[n] !== "");
    if (!set || env[set]!.trim() !== "1") return { data, issues: [], keptFromPrograms: [] };
    const log = isPlainObject(data.log) ? data.log : {};
    return { data: { ...data, log: { ...log, level: "debug" } }, issues: [], keptFromPrograms: [] };
  };
}
