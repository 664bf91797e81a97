// The validation stage: what every command (validate, plan, init, render, run) runs before any
// write. Load (YAML, profile, env overrides, schema, secrets) → plan (pure) → gather the facts
// (template files, NSS, the disk, the health port) → every check → all issues at once, each with
// its spec path and file:line:col (or the env variable) → ConfigError (exit 78), nothing written.
import { usersSpecIssues } from "../users/checks.js";
import { ConfigError, type ConfigIssue } from "../errors.js";
import { systemUserDatabase, withPlanned, type UserDatabase } from "../identity/index.js";
import type { AccountList } from "../users/accounts.js";
import type { Action } from "../plan/action.js";
import { realFs, type FsOps } from "../plan/fsops.js";
import { readTemplateFiles } from "../plan/observe.js";
import { gatherHomes } from "../home/gather.js";
import { homePathWarnings } from "../home/checks.js";
import { prepareSession, systemSessionFacts, type SessionFacts } from "../sessions/prepare.js";
import { prepareJupyter, systemJupyterFacts, type JupyterFacts } from "../jupyter/prepare.js";
import { checkOwners, type OwnerIds } from "../plan/owners.js";
import { planInit, templateFilePaths, type TemplateFileRead } from "../plan/planner.js";
import { loadSpecCollecting, type LoadedSpec, type LoadOptions } from "../spec/load.js";
import type { Spec } from "../spec/schema.js";
import { gatherAccountFacts, ldapHint, plannedUsers, testUserHomes, type AccountFacts } from "./accounts.js";
import { checkPlanOnDisk, plannedDirs, type DiskFacts } from "./disk.js";
import { gatherFacts, type Facts } from "./gather.js";
import { checkGeneratedState, gatherStateDevices } from "./generated-state.js";
import { gatherInCluster } from "./in-cluster.js";
import { overrideFileCheck } from "./read-regular.js";
import { checkContradictions, checkEnvTemplates, checkMainName, checkProgramOrder, checkProgramSecrets, checkUnusedSecrets } from "./spec-checks.js";
import { checkDirs, checkHealthPort, checkHookWriters, checkPrivileges, checkRunAsUsers } from "./system-checks.js";

/** What a command checks beyond the spec itself. */
export interface CheckScope {
  /** `run -- CMD`: a program named "main" joins the spec's */
  main: boolean;
  /** the target system: the plan's paths on disk, hook dirs, program cwds (not render --out: it writes under DIR) */
  system: boolean;
  /** bind-probe health.listen (the commands that start the server or foretell it: validate, plan, run) */
  ports: boolean;
  /** warnings fail like issues (`validate --strict`) */
  strict?: boolean;
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
  /** the accounts user provisioning creates that validation counted on (checked after the sync) */
  expectedAccounts: AccountList;
  /** labels of the LDAP sources, whose accounts the sync fetches (unknown before it) */
  onlineSources: string[];
  /** refusals of the users policy already printed as warnings or issues (the sync does not repeat them) */
  refusalsReported: ReadonlySet<string>;
  /** worth saying, not fatal (unknown product option names, what a startup file loses, docker-stacks' notes): each command prints them */
  warnings: ConfigIssue[];
}

export interface StageOptions {
  load: LoadOptions;
  /** the result of loadSpecCollecting(load), when the caller already has it (not loaded twice) */
  preloaded?: ReturnType<typeof loadSpecCollecting>;
  scope: CheckScope;
  /** default: the system's (NSS) */
  users?: UserDatabase;
  /** the root filesystem user provisioning writes (`users sync --root`; default /) */
  usersRoot?: string;
  /** foyer's effective uid (default: the process's): the sync runs only as root */
  euid?: number;
  /** ms since the epoch (account expiry); default now */
  now?: number;
  /** the local account files as read (tests); default: read under usersRoot */
  accountFacts?: AccountFacts;
  fs?: FsOps;
  /** where the pod's Kubernetes service account is mounted (default: Kubernetes' path) */
  serviceAccountDir?: string;
  /** what the jupyter: section reads (default: the real system) */
  jupyterFacts?: JupyterFacts;
  /** what the session: section reads (default: the real system) */
  sessionFacts?: SessionFacts;
}

/** Run the whole stage; throws ConfigError with every issue found. */
export async function validateForCommand(opts: StageOptions): Promise<Validated> {
  const { loaded, issues: loadIssues } = opts.preloaded ?? loadSpecCollecting(opts.load);
  if (!loaded) throw new ConfigError(loadIssues);
  const fs = opts.fs ?? realFs;
  const incomplete = loaded.incomplete ?? new Set<string>();
  const systemUsers = opts.users ?? systemUserDatabase();
  // jupyter: (docker-stacks' start.sh) reads its env vars and the accounts, and lays the result over
  // the spec first; not for render --out, which looks at no system
  const jupyter = incomplete.has("jupyter") || !opts.scope.system ? undefined : prepareJupyter(loaded.spec, opts.load.env, opts.jupyterFacts ?? systemJupyterFacts(systemUsers));
  // session: the kind's programs and probes, the routing proxy's config (render --out writes it too)
  const session = incomplete.has("session") ? undefined : prepareSession(jupyter?.spec ?? loaded.spec, opts.sessionFacts ?? systemSessionFacts(), { main: opts.scope.main });
  const spec = session?.spec ?? jupyter?.spec ?? loaded.spec;
  // with a section the schema refused, what reads it is not checked (its own issues are reported)
  const planned = !PLAN_READS.some((s) => incomplete.has(s));
  const templateFiles = planned ? readTemplateFiles(templateFilePaths(spec), fs) : new Map<string, TemplateFileRead>();
  // a template file others may not read is masked like a secret wherever foyer prints (its lines,
  // by value: those a template expression changes are the ones it cannot recognise)
  for (const [path, read] of templateFiles) if (read.ok && read.private) loaded.redactor.add(path, read.content);
  // home.self: foyer's own account, when it is not root (a session container started as the user)
  const euid = process.geteuid?.() ?? 0;
  const self = euid === 0 ? undefined : systemUsers.getpw(euid)?.name;
  const homes = planned ? gatherHomes(spec, fs, opts.load.env, self) : undefined;
  const extra = { before: jupyter?.before ?? [], after: [...(jupyter?.after ?? []), ...(session?.actions ?? [])] };
  // the product's facts (the in-cluster API) are read before planning: the plan stays pure
  const kubernetes = gatherInCluster(opts.load.env, opts.serviceAccountDir);
  const productFacts = kubernetes ? { kubernetes } : {};
  const plan = planned
    ? planInit({ spec, secrets: loaded.secrets.values, env: opts.load.env, ...(opts.load.notUtf8Env ? { notUtf8Env: opts.load.notUtf8Env } : {}), templateFiles, facts: productFacts, extra, ...(homes ? { homes } : {}) })
    : { actions: [], issues: [], secretsUsed: new Set<string>() };
  // the accounts the sync (a step of init/run, before the plan's actions) will create count for
  // every identity check; as root only: otherwise the sync does not run
  const accounts = spec.users && !incomplete.has("users") && (opts.euid ?? process.geteuid?.() ?? 0) === 0
    ? plannedUsers(spec.users, opts.load.env, opts.accountFacts ?? gatherAccountFacts(spec.users, opts.usersRoot ?? "/", fs), opts.now ?? Date.now())
    : undefined;
  const users = withPlanned(withPlanned(systemUsers, jupyter?.planned ?? {}), accounts?.overlay ?? {});
  // the Posit test user's home, as useradd -m made it (after the sync, like every action)
  if (accounts) plan.actions.unshift(...testUserHomes(accounts.expected));
  const facts = await gatherFacts(spec, plan.actions, { users, fs, system: opts.scope.system, ports: opts.scope.ports });
  const checked = runChecks({ spec, resolvedSecrets: new Set(loaded.secrets.values.keys()), actions: plan.actions, scope: opts.scope, facts, origin: loaded.origin, incomplete: planned ? incomplete : new Set([...incomplete, "(plan)"]) });
  if (accounts?.online.length) checked.issues = checked.issues.map((i) => (UNKNOWN_NAME.test(i.message) ? { ...i, message: `${i.message}${ldapHint(accounts.online)}` } : i));
  const unused = planned && !incomplete.has("programs") ? checkUnusedSecrets(spec, plan.secretsUsed) : [];
  const product = planned && !incomplete.has("config") ? productWarnings(loaded, plan.actions) : [];
  const state = opts.scope.system ? checkGeneratedState(plan.actions, gatherStateDevices(plan.actions)) : [];
  const jupyterNotes = [...(jupyter?.warnings ?? []).map((message) => ({ path: "jupyter", message })), ...(session?.warnings ?? []).map((message) => ({ path: "session", message }))];
  const homeNotes = (planned ? homePathWarnings(spec, users, self, homes?.facts.homeOwners) : []).map((message) => ({ path: "home", message }));
  const hookWriters = facts.hookDirs && !incomplete.has("hooks") ? checkHookWriters(spec, facts.hookDirs, facts.self) : [];
  const warnings = dedupe([...loaded.warnings, ...(accounts?.warnings ?? []), ...unused, ...product, ...state, ...jupyterNotes, ...homeNotes, ...hookWriters].map((i) => locateIssue(i, loaded)));
  const issues = [...loadIssues, ...(jupyter?.issues ?? []), ...(session?.issues ?? []), ...withoutEchoes(plan.issues, loadIssues), ...(accounts?.issues ?? []), ...checked.issues].map((i) => locateIssue(i, loaded));
  if (opts.scope.strict) issues.push(...warnings.map((w) => ({ ...w, message: `${w.message} (a warning; --strict makes it an error)` })));
  if (issues.length) throw new ConfigError(dedupe(issues));
  return {
    loaded: spec === loaded.spec ? loaded : { ...loaded, spec },
    actions: plan.actions,
    users,
    owners: checked.owners,
    expectedAccounts: accounts?.expected ?? NO_ACCOUNTS,
    onlineSources: accounts?.online ?? [],
    refusalsReported: accounts?.reported ?? new Set(),
    warnings,
    ...(facts.disk ? { disk: facts.disk } : {}),
  };
}

const NO_ACCOUNTS: AccountList = { users: [], groups: [] };
/** the identity resolver's words for a name no database knows (src/identity/resolve.ts) */
const UNKNOWN_NAME = /^(user|group) ".*" does not exist \(not in the (user|group) database\)/;

/**
 * The product's warnings about its config (option names, values, launcher profiles), masked: a
 * warning may quote a value. A job-json-overrides file counts as usable when the plan writes it,
 * else when it is a readable JSON file on disk.
 */
function productWarnings(loaded: LoadedSpec, actions: readonly Action[]): ConfigIssue[] {
  const planned = new Map(actions.flatMap((a) => (a.kind === "write-file" ? [[a.path, a.content] as const] : [])));
  const warnings = loaded.product.checks?.(loaded.spec.config, { overrideFile: overrideFileCheck(planned), spec: loaded.spec }) ?? [];
  return warnings.map((w) => ({ ...w, message: loaded.redactor.redact(w.message) }));
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
const PLAN_READS = ["config", "files", "secrets", "env", "home", "jupyter", "session"];

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
    ...(ok("users", "secrets") ? usersSpecIssues(spec.users, new Set(Object.keys(spec.secrets))) : []),
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
