// images/k8s/*: the Kubernetes examples read statically (no cluster here) for what foyer relies on
// — probes on foyer's health server, the pod IP handed to health.listen, secrets as volumes only,
// the spec from a ConfigMap at /etc/foyer — and then each foyer container's part done for real in
// the testkit's Debian root, on its image's layout (images/<name>/Dockerfile): the ConfigMap's spec
// and the Secret laid out as the kubelet lays them (..data symlinks), the env as the kubelet expands
// it ($(POD_IP) = an address of this machine), and the container's foyer command run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { asImageRuns, layoutScript, makeBuildContext, parseDockerfile } from "./dockerfile.js";

const ROOT = join(__dirname, "../..");
const ROOTFS = process.env.ROOTFS ?? "/tmp/foyer-testkit/rootfs";
const haveRootfs = existsSync(join(ROOTFS, "bin/sh"));
const FOYER = "/usr/local/bin/foyer";
const SECRET_VALUE = `k8s-"secret'\\value-5c1d`; // quotes and a backslash, as real passwords have

interface EnvVar { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }
interface Mount { name: string; mountPath: string }
interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  volumeMounts?: Mount[];
}
interface PodSpec {
  terminationGracePeriodSeconds?: number;
  initContainers?: Container[];
  containers: Container[];
  volumes: { name: string; configMap?: { name: string }; secret?: { secretName: string; defaultMode?: number } }[];
}

interface ManifestDoc {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { template: { spec: PodSpec } };
}

// YAML 1.1, as kubectl reads manifests (sigs.k8s.io/yaml): `defaultMode: 0400` is octal
function load(file: string) {
  const docs = parseAllDocuments(readFileSync(join(ROOT, "images/k8s", file), "utf8"), { version: "1.1" }).map((d) => d.toJS() as ManifestDoc);
  const configMaps = new Map(docs.filter((d) => d.kind === "ConfigMap").map((d) => [d.metadata.name, d.data ?? {}]));
  const deploy = docs.find((d) => d.kind === "Deployment");
  if (!deploy) throw new Error(`${file}: no Deployment`);
  const pod = deploy.spec?.template.spec;
  if (!pod) throw new Error(`${file}: the Deployment has no pod template`);
  return { pod, configMaps };
}

/** The containers that run foyer: the image's ENTRYPOINT (no command) or an explicit foyer command. */
function foyerContainers(pod: PodSpec) {
  return [...(pod.initContainers ?? []), ...pod.containers].filter((c) => c.command === undefined || c.command[0] === FOYER);
}

function imageName(c: Container): string {
  const name = /\/foyer\/([a-z-]+):/.exec(c.image)?.[1];
  if (!name || !existsSync(join(ROOT, "images", name, "Dockerfile"))) throw new Error(`${c.name}: image ${c.image} is not one of images/`);
  return name;
}

/** The foyer spec the container reads: the ConfigMap mounted at /etc/foyer. */
function specOf(c: Container, { pod, configMaps }: ReturnType<typeof load>) {
  const mount = c.volumeMounts?.find((m) => m.mountPath === "/etc/foyer");
  if (!mount) throw new Error(`${c.name}: no ConfigMap at /etc/foyer`);
  const vol = pod.volumes.find((v) => v.name === mount.name);
  const text = configMaps.get(vol?.configMap?.name ?? "")?.["foyer.yaml"];
  if (text === undefined) throw new Error(`${c.name}: volume ${mount.name} is not a ConfigMap with foyer.yaml`);
  return text;
}

/** Every `k8s:` secret source of the spec, and the Secret volume mounted there. */
function k8sSecrets(spec: string, c: Container, pod: PodSpec) {
  const secrets = (parseYaml(spec) as { secrets?: Record<string, { k8s?: string; key?: string }> }).secrets ?? {};
  return Object.entries(secrets)
    .filter(([, s]) => s.k8s !== undefined)
    .map(([name, s]) => {
      const mount = c.volumeMounts?.find((m) => m.mountPath === s.k8s);
      const vol = pod.volumes.find((v) => v.name === mount?.name);
      return { name, dir: s.k8s!, key: s.key ?? name, volume: vol };
    });
}

/** An IPv4 address of this machine that is not loopback: the "pod IP" the kubelet would expand. */
function podIp() {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  throw new Error("no non-loopback IPv4 address on this machine");
}

/** The container's env as the kubelet makes it: fieldRef status.podIP, $(VAR) of earlier entries. */
function expandEnv(c: Container, ip: string) {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef?.fieldPath === "status.podIP") env[e.name] = ip;
    else if (e.value !== undefined) env[e.name] = e.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => env[v] ?? m);
    else throw new Error(`${c.name}: env ${e.name} has a source this test does not lay out`);
  }
  return env;
}

/** Run `command` in the image's layout with the ConfigMap and the Secrets as the kubelet mounts them. */
function inPod(c: Container, manifest: ReturnType<typeof load>, command: string, extraEnv: Record<string, string>, keep?: string) {
  const ins = parseDockerfile(readFileSync(join(ROOT, "images", imageName(c), "Dockerfile"), "utf8"));
  const ctx = makeBuildContext(ins, ROOT, imageName(c));
  const spec = specOf(c, manifest);
  writeFileSync(join(ctx, "configmap-foyer.yaml"), spec);
  writeFileSync(join(ctx, "secret-value"), SECRET_VALUE);
  const mounts = k8sSecrets(spec, c, manifest.pod).flatMap((s) => [
    // the kubelet's atomic-writer layout: a timestamped dir, ..data -> it, each key -> ..data/key
    `mkdir -p ${s.dir}/..2026_11_30_00_00_00.1 && cp /opt/app/secret-value ${s.dir}/..2026_11_30_00_00_00.1/${s.key}`,
    `ln -s ..2026_11_30_00_00_00.1 ${s.dir}/..data && ln -s ..data/${s.key} ${s.dir}/${s.key}`,
  ]);
  const script = ["set -e", ...layoutScript(ins), "cp /opt/app/configmap-foyer.yaml /etc/foyer/foyer.yaml", ...mounts, ...asImageRuns(ins, command, extraEnv)];
  return spawnSync("sh", [join(ROOT, "test/e2e/run-in-rootfs.sh"), "sh", "-c", script.join("\n")], {
    encoding: "utf8",
    env: { ...process.env, ROOTFS, APP: ctx, ...(keep ? { KEEP: keep } : {}) },
    timeout: 60_000,
  });
}

const FILES = readdirSync(join(ROOT, "images/k8s")).filter((f) => f.endsWith(".yaml"));

// the manifests with foyer as a container's entrypoint (it serves the probes there), and with foyer
// as an initContainer
const WITH_ENTRYPOINT = FILES.filter((f) => load(f).pod.containers.some((c) => c.command === undefined));
const WITH_INIT = FILES.filter((f) => (load(f).pod.initContainers ?? []).some((c) => c.command?.[0] === FOYER));

it("has both kinds of example", () => {
  expect(WITH_ENTRYPOINT.length).toBeGreaterThan(0);
  expect(WITH_INIT.length).toBeGreaterThan(0);
});

describe.each(FILES)("images/k8s/%s", (file) => {
  it("gives secrets to foyer as volumes only, and every k8s secret source is a mounted Secret", () => {
    const m = load(file);
    expect(JSON.stringify(m.pod)).not.toMatch(/secretKeyRef|envFrom/);
    const fc = foyerContainers(m.pod);
    expect(fc.length).toBeGreaterThan(0);
    for (const c of fc)
      for (const s of k8sSecrets(specOf(c, m), c, m.pod)) {
        expect(s.volume?.secret, `${c.name}: secret ${s.name} at ${s.dir}`).toBeDefined();
        expect(s.volume!.secret!.defaultMode, "Secret files readable by the owner only").toBe(0o400);
      }
  });

  describe.skipIf(!haveRootfs && !process.env.CI)("in the testkit's Debian root", () => {
    it("each foyer container's command succeeds on its image's layout with the ConfigMap, the Secret and the pod IP", () => {
      const m = load(file);
      const ip = podIp();
      for (const c of foyerContainers(m.pod)) {
        const init = c.command?.[1] === "init";
        const keep = init ? join(mkdtempSync(join(tmpdir(), "foyer-k8s-upper-")), "upper") : undefined;
        const r = inPod(c, m, init ? `${FOYER} init` : `${FOYER} validate`, expandEnv(c, ip), keep);
        const out = r.stdout + r.stderr;
        expect(r.status, `${c.name}: ${out}`).toBe(0);
        expect(out).not.toContain("5c1d"); // the secret never in foyer's output
        if (keep) {
          // what the product container reads from the shared volume: the secret in it, owner-only
          const shared = (c.volumeMounts ?? []).filter((v) => m.pod.containers.some((p) => p.volumeMounts?.some((x) => x.name === v.name)));
          const files = shared.flatMap((v) => readdirSync(join(keep, v.mountPath)).map((f) => join(keep, v.mountPath, f)));
          const withSecret = files.filter((f) => readFileSync(f, "utf8").includes("5c1d"));
          expect(withSecret.length, files.join(", ")).toBeGreaterThan(0);
          for (const f of withSecret) expect(statSync(f).mode & 0o077, f).toBe(0);
        }
      }
    });
  });
});

describe.each(WITH_ENTRYPOINT)("images/k8s/%s, foyer as entrypoint", (file) => {
  it("points the probes of an entrypoint foyer at its health server, listening on the pod IP", () => {
    const { pod } = load(file);
    for (const c of pod.containers.filter((x) => x.command === undefined)) {
      const env = c.env ?? [];
      const ip = env.findIndex((e) => e.name === "POD_IP");
      const listen = env.findIndex((e) => e.name === "FOYER__health__listen");
      expect(env[ip]?.valueFrom?.fieldRef?.fieldPath).toBe("status.podIP");
      expect(env[listen]?.value).toBe("$(POD_IP):4182");
      expect(ip, "POD_IP defined before its use (the kubelet expands only earlier variables)").toBeLessThan(listen);
      const health = c.ports?.find((p) => p.name === "health");
      expect(health?.containerPort).toBe(4182);
      expect(c.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "health" });
      expect(c.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "health" });
      // the longest stop grace of the products' profiles is 120 s (licence deactivation)
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(120);
    }
  });

  describe.skipIf(!haveRootfs && !process.env.CI)("in the testkit's Debian root", () => {
    it("refuses a health address that is not the pod's (the probes would never reach it)", () => {
      const m = load(file);
      const c = m.pod.containers.find((x) => x.command === undefined)!;
      const r = inPod(c, m, `${FOYER} validate`, { ...expandEnv(c, "192.0.2.254"), FOYER__health__listen: "192.0.2.254:4182" });
      expect(r.status, r.stdout + r.stderr).toBe(78);
      expect(r.stderr).toMatch(/cannot listen on 192\.0\.2\.254:4182.*\n.*FOYER__health__listen/);
    });
  });
});

describe.each(WITH_INIT)("images/k8s/%s, foyer as initContainer", (file) => {
  it("runs `foyer init` in an initContainer sharing the rendered config with the product container", () => {
    const { pod } = load(file);
    for (const ic of pod.initContainers ?? []) {
      expect(ic.command).toEqual([FOYER, "init"]);
      const shared = (ic.volumeMounts ?? []).filter((m) => pod.containers.some((c) => c.volumeMounts?.some((x) => x.name === m.name && x.mountPath === m.mountPath)));
      expect(shared.length, `${ic.name} shares a volume with the product container`).toBeGreaterThan(0);
    }
  });
});
