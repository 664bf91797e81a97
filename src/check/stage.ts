// The validation stage: what every command (validate, plan, init, render, run) runs before any
// write. Load (YAML, profile, env overrides, schema, secrets) → plan (pure) → gather the facts
// (template files, NSS, the disk, the health port) → every check → all issues at once, each with
// its spec path and file:line:col (or the env variable) → ConfigError (exit 78), nothing written.
import { ConfigError, type ConfigIssue } from "../errors.js";
import { systemUserDatabase, withPlanned, type PlannedAccounts, type UserDatabase } from "../identity/index.js";
import type { Action } from "../plan/action.js";
import { realFs, type FsOps } from "../plan/fsops.js";
import { readTemplateFiles } from "../plan/observe.js";
import { checkOwners, type OwnerIds } from "../plan/owners.js";
import { planInit, templateFilePaths, type TemplateFileRead } from "../plan/planner.js";
import { loadSpecCollecting, type LoadedSpec, type LoadOptions } from "../spec/load.js";
import type { Spec } from "../spec/schema.js";
import { checkPlanOnDisk, plannedDirs, type DiskFacts } from "./disk.js";
import { gatherFacts, type Facts } from "./gather.js";
import { checkContradictions, checkEnvTemplates, checkMainName, checkProgramOrder, checkProgramSecrets } from "./spec-checks.js";
import { checkDirs, checkHealthPort, checkPrivileges, checkRunAsUsers } from "./system-checks.js";

/** What a command checks beyond the spec itself. */
export interface CheckScope {
  /** `run -- CMD`: a program named "main" joins the spec's */
  main: boolean;
  /** the target system: the plan's paths on disk, hook dirs, program cwds (not render --out: it writes under DIR) */
  system: boolean;
  /** bind-probe health.listen (the commands that start the server or foretell it: validate, plan, run) */
  ports: boolean;
}

export const SCOPES = {
  validate: { main: false, system: true, ports: true },
  plan: { main: false, system: true, ports: true },
  init: { main: false, system: true, ports: false },
  render: { main: false, system: false, ports: false },
  run: (withMain: boolean): CheckScope => ({ main: withMain, system: true, ports: true }),
} as const;

/** A spec that passed every check, with what the later phases need. */
export interface Validated {
  loaded: LoadedSpec;
  actions: Action[];
  users: UserDatabase;
  owners: ReadonlyMap<string, OwnerIds>;
  /** the plan's paths as observed (for `foyer plan`), when the scope looked at the system */
  disk?: DiskFacts;
}

export interface StageOptions {
  load: LoadOptions;
  scope: CheckScope;
  /** default: the system's (NSS) */
  users?: UserDatabase;
  /** accounts a later phase of this run creates (user provisioning) */
  planned?: PlannedAccounts;
  fs?: FsOps;
}

/** Run the whole stage; throws ConfigError with every issue found. */
export async function validateForCommand(opts: StageOptions): Promise<Validated> {
  const { loaded, issues: loadIssues } = loadSpecCollecting(opts.load);
  if (!loaded) throw new ConfigError(loadIssues);
  const fs = opts.fs ?? realFs;
  const { spec } = loaded;
  const incomplete = loaded.incomplete ?? new Set<string>();
  // with a section the schema refused, what reads it is not checked (its own issues are reported)
  const planned = !PLAN_READS.some((s) => incomplete.has(s));
  const templateFiles = planned ? readTemplateFiles(templateFilePaths(spec), fs) : new Map<string, TemplateFileRead>();
  // a template file others may not read is masked like a secret wherever foyer prints (its lines,
  // by value: those a template expression changes are the ones it cannot recognise)
  for (const [path, read] of templateFiles) if (read.ok && read.private) loaded.redactor.add(path, read.content);
  const plan = planned ? planInit({ spec, secrets: loaded.secrets.values, env: opts.load.env, ...(opts.load.notUtf8Env ? { notUtf8Env: opts.load.notUtf8Env } : {}), templateFiles }) : { actions: [], issues: [] };
  const users = withPlanned(opts.users ?? systemUserDatabase(), opts.planned ?? {});
  const facts = await gatherFacts(spec, plan.actions, { users, fs, system: opts.scope.system, ports: opts.scope.ports });
  const checked = runChecks({ spec, resolvedSecrets: new Set(loaded.secrets.values.keys()), actions: plan.actions, scope: opts.scope, facts, origin: loaded.origin, incomplete: planned ? incomplete : new Set([...incomplete, "(plan)"]) });
  const issues = [...loadIssues, ...withoutEchoes(plan.issues, loadIssues), ...checked.issues].map((i) => locateIssue(i, loaded));
  if (issues.length) throw new ConfigError(dedupe(issues));
  return { loaded, actions: plan.actions, users, owners: checked.owners, ...(facts.disk ? { disk: facts.disk } : {}) };
}

/** The checks' input: the typed spec, the plan, and the facts gathered for them. */
export interface CheckInput {
  spec: Spec;
  resolvedSecrets: ReadonlySet<string>;
  actions: readonly Action[];
  scope: CheckScope;
  facts: Facts;
  origin: LoadedSpec["origin"];
  /** sections the schema refused (at their defaults here; "(plan)" when there is no plan): checks reading them are skipped */
  incomplete?: ReadonlySet<string>;
}

/** The sections planning reads. */
const PLAN_READS = ["config", "files", "secrets", "env"];

/** Every check, pure; the owners resolved on the way. */
export function runChecks(input: CheckInput): { issues: ConfigIssue[]; owners: Map<string, OwnerIds> } {
  const { spec, facts, actions, scope } = input;
  const ok = (...sections: string[]): boolean => !sections.some((s) => input.incomplete?.has(s));
  const owners = checkOwners(actions, facts.users);
  const issues = [
    ...(ok("programs") ? checkContradictions(spec) : []),
    ...(ok("env", "programs") ? checkEnvTemplates(spec) : []),
    ...(ok("programs", "secrets") ? checkProgramSecrets(spec, input.resolvedSecrets) : []),
    ...(ok("programs") ? [...checkMainName(spec, scope.main), ...checkProgramOrder(spec)] : []),
    ...(ok("programs", "hooks") ? checkRunAsUsers(spec, facts.users) : []),
    ...owners.issues,
    ...(ok("programs", "hooks") ? checkPrivileges(spec, actions, owners.owners, facts.users, facts.self) : []),
    ...(facts.disk ? checkPlanOnDisk(actions, owners.owners, facts.disk) : []),
    ...(scope.system && ok("programs", "hooks", "(plan)")
      ? checkDirs(spec, { kinds: facts.kinds, planned: plannedDirs(actions), hookFromProfile: (phase) => input.origin(["hooks", phase]) === "profile" })
      : []),
    ...(ok("health") ? checkHealthPort(facts.port) : []),
  ];
  return { issues, owners: owners.owners };
}

// A secret that could not be resolved is reported once, at secrets.NAME; each template using it
// would only repeat that (and call it optional), so those echoes are dropped.
function withoutEchoes(planIssues: ConfigIssue[], loadIssues: ConfigIssue[]): ConfigIssue[] {
  const failed = loadIssues.flatMap((i) => (i.path.startsWith("secrets.") ? [JSON.stringify(i.path.slice("secrets.".length))] : []));
  return planIssues.filter((i) => !failed.some((name) => i.message.includes(`secret ${name} has no value`)));
}

function locateIssue(issue: ConfigIssue, loaded: LoadedSpec): ConfigIssue {
  if (issue.where) return issue;
  const where = loaded.whereIs(issue.path);
  return where ? { ...issue, where } : issue;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\0${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
