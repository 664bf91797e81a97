// The Posit charts' values (rstudio-workbench, rstudio-connect, rstudio-pm) → the pieces of the
// SPCS service: port, licence, env and secrets, resources, readiness probe, storage.
import { defaultProbePath, defaultStoragePath, literalSecrets, volumeName } from "./charts.js";
import { SPCS_SHUTDOWN_DEADLINE, SPCS_STOP_WINDOW_MS, type Generation } from "./generate.js";
import { get, isObj, isSet, type Obj } from "./values.js";
// --- Posit charts ---

export function mapPositChart(g: Generation): void {
  const v = g.values;
  const pod = isObj(v.pod) ? v.pod : {};
  if (pod.port !== undefined) {
    if (!Number.isInteger(pod.port)) g.issues.push({ path: "pod.port", message: `${JSON.stringify(pod.port)} is not a port number` });
    else g.port = pod.port as number;
  }
  licence(g);
  g.podEnv(pod.env, "pod.env");
  positResources(g);
  positReadiness(g);
  const storageKeys = g.chart === "workbench" ? ["homeStorage", "sharedStorage"] : ["sharedStorage"];
  for (const key of storageKeys) {
    const s = v[key];
    if (!isObj(s) || !(s.mount === true || s.create === true)) continue;
    const sqlite = g.chart !== "workbench" && !/postgres/i.test(String(get(v, "config.Database.Provider") ?? "sqlite"));
    g.volume(key, volumeName(key), String(s.path ?? defaultStoragePath(g.chart, key)), get(s, "requests.storage"), sqlite);
  }
  if (g.chart === "workbench") workbenchLauncher(g);
  for (const section of ["secret", "sessionSecret"]) {
    const files = get(v, `config.${section}`);
    if (!isObj(files)) continue;
    for (const [name, body] of Object.entries(files))
      if (isSet(body) && !JSON.stringify(body).includes("{{secret")) {
        g.literalSecretFiles = true;
        g.warnings.push({ path: `config.${section}.${name}`, message: "holds literal values: they will be in foyer.yaml (in the image or on a stage); write {{secret 'name'}} with a secret from pod.env valueFrom.secretKeyRef instead (foyer.yaml is written 0600)" });
      }
  }
  for (const [path, message] of literalSecrets(v))
    g.issues.push({ path, message });
  for (const path of ["config.existingSecrets", "config.database.conf.existingSecret"]) {
    if (isSet(get(v, path)))
      g.issues.push({ path, message: "a Kubernetes Secret projected into the config dir cannot be mapped: SPCS mounts a secret as <directoryPath>/secret_string. Put the value in a Snowflake secret named in spcs.secrets, pass it with pod.env valueFrom.secretKeyRef, and use {{secret}} in the config" });
  }
  const graceSeconds = pod.terminationGracePeriodSeconds;
  if (typeof graceSeconds === "number" && graceSeconds * 1000 > SPCS_STOP_WINDOW_MS)
    g.warnings.push({ path: "pod.terminationGracePeriodSeconds", message: `${graceSeconds}s cannot be honoured: SPCS sends KILL 30 s after SIGTERM (foyer.yaml sets shutdown.deadline: ${SPCS_SHUTDOWN_DEADLINE})` });
  const replicas = v.replicas;
  if (replicas !== undefined && !(Number.isInteger(replicas) && (replicas as number) >= 1)) g.issues.push({ path: "replicas", message: `${JSON.stringify(replicas)} is not a number of instances` });
}

function licence(g: Generation): void {
  const def = g.facts.licence;
  if (!def) return;
  const licValue = get(g.values, "license");
  const lic: Obj = isObj(licValue) ? licValue : {};
  // the charts' names (RSW_/RSC_/RSPM_); foyer's licence layer reads them and their successors
  const keyVar = def.key[1]!;
  if (isSet(lic.key)) {
    const s = g.spcs.secrets.license;
    if (!s) g.issues.push({ path: "license.key", message: "a literal licence key is never copied into a spec: store it in a Snowflake secret (TYPE = GENERIC_STRING) and name it in spcs.secrets.license.objectName" });
    else g.secretEnv("license", s, "secret_string", keyVar, "license.key", false);
  } else if (g.spcs.secrets.license) {
    g.secretEnv("license", g.spcs.secrets.license, "secret_string", keyVar, "spcs.secrets.license", false);
  }
  if (isSet(lic.server)) {
    if (typeof lic.server !== "string") g.issues.push({ path: "license.server", message: "the licence server is host:port" });
    else g.env[def.server[1]!] = lic.server;
  }
  const file = isObj(lic.file) ? lic.file : {};
  if (isSet(file.contents))
    g.issues.push({ path: "license.file.contents", message: "an inline licence file is never copied into a spec: store it in a Snowflake secret (GENERIC_STRING) and set license.file.secret to a name in spcs.secrets" });
  if (isSet(file.secret)) {
    const name = String(file.secret);
    const s = g.spcs.secrets[name];
    if (!s) g.issues.push({ path: "license.file.secret", message: `no spcs.secrets.${name}: name the Snowflake secret holding the licence file` });
    else {
      if (s.type !== "generic_string") g.issues.push({ path: `spcs.secrets.${name}.type`, message: "a licence file is one string: a generic_string secret" });
      const dir = String(file.mountPath ?? "/etc/rstudio-licensing");
      g.used.add(name);
      g.secrets.push({ snowflakeSecret: { objectName: s.objectName }, directoryPath: dir });
      // SPCS writes a generic_string secret mounted as a directory to <dir>/secret_string
      g.env[def.filePath[1]!] = `${dir}/secret_string`;
    }
  }
}

function positResources(g: Generation): void {
  const r = get(g.values, "resources");
  if (!isObj(r)) return;
  const out: Obj = {};
  for (const kind of ["requests", "limits"] as const) {
    const amounts = r[kind];
    if (!isObj(amounts) || amounts.enabled === false) continue;
    const picked: Obj = {};
    for (const k of ["memory", "cpu", "nvidia.com/gpu"]) if (amounts[k] !== undefined) picked[k] = k === "nvidia.com/gpu" ? amounts[k] : String(amounts[k]);
    if (Object.keys(picked).length) out[kind] = picked;
  }
  if (Object.keys(out).length) g.resources = out;
}

function positReadiness(g: Generation): void {
  const probe = get(g.values, "readinessProbe");
  if (probe === undefined) {
    g.readiness = { port: g.port, path: defaultProbePath(g.chart) };
    return;
  }
  if (!isObj(probe) || probe.enabled === false) return;
  const http = probe.httpGet;
  if (!isObj(http)) {
    g.dropped.push({ path: "readinessProbe", reason: "SPCS's readiness probe is an HTTP GET only (port and path): foyer's own readiness gates the programs" });
    return;
  }
  const port = http.port ?? g.port;
  if (!Number.isInteger(port)) {
    g.issues.push({ path: "readinessProbe.httpGet.port", message: `${JSON.stringify(port)}: SPCS probes a port number, not a named port` });
    return;
  }
  g.readiness = { port, path: String(http.path ?? "/") };
  for (const k of ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"])
    if (probe[k] !== undefined) g.dropped.push({ path: `readinessProbe.${k}`, reason: "SPCS's readiness probe has no timing fields" });
}

function workbenchLauncher(g: Generation): void {
  if (get(g.values, "launcher.enabled") === false) {
    // the images' switch: the launcher is not started and rserver does not wait for it
    g.env.RSW_LAUNCHER = "false";
    return;
  }
  const server = get(g.values, "config.server");
  const conf = isObj(server) ? server["launcher.conf"] : undefined;
  // the preset is the chart's config: a Kubernetes cluster unless the values say otherwise
  const clusterType = isObj(conf) && isObj(conf.cluster) && conf.cluster.type !== undefined ? conf.cluster.type : "Kubernetes";
  if (clusterType === "Kubernetes")
    g.warnings.push({ path: "launcher.enabled", message: "the Job Launcher's Kubernetes cluster (the chart's default) has no Kubernetes API in SPCS: set config.server.launcher.conf.cluster.type: Local, or launcher.enabled: false" });
}

