// dockerStacks (pure): start.sh's decisions from its variables and the user database. The same
// scenarios run for real, through the binary as PID 1 in a Debian root, in
// test/e2e/docker-stacks.test.ts; these pin the argv and the branches.
import { describe, expect, it } from "vitest";
import { filesDatabase } from "../../../src/identity/index.js";
import { dockerStacks, type PathKind } from "../../../src/jupyter/docker-stacks.js";
import { JupyterSchema } from "../../../src/jupyter/schema.js";
import { ProgramSchema } from "../../../src/spec/schema.js";
import { describeEdit } from "../../../src/users/edits.js";

const IMAGE = filesDatabase(
  "root:x:0:0:root:/root:/bin/bash\njovyan:x:1000:100::/home/jovyan:/bin/bash\n",
  "root:x:0:\nusers:x:100:\n",
);
const program = ProgramSchema.parse({ command: ["jupyter", "lab"], user: "jovyan", cwd: "/home/jovyan/work", unset: ["KEEP_ME_UNSET"] });

function run(env: Record<string, string>, opts: { euid?: number; kinds?: Record<string, PathKind>; users?: typeof IMAGE } = {}) {
  return dockerStacks({
    jupyter: JupyterSchema.parse({ dockerStacks: true }),
    env,
    euid: opts.euid ?? 0,
    users: opts.users ?? IMAGE,
    kindOf: (p) => opts.kinds?.[p] ?? (p === "/home/jovyan" ? "dir" : "missing"),
    program,
  });
}
const argvs = (r: ReturnType<typeof run>) =>
  [...r.before, ...r.after].flatMap((a) => (a.kind === "run-command-as-user" ? [a.argv.join(" ")] : a.kind === "edit-accounts" ? a.edits.map(describeEdit) : [`${a.kind} ${a.path}`]));

describe("docker-stacks start.sh as root", () => {
  it("the default user: nothing to change; the server runs as jovyan with `jupyter lab`", () => {
    const r = run({});
    expect(r.issues).toEqual([]);
    expect(argvs(r)).toEqual([]);
    expect(r.program).toMatchObject({ user: "jovyan", command: ["jupyter", "lab"] });
    expect(r.homeUser).toBe("jovyan");
  });

  it("a renamed user: the rename (usermod --login --home), the home copied, the working directory moved with it", () => {
    const r = run({ NB_USER: "ada" });
    expect(argvs(r)).toEqual(["rename user jovyan to ada, home /home/ada", "cp -a /home/jovyan /home/ada", "ensure-dir /home/ada/work"]);
    expect(r.program).toMatchObject({ user: "ada", cwd: "/home/ada/work", env: { XDG_CACHE_HOME: "/home/ada/.cache" } });
    expect(r.planned.users).toEqual([{ name: "ada", uid: 1000, gid: 100, home: "/home/ada", shell: "/bin/bash" }]);
  });

  it("a renamed user whose home exists (a volume): no copy", () => {
    expect(argvs(run({ NB_USER: "ada" }, { kinds: { "/home/ada": "dir", "/home/jovyan": "dir" } }))).toEqual(["rename user jovyan to ada, home /home/ada", "ensure-dir /home/ada/work"]);
  });

  it("changed uid and gid: the group made, the user made again with the users group", () => {
    const r = run({ NB_USER: "ada", NB_UID: "1234", NB_GID: "2345", NB_GROUP: "lab" });
    expect(argvs(r)).toEqual([
      "rename user jovyan to ada, home /home/ada",
      "group lab gid 2345 (unless it exists)",
      "user ada uid 1234 gid 2345, home /home/ada, shell /bin/bash, groups 100",
      "cp -a /home/jovyan /home/ada",
      "ensure-dir /home/ada/work",
    ]);
    expect(r.planned.groups).toEqual([{ name: "lab", gid: 2345 }, { name: "users", gid: 100, members: ["ada"] }]);
  });

  it("a second start (the rename and ids already done): nothing", () => {
    const done = filesDatabase("root:x:0:0::/root:/bin/bash\nada:x:1234:2345::/home/ada:/bin/bash\n", "root:x:0:\nusers:x:100:ada\nlab:x:2345:\n");
    expect(argvs(run({ NB_USER: "ada", NB_UID: "1234", NB_GID: "2345" }, { users: done, kinds: { "/home/ada": "dir" } }))).toEqual(["ensure-dir /home/ada/work"]);
  });

  it("neither jovyan nor NB_USER: the start stops, as start.sh's", () => {
    const r = run({ NB_USER: "ada" }, { users: filesDatabase("root:x:0:0::/root:/bin/sh\n", "root:x:0:\n") });
    expect(r.issues[0]).toMatchObject({ path: "env NB_USER" });
    expect(r.issues[0]!.message).toContain('there is no "jovyan" to rename');
  });

  it("CHOWN_HOME, CHOWN_EXTRA with and without -R; GRANT_SUDO writes the sudoers line", () => {
    const r = run({ CHOWN_HOME: "yes", CHOWN_HOME_OPTS: "-R", CHOWN_EXTRA: "/data,/opt/x/", CHOWN_EXTRA_OPTS: "", GRANT_SUDO: "1" });
    expect(r.after.filter((a) => a.kind !== "ensure-dir")).toMatchObject([
      { kind: "chown", path: "/home/jovyan", owner: "1000:100", recursive: true },
      { kind: "chown", path: "/data", owner: "1000:100", recursive: false },
      { kind: "chown", path: "/opt/x", owner: "1000:100", recursive: false },
      { kind: "write-file", path: "/etc/sudoers.d/added-by-start-script", content: "jovyan ALL=(ALL) NOPASSWD:ALL\n", mode: 0o440 },
    ]);
    expect(run({ CHOWN_HOME: "true", GRANT_SUDO: "no" }).after.filter((a) => a.kind !== "ensure-dir")).toEqual([]); // only 1 and yes count
  });

  it("the command: DOCKER_STACKS_JUPYTER_CMD and NOTEBOOK_ARGS (shell words), the hub's singleuser, RESTARTABLE, NB_UMASK, unset", () => {
    expect(run({ DOCKER_STACKS_JUPYTER_CMD: "server", NOTEBOOK_ARGS: "--ServerApp.base_url='/a b' --debug" }).program.command).toEqual(["jupyter", "server", "--ServerApp.base_url=/a b", "--debug"]);
    expect(run({ JUPYTERHUB_API_TOKEN: "t0k3n-abcdef", NOTEBOOK_ARGS: "--x" }).program.command).toEqual(["jupyterhub-singleuser", "--x"]);
    const r = run({ RESTARTABLE: "yes", NB_UMASK: "002", JUPYTER_ENV_VARS_TO_UNSET: "AWS_SECRET,TOKEN" });
    expect(r.program).toMatchObject({ restart: "always", umask: 0o002, unset: ["KEEP_ME_UNSET", "AWS_SECRET", "TOKEN", "JUPYTER_ENV_VARS_TO_UNSET"] });
  });

  it("NB_USER=root with uid and gid 0: root's home becomes /home/root in passwd, runs as root there, a copy of jovyan's home not keeping its owner", () => {
    const r = run({ NB_USER: "root", NB_UID: "0", NB_GID: "0" });
    expect(argvs(r)).toEqual(["user root home /home/root", "cp -a --no-preserve=ownership /home/jovyan /home/root", "ensure-dir /home/root/work"]);
    expect(r.program).toMatchObject({ user: "root", cwd: "/home/root/work", env: { HOME: "/home/root" } });
    expect(r.planned.users).toEqual([expect.objectContaining({ name: "root", uid: 0, home: "/home/root" })]);
    expect(r.homeUser).toBeUndefined();
    const copy = r.before.find((a) => a.kind === "run-command-as-user");
    expect(copy).toMatchObject({ creates: "/home/root", otherwise: { kind: "symlink", path: "/home/root/jovyan", target: "/home/jovyan" } });
    // a second start (passwd already says /home/root, the home exists): nothing to change
    const again = run({ NB_USER: "root" }, { users: filesDatabase("root:x:0:0:root:/home/root:/bin/bash\n", "root:x:0:\n"), kinds: { "/home/root": "dir" } });
    expect(argvs(again)).toEqual(["ensure-dir /home/root/work"]);
  });

  it("CONDA_DIR: sudo's secure_path gets $CONDA_DIR/bin first in /etc/sudoers.d/path; without a secure_path or CONDA_DIR, nothing", () => {
    const sudoers = 'Defaults\tenv_reset\nDefaults\tsecure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\n';
    const r = dockerStacks({ jupyter: JupyterSchema.parse({ dockerStacks: true }), env: { CONDA_DIR: "/opt/conda" }, euid: 0, users: IMAGE, kindOf: () => "dir", sudoers, program });
    expect(r.after.find((a) => a.path === "/etc/sudoers.d/path")).toMatchObject({ content: 'Defaults secure_path="/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\n', mode: 0o440 });
    const none = dockerStacks({ jupyter: JupyterSchema.parse({ dockerStacks: true }), env: { CONDA_DIR: "/opt/conda" }, euid: 0, users: IMAGE, kindOf: () => "dir", sudoers: "Defaults env_reset\n", program });
    expect(none.after.find((a) => a.path === "/etc/sudoers.d/path")).toBeUndefined();
  });

  it("JUPYTER_PORT moves the readiness probe on 8888 with it", () => {
    const withProbe = ProgramSchema.parse({ command: ["jupyter", "lab"], ready: { http: "http://127.0.0.1:8888/api" } });
    const r = dockerStacks({ jupyter: JupyterSchema.parse({ dockerStacks: true }), env: { JUPYTER_PORT: "9999" }, euid: 0, users: IMAGE, kindOf: () => "dir", program: withProbe });
    expect(r.program.ready?.http).toBe("http://127.0.0.1:9999/api");
    expect(run({ JUPYTER_PORT: "99999" }).issues.map((i) => i.path)).toEqual(["env JUPYTER_PORT"]);
  });

  it("bad values are issues naming the variable", () => {
    const r = run({ NB_UID: "12a", NB_UMASK: "9", NOTEBOOK_ARGS: "'open", JUPYTER_ENV_VARS_TO_UNSET: "A-B" });
    expect(r.issues.map((i) => i.path).sort()).toEqual(["env JUPYTER_ENV_VARS_TO_UNSET", "env NB_UID", "env NB_UMASK", "env NOTEBOOK_ARGS"]);
    expect(run({ CHOWN_EXTRA: "data,/x/../etc" }).issues.map((i) => i.path)).toEqual(["env CHOWN_EXTRA", "env CHOWN_EXTRA"]);
  });
});

describe("docker-stacks start.sh not as root", () => {
  it("changes no account; warns about what it cannot apply; runs as itself", () => {
    const r = run({ NB_USER: "ada", NB_UID: "1234", GRANT_SUDO: "yes" }, { euid: 1000 });
    expect(argvs(r)).toEqual([]);
    expect(r.program.user).toBeUndefined();
    expect("user" in r.program).toBe(true);
    expect(r.warnings.join("\n")).toMatch(/GRANT_SUDO/);
    expect(r.warnings.join("\n")).toMatch(/NB_USER=ada cannot be applied/);
    expect(r.warnings.join("\n")).toMatch(/NB_UID=1234 cannot be applied/);
  });
  it("an arbitrary uid without a passwd entry is told how to fix it", () => {
    expect(run({}, { euid: 4321 }).warnings.join("\n")).toMatch(/uid 4321 has no passwd entry/);
  });
});
