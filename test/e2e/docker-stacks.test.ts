// docker-stacks' start.sh scenarios, for real: the binary alone in a throw-away Debian root built
// like docker-stacks' image (jovyan, uid 1000, primary group users, its home), `foyer run` with
// the jupyter-singleuser profile and start.sh's variables; the "server" is a script printing who
// it runs as. Each scenario checks what start.sh leaves behind: passwd/group entries, the home,
// owners, sudoers, hooks (sourced vs executed, as root), the server's user, cwd, env and umask.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "../..");
const ROOTFS = process.env.ROOTFS ?? "/tmp/foyer-testkit/rootfs";
const haveRootfs = existsSync(join(ROOTFS, "bin/sh"));

// what the docker-stacks Dockerfile does at build time, and hooks of each kind
const IMAGE = `set -e
useradd --no-log-init --create-home --shell /bin/bash --uid 1000 --no-user-group jovyan
echo "# jovyan's own bashrc" > /home/jovyan/.bashrc && chown 1000:100 /home/jovyan/.bashrc
mkdir -p /home/jovyan/work && chown 1000:100 /home/jovyan/work
mkdir -p /usr/local/bin/start-notebook.d /usr/local/bin/before-notebook.d /data
printf 'Defaults\tsecure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\n' > /etc/sudoers && chmod 0440 /etc/sudoers
echo root-file > /data/inside
cat > /usr/local/bin/start-notebook.d/10-env.sh <<'EOF'
# sourced by bash: [[ ]] works, exports reach the server
if [[ -n "$NB_USER" || 1 == 1 ]]; then export FROM_START_HOOK=yes; fi
EOF
cat > /usr/local/bin/before-notebook.d/20-as-who <<'EOF'
#!/bin/sh
id -u > /tmp/before-hook-uid
exit 3
EOF
chmod +x /usr/local/bin/before-notebook.d/20-as-who
echo 'echo never > /tmp/not-executable-ran' > /usr/local/bin/before-notebook.d/30-not-executable
cat > /usr/local/bin/before-notebook.d/40-late.sh <<'EOF'
export FROM_BEFORE_HOOK="$(id -u)"
EOF
`;

const SERVER = `#!/bin/sh
echo "ARGS=$*"
echo "ID=$(id)"
echo "PWD=$(pwd)"
echo "HOME=$HOME"
echo "UMASK=$(umask)"
echo "FROM_START_HOOK=\${FROM_START_HOOK-unset} FROM_BEFORE_HOOK=\${FROM_BEFORE_HOOK-unset}"
echo "SECRET_A=\${SECRET_A-unset} KEEP_B=\${KEEP_B-unset} TO_UNSET=\${JUPYTER_ENV_VARS_TO_UNSET-unset}"
echo "XDG_CACHE_HOME=$XDG_CACHE_HOME SHELL=$SHELL JUPYTER_MODE=$JUPYTER_MODE"
echo "HUB_USER=\${JUPYTERHUB_USER-unset} HUB_TOKEN_SET=\${JUPYTERHUB_API_TOKEN:+yes} AWS_KEY=\${AWS_SECRET_ACCESS_KEY-unset} MINIO_SRC=\${MINIO_SECRET_KEY-unset}"
`;

const spec = (more: { jupyter?: string; program?: string; top?: string } = {}) => `profile: jupyter-singleuser
jupyter:
  launcher: [/opt/app/fake-jupyter]
${more.jupyter ?? ""}programs:
  jupyter:
    ready: null
${more.program ?? ""}${more.top ?? ""}`;
const SPEC = spec();

/** Build the image, then run `foyer run` with `env` (NAME=value words) and `after` (inspection) inside the root. */
function scenario(env: string, after = "", as = "", specText = SPEC, imageExtra = "") {
  const app = mkdtempSync(join(tmpdir(), "foyer-ds-"));
  chmodSync(app, 0o755);
  copyFileSync(join(ROOT, "dist/foyer"), join(app, "foyer"));
  writeFileSync(join(app, "fake-jupyter"), SERVER, { mode: 0o755 });
  writeFileSync(join(app, "spec.yaml"), specText);
  // foyer edits the account files itself (the users module's writer): shadow-utils is not even runnable
  const script = `${IMAGE}
${imageExtra}
chmod 000 /usr/sbin/usermod /usr/sbin/useradd /usr/sbin/userdel /usr/sbin/groupadd
rc=0; ${as} env ${env} /opt/app/foyer run --spec /opt/app/spec.yaml > /tmp/run.log 2>&1 || rc=$?
cat /tmp/run.log; echo "RUN_RC=$rc"
echo "PASSWD=$(getent passwd ada jovyan | tr '\\n' ' ')"
${after}`;
  const r = spawnSync("sh", [join(ROOT, "test/e2e/run-in-rootfs.sh"), "bash", "-c", script], { encoding: "utf8", env: { ...process.env, ROOTFS, APP: app }, timeout: 90_000 });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe.skipIf(!haveRootfs && !process.env.CI)("docker-stacks start.sh compatibility (binary in a Debian root)", () => {
  it("the default user: the server runs as jovyan in its home with `lab`; hooks sourced vs executed, before-notebook.d as root, failures skipped", () => {
    const r = scenario("", "cat /tmp/before-hook-uid; ls /tmp/not-executable-ran 2>&1 || true");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("RUN_RC=0");
    expect(r.out).toContain("ARGS=lab");
    expect(r.out).toMatch(/ID=uid=1000\(jovyan\) gid=100\(users\) groups=100\(users\)/);
    expect(r.out).toContain("PWD=/home/jovyan");
    expect(r.out).toContain("HOME=/home/jovyan");
    expect(r.out).toContain("FROM_START_HOOK=yes FROM_BEFORE_HOOK=0");
    expect(r.out).toMatch(/^0$/m); // the executable hook ran as root
    expect(r.out).toMatch(/cannot access '\/tmp\/not-executable-ran'/); // not executable, not .sh: skipped
    expect(r.out).toContain("SHELL=/bin/bash JUPYTER_MODE=singleuser");
    expect(r.out).toContain("PASSWD=jovyan:x:1000:100::/home/jovyan:/bin/bash");
  });

  it("NB_USER renames jovyan, its home copied with owners; the server runs as the new name in the new home", () => {
    const r = scenario("NB_USER=ada", "stat -c 'HOME_STAT=%u:%g %a' /home/ada; stat -c 'BASHRC=%u:%g' /home/ada/.bashrc; cat /home/ada/.bashrc; ls -d /home/ada/work");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("PASSWD=ada:x:1000:100::/home/ada:/bin/bash ");
    expect(r.out).not.toContain("jovyan:x:");
    expect(r.out).toMatch(/ID=uid=1000\(ada\) gid=100\(users\)/);
    expect(r.out).toContain("PWD=/home/ada");
    expect(r.out).toContain("HOME=/home/ada");
    expect(r.out).toContain("XDG_CACHE_HOME=/home/ada/.cache");
    expect(r.out).toContain("HOME_STAT=1000:100 755");
    expect(r.out).toContain("BASHRC=1000:100");
    expect(r.out).toContain("# jovyan's own bashrc");
  });

  it("a start-notebook.d hook exporting NB_USER and NB_UID changes the account setup (start.sh sources it first), running as the starting user", () => {
    const hook = "cat > /usr/local/bin/start-notebook.d/05-user.sh <<'EOF'\nexport NB_USER=ada NB_UID=1234\nid -u > /tmp/start-hook-uid\nEOF\n";
    const r = scenario("", "cat /tmp/start-hook-uid | sed 's/^/START_HOOK_UID=/'", "", SPEC, hook);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("PASSWD=ada:x:1234:100::/home/ada:/bin/bash");
    expect(r.out).toMatch(/ID=uid=1234\(ada\) gid=100\(users\)/);
    expect(r.out).toContain("HOME=/home/ada");
    expect(r.out).toContain("FROM_START_HOOK=yes");
    expect(r.out).toContain("START_HOOK_UID=0");
  });

  it("a working directory under /home/jovyan moves with the home (start.sh's cd)", () => {
    const r = scenario("NB_USER=ada", "", "", spec({ program: "    cwd: /home/jovyan/work\n" }));
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("PWD=/home/ada/work");
  });

  it("NB_UID/NB_GID/NB_GROUP with CHOWN_HOME -R and CHOWN_EXTRA: new ids, the users group kept, the home (not /data's contents) chowned; a second start changes nothing", () => {
    const r = scenario(
      "NB_USER=ada NB_UID=1234 NB_GID=2345 NB_GROUP=lab CHOWN_HOME=yes CHOWN_HOME_OPTS=-R CHOWN_EXTRA=/data GRANT_SUDO=yes CONDA_DIR=/opt/conda NB_UMASK=002 JUPYTER_ENV_VARS_TO_UNSET=SECRET_A SECRET_A=s3cr3t-value KEEP_B=kept",
      `stat -c 'BASHRC=%u:%g' /home/ada/.bashrc; stat -c 'DATA=%u:%g' /data; stat -c 'DATA_INSIDE=%u:%g' /data/inside
       stat -c 'SUDOERS=%a %u' /etc/sudoers.d/added-by-start-script; cat /etc/sudoers.d/added-by-start-script /etc/sudoers.d/path
       getent group lab users | sed 's/^/GROUP=/'
       sha256sum /etc/passwd /etc/group > /tmp/before.sum
       env NB_USER=ada NB_UID=1234 NB_GID=2345 NB_GROUP=lab CHOWN_HOME=yes CHOWN_EXTRA=/data GRANT_SUDO=yes CONDA_DIR=/opt/conda /opt/app/foyer init --spec /opt/app/spec.yaml 2>&1 | tail -1
       sha256sum -c /tmp/before.sum`,
    );
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("PASSWD=ada:x:1234:2345::/home/ada:/bin/bash");
    expect(r.out).toMatch(/ID=uid=1234\(ada\) gid=2345\(lab\) groups=2345\(lab\),100\(users\)/);
    expect(r.out).toContain("BASHRC=1234:2345");
    expect(r.out).toContain("DATA=1234:2345");
    expect(r.out).toContain("DATA_INSIDE=0:0");
    expect(r.out).toContain("SUDOERS=440 0");
    expect(r.out).toContain("ada ALL=(ALL) NOPASSWD:ALL");
    expect(r.out).toContain('Defaults secure_path="/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"');
    expect(r.out).toContain("GROUP=lab:x:2345:");
    expect(r.out).toMatch(/GROUP=users:x:100:ada/);
    expect(r.out).toContain("UMASK=0002");
    expect(r.out).toContain("SECRET_A=unset KEEP_B=kept TO_UNSET=unset");
    expect(r.out).toContain("nothing to change");
    expect(r.out).toContain("/etc/passwd: OK");
    expect(r.out).toContain("/etc/group: OK");
  });

  it("NB_USER=root NB_UID=0 NB_GID=0: root's home is /home/root in passwd (start.sh's sed), a copy of jovyan's home, the server as root there; a second start changes nothing", () => {
    const r = scenario(
      "NB_USER=root NB_UID=0 NB_GID=0",
      `echo "ROOTPW=$(getent passwd root)"; stat -c 'BASHRC=%u:%g' /home/root/.bashrc; su -s /bin/sh -c 'echo LOGIN_HOME=$HOME' - root
       sha256sum /etc/passwd /etc/shadow > /tmp/before.sum
       env NB_USER=root NB_UID=0 NB_GID=0 /opt/app/foyer init --spec /opt/app/spec.yaml 2>&1 | tail -1
       sha256sum -c /tmp/before.sum`,
      "",
      spec({ program: "    cwd: /home/jovyan/work\n" }),
    );
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("ROOTPW=root:x:0:0:root:/home/root:/bin/bash");
    expect(r.out).toContain("LOGIN_HOME=/home/root");
    expect(r.out).toMatch(/ID=uid=0\(root\) gid=0\(root\)/);
    expect(r.out).toContain("HOME=/home/root");
    expect(r.out).toContain("PWD=/home/root/work");
    expect(r.out).toContain("BASHRC=0:0"); // cp --no-preserve=ownership
    expect(r.out).toContain("PASSWD=jovyan:x:1000:100::/home/jovyan:/bin/bash");
    expect(r.out).toContain("nothing to change");
    expect(r.out).toContain("/etc/passwd: OK");
  });

  it("the home copy fails (a full disk): start.sh's fallback `ln -s /home/jovyan /home/ada` lands inside the directory its mkdir made; the server still starts as ada", () => {
    // /home on a 2 MB tmpfs holding jovyan's home with a 1.2 MB file: the copy runs out of space
    const full = `cp -a /home/jovyan /tmp/jovyan-home && mount -t tmpfs -o size=2m,mode=755 tmpfs /home && cp -a /tmp/jovyan-home /home/jovyan
head -c 1200000 /dev/zero > /home/jovyan/big && chown 1000:100 /home/jovyan/big`;
    const r = scenario("NB_USER=ada", `echo "LINK=$(readlink /home/ada/jovyan)"; stat -c 'HOMEDIR=%F' /home/ada`, "", SPEC, full);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("RUN_RC=0");
    expect(r.out).toMatch(/cp.*No space left on device/);
    expect(r.out).toMatch(/command "cp" as 0:0 failed: exit code 1; linked \/home\/ada\/jovyan → \/home\/jovyan instead/);
    expect(r.out).toContain("LINK=/home/jovyan");
    expect(r.out).toContain("HOMEDIR=directory");
    expect(r.out).toMatch(/ID=uid=1000\(ada\)/);
    expect(r.out).toContain("HOME=/home/ada");
  });

  it("DOCKER_STACKS_JUPYTER_CMD and NOTEBOOK_ARGS (shell words)", () => {
    const r = scenario(`DOCKER_STACKS_JUPYTER_CMD=server "NOTEBOOK_ARGS=--ServerApp.base_url='/user/a b/' --debug"`);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("ARGS=server --ServerApp.base_url=/user/a b/ --debug");
  });

  it("started as jovyan (not root): no account changes, start.sh's warnings, the server and before-notebook.d as jovyan", () => {
    const r = scenario("NB_USER=ada NB_UID=1234 GRANT_SUDO=yes", "cat /tmp/before-hook-uid", "setpriv --reuid=1000 --regid=100 --init-groups");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("RUN_RC=0");
    expect(r.out).toMatch(/warn .*sudo access is not available when the container is not started as root \(GRANT_SUDO\)/);
    expect(r.out).toMatch(/warn .*NB_USER=ada cannot be applied when not running as root/);
    expect(r.out).toMatch(/warn .*NB_UID=1234 cannot be applied/);
    expect(r.out).toMatch(/ID=uid=1000\(jovyan\) gid=100\(users\)/);
    expect(r.out).toContain("FROM_BEFORE_HOOK=1000");
    expect(r.out).toMatch(/^1000$/m);
    expect(r.out).toContain("PASSWD=jovyan:x:1000:100::/home/jovyan:/bin/bash");
  });

  it("an arbitrary uid with gid 0 (OpenShift) and users.rootless: foyer run gives it a passwd entry first, as start.sh does; the server runs as it", () => {
    const r = scenario("", "", "setpriv --reuid=1000770000 --regid=0 --clear-groups", spec({ top: "users:\n  rootless: { name: jovyan }\n" }), "chmod g+w /etc/passwd");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("RUN_RC=0");
    expect(r.out).toMatch(/gave uid 1000770000 a passwd entry: jovyan:x:1000770000:0::\/home\/jovyan:\/bin\/bash \(the image's jovyan entry is now nayvoj\)/);
    expect(r.out).toMatch(/ID=uid=1000770000\(jovyan\) gid=0\(root\)/);
    expect(r.out).toContain("PASSWD=jovyan:x:1000770000:0::/home/jovyan:/bin/bash");
    expect(r.out).not.toContain("has no passwd entry");
  });

  it("JupyterHub single-user: jupyterhub-singleuser with NOTEBOOK_ARGS, JUPYTERHUB_* passed, the MinIO key only by name, the cookie secret in a 0600 file of the user, no secret in the log", () => {
    const hub = spec({
      jupyter: "  singleuser: [/opt/app/fake-jupyter, singleuser]\n",
      program: "    secrets: { AWS_SECRET_ACCESS_KEY: minio }\n",
      top: `secrets:
  minio: { env: MINIO_SECRET_KEY }
  cookie: { env: HUB_COOKIE_SECRET }
files:
  - { path: /home/ada/.jupyterhub_cookie_secret, template: "{{secret 'cookie'}}", owner: ada, mode: "0600" }
`,
    });
    const r = scenario(
      "NB_USER=ada JUPYTERHUB_API_TOKEN=hub-token-123456 JUPYTERHUB_USER=ada NOTEBOOK_ARGS=--debug MINIO_SECRET_KEY=minio-s3cr3t-key HUB_COOKIE_SECRET=c00kie-s3cr3t-value",
      "stat -c 'COOKIE=%U %a' /home/ada/.jupyterhub_cookie_secret; cat /home/ada/.jupyterhub_cookie_secret; echo",
      "",
      hub,
    );
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain("ARGS=singleuser --debug");
    // the server had the key (foyer masks it in the server's output), and not its source variable
    expect(r.out).toContain("HUB_USER=ada HUB_TOKEN_SET=yes AWS_KEY=<secret:minio> MINIO_SRC=unset");
    expect(r.out).toContain("COOKIE=ada 600");
    expect(r.out).toMatch(/^c00kie-s3cr3t-value$/m);
    const log = r.out.slice(0, r.out.indexOf("RUN_RC="));
    expect(log).not.toContain("minio-s3cr3t-key");
    expect(log).not.toContain("c00kie-s3cr3t-value");
  });

  it("neither jovyan nor NB_USER: exit 78 before anything is written, naming NB_USER", () => {
    const app = mkdtempSync(join(tmpdir(), "foyer-ds-"));
    chmodSync(app, 0o755);
    copyFileSync(join(ROOT, "dist/foyer"), join(app, "foyer"));
    writeFileSync(join(app, "spec.yaml"), SPEC);
    const bad = spawnSync("sh", [join(ROOT, "test/e2e/run-in-rootfs.sh"), "sh", "-c", "env NB_USER=ada /opt/app/foyer run --spec /opt/app/spec.yaml; echo RUN_RC=$?; ls /home"], {
      encoding: "utf8",
      env: { ...process.env, ROOTFS, APP: app },
      timeout: 60_000,
    });
    const out = bad.stdout + bad.stderr;
    expect(out).toContain("RUN_RC=78");
    expect(out).toContain("NB_USER");
    expect(out).toContain('there is no "jovyan" to rename');
    expect(out).not.toMatch(/^ada$/m);
  });
});
