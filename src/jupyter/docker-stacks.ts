// docker-stacks' start.sh, as data (pure): from its environment variables and what the user
// database and /home say, the account changes, home copy, chowns and sudoers file it would make,
// and how the notebook server program runs. Observable results follow
// jupyter/docker-stacks images/docker-stacks-foundation/start.sh and start-notebook.py; the
// departures (safer or faster, same result for the user) are listed in docs/jupyter.md.
import type { ConfigIssue } from "../errors.js";
import type { PlannedAccounts, UserDatabase } from "../identity/index.js";
import type { Action } from "../plan/action.js";
import { shlexSplit } from "../products/supervisord/shlex.js";
import type { Program } from "../spec/schema.js";
import type { AccountEdit } from "../users/edits.js";
import type { JupyterSpec } from "./schema.js";

/** What start.sh reads from the disk: whether a path is there. */
export type PathKind = "dir" | "missing" | "other";

export interface DockerStacksInput {
  jupyter: JupyterSpec;
  env: Readonly<Record<string, string | undefined>>;
  /** foyer's effective uid: start.sh's "running as root" branch is uid 0 */
  euid: number;
  users: UserDatabase;
  kindOf: (path: string) => PathKind;
  /** /etc/sudoers (its secure_path gets $CONDA_DIR/bin first, as start.sh does), undefined when absent */
  sudoers?: string | undefined;
  /** the notebook program as the spec has it */
  program: Program | undefined;
  /** users.rootless is set: run/init give foyer's uid a passwd entry before applying (no warning about a missing one) */
  rootlessEntry?: boolean;
}

export interface DockerStacksResult {
  /** account changes and the home copy: before the home section's actions */
  before: Action[];
  /** chowns and the sudoers file: after the homes are made */
  after: Action[];
  /** accounts the `before` actions create, for the checks (src/identity withPlanned) */
  planned: PlannedAccounts;
  /** the notebook user, who gets a home (undefined: foyer is not root and changes no account) */
  homeUser: string | undefined;
  /** fields of the notebook program replaced (user, umask, command, restart, unset, cwd, env) */
  program: Partial<Program>;
  issues: ConfigIssue[];
  /** start.sh's warnings (printed, not fatal) */
  warnings: string[];
}

/** `users`, the group docker-stacks adds every notebook user to (useradd --groups 100). */
const USERS_GID = 100;
const yes = (v: string | undefined) => v === "1" || v === "yes";

export function dockerStacks(input: DockerStacksInput): DockerStacksResult {
  const { env, jupyter } = input;
  const out: DockerStacksResult = { before: [], after: [], planned: {}, homeUser: undefined, program: {}, issues: [], warnings: [] };
  // a variable's issue points at the environment, not at a spec line
  const issue = (variable: string, message: string) => out.issues.push({ path: `env ${variable}`, message, where: "the container's environment" });
  if (!input.program) {
    out.issues.push({ path: "jupyter.program", message: `no program named ${JSON.stringify(jupyter.program)} to run as the notebook server` });
    return out;
  }
  const program = input.program;
  const nbUser = env.NB_USER || jupyter.defaultUser;
  if (!/^[a-z_][a-z0-9_-]*\$?$/i.test(nbUser) || nbUser.length > 32) issue("NB_USER", `${JSON.stringify(nbUser)} is not a valid user name`);
  const uidWanted = numericId(env.NB_UID, "NB_UID", issue);
  const gidWanted = numericId(env.NB_GID, "NB_GID", issue);
  if (env.NB_UMASK) {
    if (/^[0-7]{1,4}$/.test(env.NB_UMASK)) out.program.umask = parseInt(env.NB_UMASK, 8) & 0o777;
    else issue("NB_UMASK", `${JSON.stringify(env.NB_UMASK)} is not an octal umask like 002`);
  }
  out.program.command = serverCommand(input, issue);
  if (env.RESTARTABLE === "yes") out.program.restart = "always"; // run-one-constantly
  // jupyter-server listens on $JUPYTER_PORT (docker-stacks' image sets 8888): the readiness probe follows it
  if (env.JUPYTER_PORT !== undefined) {
    const port = Number(env.JUPYTER_PORT);
    if (!/^\d{1,5}$/.test(env.JUPYTER_PORT) || port < 1 || port > 65535) issue("JUPYTER_PORT", `${JSON.stringify(env.JUPYTER_PORT)} is not a port`);
    else if (program.ready?.http) {
      const url = new URL(program.ready.http);
      if (url.port === "8888") {
        url.port = String(port);
        out.program.ready = { ...program.ready, http: url.toString() };
      }
    }
  }
  const toUnset = (env.JUPYTER_ENV_VARS_TO_UNSET ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (const name of toUnset) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) issue("JUPYTER_ENV_VARS_TO_UNSET", `${JSON.stringify(name)} is not a variable name`);
  if (env.JUPYTER_ENV_VARS_TO_UNSET !== undefined) out.program.unset = [...new Set([...program.unset, ...toUnset, "JUPYTER_ENV_VARS_TO_UNSET"])];
  if (out.issues.length) return out;

  if (input.euid !== 0) return notRoot(input, nbUser, uidWanted, gidWanted, out);

  const home = `/home/${nbUser}`;
  const defaultHome = `/home/${jupyter.defaultUser}`;
  if (nbUser === "root" && (uidWanted ?? 0) === 0 && (gidWanted ?? 0) === 0) {
    // start.sh: root keeps running as root with HOME=/home/root, a copy of the default home; its
    // `sed -i "s|/root|/home/root|g" /etc/passwd` makes /home/root root's home in passwd, so
    // `getent passwd root` and a shell started later agree (usermod --home: root's entry only)
    const root = input.users.getpw("root");
    if (root && root.home !== "/home/root") {
      out.before.push({ kind: "edit-accounts", path: "/etc", reason: "root's home is /home/root (NB_USER=root)", source: "env NB_USER", edits: [{ op: "rename-user", from: "root", to: "root", home: "/home/root" }] });
      out.planned = { users: [{ ...root, home: "/home/root" }], groups: [] };
    }
    out.program.user = "root";
    out.program.env = { ...program.env, HOME: "/home/root", XDG_CACHE_HOME: "/home/root/.cache" };
    moveCwd(program, defaultHome, "/home/root", "root", out);
    if (input.kindOf("/home/root") === "missing") out.before.push(copyHome(defaultHome, "/home/root", false));
    return out;
  }
  // start.sh's usermod / groupadd / userdel + useradd, as edits through the users module's writer
  const edits: AccountEdit[] = [];
  const why: string[] = [];
  let account = input.users.getpw(nbUser);
  if (!account) {
    const original = input.users.getpw(jupyter.defaultUser);
    if (!original) {
      issue("NB_USER", `user ${JSON.stringify(nbUser)} does not exist and there is no ${JSON.stringify(jupyter.defaultUser)} to rename (start.sh stops here too: restart the container with another NB_USER)`);
      return out;
    }
    edits.push({ op: "rename-user", from: jupyter.defaultUser, to: nbUser, home });
    why.push(`rename ${jupyter.defaultUser} to ${nbUser} (NB_USER)`);
    account = { ...original, name: nbUser, home };
  }
  const uid = uidWanted ?? account.uid;
  const gid = gidWanted ?? account.gid;
  const plannedUser = { ...account, uid, gid, home: account.home };
  const groups: NonNullable<PlannedAccounts["groups"]>[number][] = [];
  if (uid !== account.uid || gid !== account.gid) {
    if (gid !== account.gid) {
      const group = env.NB_GROUP || nbUser;
      edits.push({ op: "add-group", name: group, gid });
      if (!input.users.getgr(gid)) groups.push({ name: group, gid });
    }
    edits.push({ op: "recreate-user", name: nbUser, uid, gid, home, shell: "/bin/bash", groups: [USERS_GID] });
    why.push(`${nbUser} with uid ${uid}, gid ${gid} and the users group (NB_UID, NB_GID)`);
    Object.assign(plannedUser, { home, shell: "/bin/bash" });
    const users = input.users.getgr(USERS_GID);
    if (users) groups.push({ ...users, members: [nbUser] });
  }
  if (edits.length) out.before.push({ kind: "edit-accounts", path: "/etc", reason: why.join("; "), source: edits[0]!.op === "rename-user" ? "env NB_USER" : "env NB_UID", edits });
  out.planned = { users: [plannedUser], groups };
  out.homeUser = nbUser;
  out.program.user = nbUser;
  out.program.env = { ...program.env, XDG_CACHE_HOME: `${home}/.cache` }; // start.sh: "outdated since image build"
  if (nbUser !== jupyter.defaultUser && input.kindOf(home) === "missing" && input.kindOf(defaultHome) === "dir") out.before.push(copyHome(defaultHome, home, true));
  moveCwd(program, defaultHome, home, nbUser, out);

  if (yes(env.CHOWN_HOME)) out.after.push(chown(home, uid, gid, env.CHOWN_HOME_OPTS, "CHOWN_HOME", out));
  for (const extra of (env.CHOWN_EXTRA ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    if (!extra.startsWith("/") || extra.split("/").includes("..")) issue("CHOWN_EXTRA", `${JSON.stringify(extra)} must be an absolute path without '..'`);
    else out.after.push(chown(extra.replace(/\/+$/, "") || "/", uid, gid, env.CHOWN_EXTRA_OPTS, "CHOWN_EXTRA", out));
  }
  // start.sh: sudo's secure_path gets $CONDA_DIR/bin first, so `sudo python` is the image's Python
  const securePath = /^Defaults\s+secure_path\s*=\s*"?([^"\n]+)"?\s*$/m.exec(input.sudoers ?? "");
  if (env.CONDA_DIR && securePath && /^\/[^\s"\\:]*$/.test(env.CONDA_DIR)) {
    out.after.push({
      kind: "write-file",
      path: "/etc/sudoers.d/path",
      reason: "sudo finds $CONDA_DIR/bin first (CONDA_DIR)",
      source: "env CONDA_DIR",
      content: `Defaults secure_path="${env.CONDA_DIR}/bin:${securePath[1]!.trim()}"\n`,
      mode: 0o440,
      owner: "0:0",
      secret: false,
    });
  }
  if (yes(env.GRANT_SUDO)) {
    out.after.push({
      kind: "write-file",
      path: "/etc/sudoers.d/added-by-start-script",
      reason: `sudo without password for ${nbUser} (GRANT_SUDO)`,
      source: "env GRANT_SUDO",
      content: `${nbUser} ALL=(ALL) NOPASSWD:ALL\n`,
      mode: 0o440,
      owner: "0:0",
      secret: false,
    });
  }
  return out;
}

/** start.sh when not root: nothing about accounts can change; it says so. */
function notRoot(input: DockerStacksInput, nbUser: string, uid: number | undefined, gid: number | undefined, out: DockerStacksResult): DockerStacksResult {
  const { env } = input;
  out.program.user = undefined; // runs as foyer itself: the only user a non-root foyer can start
  if (yes(env.GRANT_SUDO)) out.warnings.push("sudo access is not available when the container is not started as root (GRANT_SUDO)");
  const me = input.users.getpw(input.euid);
  if (!me && !input.rootlessEntry) out.warnings.push(`uid ${input.euid} has no passwd entry: give it one with users.rootless (foyer run and init add it when /etc/passwd is writable by group 0), or start as root`);
  if (env.NB_USER && me?.name !== nbUser) out.warnings.push(`NB_USER=${nbUser} cannot be applied when not running as root (the user is ${me?.name ?? input.euid})`);
  if (uid !== undefined && uid !== input.euid) out.warnings.push(`NB_UID=${uid} cannot be applied when not running as root (uid is ${input.euid})`);
  if (gid !== undefined && gid !== process.getegid?.()) out.warnings.push(`NB_GID=${gid} cannot be applied when not running as root`);
  if (input.kindOf(`/home/${input.jupyter.defaultUser}`) === "dir" && me?.home === `/home/${input.jupyter.defaultUser}` && me.uid !== input.euid) {
    out.warnings.push(`/home/${input.jupyter.defaultUser} may not be writable: add --group-add=users`);
  }
  return out;
}

/**
 * start.sh: a working directory under the default home moves to the same place in the new one. A
 * directory below the home itself is planned too (the copy brings it; if not, it is made), so the
 * checks know the program's cwd will be there.
 */
function moveCwd(program: Program, from: string, to: string, owner: string, out: DockerStacksResult): void {
  if (from === to || !program.cwd || !(program.cwd === from || program.cwd.startsWith(`${from}/`))) return;
  out.program.cwd = to + program.cwd.slice(from.length);
  if (out.program.cwd === to) return;
  out.after.push({ kind: "ensure-dir", path: out.program.cwd, reason: `the server's working directory, moved with the home (NB_USER)`, source: "env NB_USER", mode: 0o755, owner, keepExisting: true, userDir: true });
}

function serverCommand(input: DockerStacksInput, issue: (v: string, m: string) => void): string[] {
  const args = input.env.NOTEBOOK_ARGS ? shlexSplit(input.env.NOTEBOOK_ARGS) : [];
  if (!Array.isArray(args)) {
    issue("NOTEBOOK_ARGS", args.error);
    return [];
  }
  if (input.env.JUPYTERHUB_API_TOKEN) return [...input.jupyter.singleuser, ...args];
  return [...input.jupyter.launcher, input.env.DOCKER_STACKS_JUPYTER_CMD || "lab", ...args];
}

function numericId(value: string | undefined, name: string, issue: (v: string, m: string) => void): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 0xfffffffe) {
    issue(name, `${JSON.stringify(value)} is not a numeric id`);
    return undefined;
  }
  return Number(value);
}

/**
 * start.sh: mkdir + `cp -a /home/jovyan/. /home/$NB_USER/` (root: --no-preserve=ownership); one cp -a
 * of the directory is the same. When the copy fails, start.sh runs `ln -s /home/jovyan /home/$NB_USER`:
 * its mkdir made /home/$NB_USER already, so ln puts the link inside it, /home/$NB_USER/jovyan, beside
 * whatever was copied, and the start goes on. `otherwise` is that link (its parent made if missing).
 */
function copyHome(from: string, to: string, preserveOwner: boolean): Action {
  const argv = ["cp", "-a", ...(preserveOwner ? [] : ["--no-preserve=ownership"]), from, to];
  const otherwise = { kind: "symlink" as const, path: `${to}/${from.slice(from.lastIndexOf("/") + 1)}`, target: from, reason: `start.sh's fallback when the copy of ${from} fails`, source: "env NB_USER" };
  return { kind: "run-command-as-user", path: "/", reason: `the home of ${from} copied to ${to} (NB_USER)`, source: "env NB_USER", argv, user: "0:0", env: {}, creates: to, otherwise };
}

function chown(path: string, uid: number, gid: number, opts: string | undefined, variable: string, out: DockerStacksResult): Action {
  const flags = (opts ?? "").split(/\s+/).filter(Boolean);
  const recursive = flags.some((f) => f === "-R" || f === "--recursive" || /^-[A-Za-z]*R/.test(f));
  const ignored = flags.filter((f) => !(f === "-R" || f === "--recursive" || /^-[A-Za-z]*R[A-Za-z]*$/.test(f)));
  if (ignored.length) out.warnings.push(`${variable}_OPTS: only -R is applied; ignored ${ignored.join(" ")} (foyer never follows links)`);
  return { kind: "chown", path, reason: `${variable}${recursive ? ` (${variable}_OPTS -R)` : ""}`, source: `env ${variable}`, owner: `${uid}:${gid}`, recursive };
}
