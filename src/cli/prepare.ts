// The phases before supervision, shared by validate/plan/init/render/run: load the spec, read what
// the planner needs, plan, and check the plan against the system. All issues are collected and
// thrown together (exit 78) before anything is written.
import { ConfigError, type ConfigIssue } from "../errors.js";
import { checkOwners, planInit, readTemplateFiles, templateFilePaths, type Action, type UserLookup } from "../plan/index.js";
import type { LoadedSpec } from "../spec/index.js";
import { startLevels } from "../supervise/order.js";
import { systemUsers } from "./users.js";
import { usersSpecIssues } from "../users/checks.js";

/** A loaded spec and the plan `foyer init` would apply. */
export interface Prepared {
  loaded: LoadedSpec;
  actions: Action[];
  users: UserLookup;
}

/** Plan init for a loaded spec; throws ConfigError with every issue (templates, owners, programs). */
export function prepare(loaded: LoadedSpec, env: Record<string, string | undefined>): Prepared {
  const { spec } = loaded;
  const templateFiles = readTemplateFiles(templateFilePaths(spec));
  const { actions, issues } = planInit({ spec, secrets: loaded.secrets.values, env, templateFiles });
  const users = systemUsers();
  const all: ConfigIssue[] = [...issues, ...checkOwners(actions, users).issues, ...checkProgramOrder(spec.programs), ...usersSpecIssues(spec.users, new Set(Object.keys(spec.secrets)))];
  if (all.length) throw new ConfigError(all);
  return { loaded, actions, users };
}

/** Unknown `after:` names and dependency cycles, as issues (the supervisor checks again at start). */
function checkProgramOrder(programs: LoadedSpec["spec"]["programs"]): ConfigIssue[] {
  try {
    startLevels(programs);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
}
