// The commands' way into the validation stage (src/check): the spec named by the flags, the
// process environment, and the command's scope. Nothing is written before this returns.
import { validateForCommand, type CheckScope, type Validated } from "../check/index.js";
import type { loadSpecCollecting, LoadOptions } from "../spec/load.js";
import { exactEnvironment } from "../pid1/exact-bytes.js";
import { makeLogger, type CommonFlags } from "./context.js";

export type Prepared = Validated;

/**
 * Load, plan and check everything for a command; throws ConfigError (exit 78) with every issue.
 * The stage's warnings are printed here, once, for every command (on stderr, masked by the logger).
 */
export async function prepare(
  flags: CommonFlags,
  scope: CheckScope,
  env: Record<string, string | undefined> = process.env,
  usersRoot = "/",
  /** the spec already loaded with loadOptionsFor(flags, env) (run's start-hook step): not read twice */
  preloaded?: ReturnType<typeof loadSpecCollecting>,
): Promise<Prepared> {
  const validated = await validateForCommand({ load: loadOptionsFor(flags, env), scope, usersRoot, ...(preloaded ? { preloaded } : {}) });
  if (validated.warnings.length > 0) {
    const logger = makeLogger(flags, validated.loaded);
    for (const w of validated.warnings) logger.warn(`${w.message} → at ${w.path || "(spec)"}${w.where ? ` (${w.where})` : ""}`);
  }
  return validated;
}

/** How every command loads its spec: the flags' spec, this environment, and which of foyer's own variables were not UTF-8. */
export function loadOptionsFor(flags: CommonFlags, env: Record<string, string | undefined>): LoadOptions {
  // foyer's own variables that were not UTF-8 (their strings hold U+FFFD): read from /proc/self/environ
  const notUtf8Env = new Set([...exactEnvironment().keys()].filter((name) => env[name] !== undefined && env[name] === process.env[name]));
  return { specFlag: flags.spec, env, ...(notUtf8Env.size ? { notUtf8Env } : {}) };
}
