// `foyer spcs-spec`: a Posit chart (rstudio-workbench, rstudio-connect, rstudio-pm) or Zero to
// JupyterHub values file, plus its `spcs:` block → the SPCS service specification that runs the same
// image with foyer as the container command, the foyer spec that goes with it, and the CREATE SERVICE
// statement around it. Pure: values in, data out; src/cli/cmd-spcs-spec.ts writes it.
//
// Rules that shape the mapping (DESIGN.md, SPCS facts): secrets only by reference (snowflakeSecret,
// never a literal: a literal licence key or password in the values is an issue, not copied);
// public endpoints are HTTP; SPCS gives 30 s after SIGTERM; no init containers (foyer's init phase
// runs in the entrypoint) and no Kubernetes objects (their keys are reported as dropped).
import { parse as parseYaml } from "yaml";
import type { ConfigIssue } from "../../errors.js";
import { CHARTS, type Chart, type ChartFacts } from "./charts.js";
import { droppedKeys } from "./dropped.js";
import { get, isObj, isSet, type Obj } from "./values.js";
import { parseDuration } from "../../spec/duration.js";
import { PROFILES } from "../../spec/profiles.js";
import { checkServiceSpec, SECRET_LOOKING_ENV, type SecretType } from "./rules.js";
import { SpcsBlockSchema, type SpcsBlock, type SpcsSecret, type SpcsStorage } from "./spcs-block.js";
import { mapJupyterhub } from "./jupyterhub.js";
import { mapPositChart } from "./posit.js";
import { createServiceSql, externalHosts } from "./sql.js";

/** SPCS sends KILL this long after TERM. */
export const SPCS_STOP_WINDOW_MS = 30_000;
/** foyer's own shutdown deadline inside that window (room for the last KILL and exit). */
export const SPCS_SHUTDOWN_DEADLINE = "25s";


/** A values key SPCS has no field for: reported, never copied. */
export interface Dropped {
  path: string;
  reason: string;
}

export type { Chart };

export interface SpcsResult {
  serviceSpec: Record<string, unknown>;
  foyerSpec: Record<string, unknown>;
  createServiceSql: string;
  dropped: Dropped[];
  /** things that will work differently than under Helm (printed, exit 0) */
  warnings: ConfigIssue[];
  /** values that cannot be mapped (exit 78, nothing written) */
  issues: ConfigIssue[];
  /** foyer.yaml carries literal secret config files (config.secret…): written 0600, not 0644 */
  foyerSpecHoldsSecrets: boolean;
}

/** The whole mapping. `issues` non-empty means nothing should be written. */
export function generateSpcs(values: unknown): SpcsResult {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const dropped: Dropped[] = [];
  const empty = (): SpcsResult => ({ serviceSpec: {}, foyerSpec: {}, createServiceSql: "", dropped, warnings, issues, foyerSpecHoldsSecrets: false });
  if (!isObj(values)) {
    issues.push({ path: "(values)", message: "the values file is not a YAML map" });
    return empty();
  }
  const parsed = SpcsBlockSchema.safeParse(values.spcs ?? undefined);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push({ path: ["spcs", ...i.path.map(String)].join("."), message: values.spcs === undefined ? "the values file needs an `spcs:` block (imageRepository, service…)" : i.message });
    return empty();
  }
  const spcs = parsed.data;
  const chart = spcs.chart ?? guessChart(values);
  if (!chart) {
    issues.push({ path: "spcs.chart", message: "cannot tell which chart these values are for from image.repository: set spcs.chart (workbench, connect, package-manager, jupyterhub)" });
    return empty();
  }
  const facts = CHARTS[chart];
  const g = new Generation(values, spcs, chart, facts, issues, warnings, dropped);
  return g.run();
}

function guessChart(values: Obj): Chart | undefined {
  if (isObj(values.hub) || isObj(values.singleuser)) return "jupyterhub";
  const repo = String(get(values, "image.repository") ?? "");
  if (/workbench|rstudio-server/.test(repo)) return "workbench";
  if (/connect/.test(repo)) return "connect";
  if (/package-manager|rstudio-pm/.test(repo)) return "package-manager";
  return undefined;
}

/** One run of the mapping: accumulates the pieces, then assembles and checks them. */
export class Generation {
  env: Record<string, string> = {};
  secrets: Obj[] = [];
  volumes: Obj[] = [];
  mounts: Obj[] = [];
  foyerSecrets: Record<string, Obj> = {};
  programSecrets: Record<string, string> = {};
  resources: Obj | undefined;
  readiness: Obj | undefined;
  port: number;
  sqliteVolumes = new Set<string>();
  literalSecretFiles = false;

  constructor(
    readonly values: Obj,
    readonly spcs: SpcsBlock,
    readonly chart: Chart,
    readonly facts: ChartFacts,
    readonly issues: ConfigIssue[],
    readonly warnings: ConfigIssue[],
    readonly dropped: Dropped[],
  ) {
    this.port = facts.port;
  }

  run(): SpcsResult {
    const image = this.image();
    this.dropped.push(...droppedKeys(this.values, this.chart));
    if (this.chart === "jupyterhub") mapJupyterhub(this);
    else mapPositChart(this);
    this.checkUnusedSecrets();
    const serviceName = this.spcs.service;
    const container: Obj = {
      name: this.facts.container,
      image,
      command: [this.spcs.foyer.binary, "run", "--spec", this.spcs.foyer.spec],
      ...(Object.keys(this.env).length ? { env: this.env } : {}),
      ...(this.readiness ? { readinessProbe: this.readiness } : {}),
      ...(this.mounts.length ? { volumeMounts: this.mounts } : {}),
      ...(this.resources ? { resources: this.resources } : {}),
      ...(this.secrets.length ? { secrets: this.secrets } : {}),
    };
    const spec: Obj = {
      containers: [container],
      endpoints: [{ name: this.facts.container, port: this.port, public: this.spcs.endpoint.public, protocol: "HTTP" }],
      ...(this.volumes.length ? { volumes: this.volumes } : {}),
      ...(this.spcs.logLevel ? { logExporters: { eventTableConfig: { logLevel: this.spcs.logLevel } } } : {}),
    };
    const serviceSpec = { spec };
    const instances = this.instances();
    const secretTypes = Object.fromEntries(Object.values(this.spcs.secrets).map((s) => [s.objectName.toLowerCase(), s.type as SecretType]));
    // a safety net for the mapping itself: values already reported would only be reported twice
    if (this.issues.length === 0)
      for (const i of checkServiceSpec(serviceSpec, { secretTypes, instances: { min: instances, max: instances } }))
        this.issues.push({ path: `(generated) ${i.path}`, message: i.message });
    const foyerSpec = this.foyerSpec();
    this.checkStopGrace(foyerSpec);
    const hosts = externalHosts(this.values, this.env);
    const sql = createServiceSql({ service: serviceName, computePool: this.spcs.computePool ?? `${serviceName.replace(/-/g, "_")}_pool`, spec: serviceSpec, instances, egress: hosts });
    if (hosts.length) this.warnings.push({ path: "(network)", message: `the config reaches outside Snowflake (${hosts.join(", ")}): create-service.sql creates a network rule and an external access integration for them` });
    return { serviceSpec, foyerSpec, createServiceSql: sql, dropped: this.dropped, warnings: this.warnings, issues: this.issues, foyerSpecHoldsSecrets: this.literalSecretFiles };
  }

  image(): string {
    const jupyter = this.chart === "jupyterhub";
    const base = jupyter ? (isObj(get(this.values, "singleuser.image")) ? "singleuser.image" : "hub.image") : "image";
    const repo = get(this.values, `${base}.${jupyter ? "name" : "repository"}`);
    const tag = get(this.values, `${base}.tag`);
    if (typeof repo !== "string" || repo === "") {
      this.issues.push({ path: `${base}.${jupyter ? "name" : "repository"}`, message: "the image to run is not set" });
      return "";
    }
    if (typeof tag !== "string" && typeof tag !== "number") {
      this.issues.push({ path: `${base}.tag`, message: "the image tag is not set (the chart's appVersion is not known here): set it, and push that image to the SPCS image repository" });
      return "";
    }
    const name = repo.replace(/^.*\//, "");
    return `${this.spcs.imageRepository.replace(/\/$/, "")}/${name}:${String(tag)}`;
  }

  // --- shared pieces ---

  used = new Set<string>();

  /**
   * One Snowflake secret into one env var, and the foyer secret that reads it. `forMain`: only the
   * main program is given it (foyer keeps a secret's source variable from every program unless it
   * asks by name); a licence is read by foyer's licence layer itself.
   */
  secretEnv(foyerName: string, s: SpcsSecret, key: string, envVar: string, path: string, forMain: boolean, k8sName = foyerName): void {
    const allowed: readonly string[] = { generic_string: ["secret_string"], password: ["username", "password"], oauth2: ["access_token"] }[s.type];
    const ref = s.keys[key] ?? (allowed.includes(key) ? key : s.type === "generic_string" ? "secret_string" : s.type === "oauth2" ? "access_token" : undefined);
    if (!ref || !allowed.includes(ref)) {
      this.issues.push({ path: `spcs.secrets.${k8sName}.keys`, message: `the Kubernetes key ${JSON.stringify(key)} (${path}) has no place in a ${s.type} secret: map it to ${allowed.join(" or ")}` });
      return;
    }
    this.used.add(k8sName);
    this.secrets.push({ snowflakeSecret: { objectName: s.objectName }, secretKeyRef: ref, envVarName: envVar });
    if (forMain) {
      this.foyerSecrets[foyerName] = { env: envVar };
      this.programSecrets[envVar] = foyerName;
    }
  }

  /** `pod.env` / `extraEnv`: a list of {name, value | valueFrom} or a map of NAME: value | {valueFrom}. */
  podEnv(env: unknown, path: string): void {
    if (env === undefined || env === null) return;
    const entries: Array<[string, unknown, string]> = [];
    if (Array.isArray(env)) env.forEach((e, i) => entries.push([isObj(e) ? String(e.name ?? "") : "", isObj(e) ? (e.valueFrom !== undefined ? { valueFrom: e.valueFrom } : e.value) : e, `${path}[${i}]`]));
    else if (isObj(env)) for (const [k, val] of Object.entries(env)) entries.push([isObj(val) && typeof val.name === "string" ? val.name : k, isObj(val) && "value" in val ? val.value : val, `${path}.${k}`]);
    else return void this.issues.push({ path, message: "must be a list of {name, value} or a map of NAME: value" });
    for (const [name, val, p] of entries) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        this.issues.push({ path: p, message: `${JSON.stringify(name)} is not an environment variable name` });
        continue;
      }
      if (isObj(val) && val.valueFrom !== undefined) {
        const ref = get(val, "valueFrom.secretKeyRef");
        if (!isObj(ref)) {
          this.issues.push({ path: `${p}.valueFrom`, message: "only valueFrom.secretKeyRef can be mapped (SPCS has no ConfigMaps or downward API)" });
          continue;
        }
        const k8s = String(ref.name ?? "");
        const s = this.spcs.secrets[k8s];
        if (!s) {
          this.issues.push({ path: `${p}.valueFrom.secretKeyRef.name`, message: `the Kubernetes Secret ${JSON.stringify(k8s)} has no Snowflake secret: add spcs.secrets.${k8s}.objectName` });
          continue;
        }
        this.secretEnv(name.toLowerCase().replace(/_/g, "-"), s, String(ref.key ?? ""), name, p, true, k8s);
      } else if (val === null || isObj(val) || Array.isArray(val)) {
        this.issues.push({ path: p, message: "an env value is a string (or valueFrom.secretKeyRef)" });
      } else {
        const licenceVar = this.facts.licence && [...this.facts.licence.key, ...this.facts.licence.filePath.map((v) => v.replace(/_PATH$/, ""))].includes(name);
        if (licenceVar) this.issues.push({ path: p, message: `a literal ${name} is never copied into a spec: store the key in a Snowflake secret and name it in spcs.secrets.license` });
        else if (SECRET_LOOKING_ENV.test(name)) this.warnings.push({ path: p, message: `${name} looks like a secret but is a literal value: it will be readable in the service specification (use valueFrom.secretKeyRef and spcs.secrets)` });
        this.env[name] = String(val);
      }
    }
  }

  /** A chart storage key → an SPCS volume and its mount, from spcs.storage.<key> (default: block). */
  volume(key: string, name: string, mountPath: string, chartSize: unknown, holdsSqlite: boolean): void {
    const s: SpcsStorage = this.spcs.storage[key] ?? { source: "block" };
    const place = this.spcs.storage[key] ? `spcs.storage.${key}` : key;
    const vol: Obj = { name, source: s.source };
    if (s.source === "block" || s.source === "memory") {
      const size = s.size ?? (chartSize === undefined ? undefined : String(chartSize));
      if (size === undefined) this.issues.push({ path: `spcs.storage.${key}.size`, message: `a ${s.source} volume needs a size` });
      else vol.size = size;
      if (s.source === "block" && size !== undefined && !/^[1-9][0-9]*Gi$/.test(size))
        this.issues.push({ path: s.size ? `spcs.storage.${key}.size` : `${key}`, message: `${JSON.stringify(size)}: a block volume's size is a whole number of Gi (set spcs.storage.${key}.size, e.g. 10Gi)` });
    }
    if (s.source === "stage") {
      if (!s.stage) this.issues.push({ path: `spcs.storage.${key}.stage`, message: 'a stage volume needs the stage ("@STAGE")' });
      else vol.stageConfig = { name: s.stage };
      if (holdsSqlite) this.issues.push({ path: `spcs.storage.${key}.source`, message: "this volume holds a SQLite database and stage volumes do not support random writes: use block" });
    }
    if ((s.source === "local" || s.source === "memory") && (holdsSqlite || key === "homeStorage" || key === "singleuser.storage"))
      this.warnings.push({ path: place, message: `a ${s.source} volume is lost when the service restarts` });
    if (s.size && s.source !== "block" && s.source !== "memory") this.issues.push({ path: `spcs.storage.${key}.size`, message: `a ${s.source} volume takes no size` });
    if (holdsSqlite) this.sqliteVolumes.add(name);
    this.volumes.push(vol);
    this.mounts.push({ name, mountPath });
  }

  checkUnusedSecrets(): void {
    for (const name of Object.keys(this.spcs.secrets))
      if (!this.used.has(name)) this.warnings.push({ path: `spcs.secrets.${name}`, message: "no value refers to this secret (pod.env / extraEnv valueFrom.secretKeyRef, license.*, hub.existingSecret)" });
  }

  instances(): number {
    const replicas = this.values.replicas;
    const n = this.spcs.instances ?? (Number.isInteger(replicas) ? (replicas as number) : 1);
    if (n > 1 && this.sqliteVolumes.size) this.issues.push({ path: this.spcs.instances ? "spcs.instances" : "replicas", message: `${n} instances: each gets its own block volume, so the SQLite database is not shared; use 1 or an external database` });
    return n;
  }

  foyerSpec(): Obj {
    const spec: Obj = { profile: this.facts.profile };
    if (Object.keys(this.foyerSecrets).length) spec.secrets = this.foyerSecrets;
    const config = this.values.config;
    if (this.chart !== "jupyterhub" && isObj(config)) spec.config = config;
    // the secrets the values gave the container as env: foyer gives them to the main program by name
    if (Object.keys(this.programSecrets).length) spec.programs = { [this.facts.mainProgram]: { secrets: this.programSecrets } };
    spec.shutdown = { deadline: SPCS_SHUTDOWN_DEADLINE };
    return spec;
  }

  /** SPCS KILLs 30 s after TERM: warn for each program whose stop grace cannot fit. */
  checkStopGrace(foyerSpec: Obj): void {
    const preset = parseYaml(PROFILES[this.facts.profile] ?? "") as Obj;
    const graces: Array<[string, number]> = [];
    for (const [name, p] of Object.entries(isObj(preset.programs) ? preset.programs : {})) {
      const g = parseDuration(get(p, "stop.grace") as string);
      if (g !== undefined) graces.push([name, g]);
    }
    if (this.facts.licence && (isSet(get(this.values, "license.key")) || isSet(get(this.values, "license.server")) || this.spcs.secrets.license)) graces.push(["license", 120_000]);
    const deadline = parseDuration(String(get(foyerSpec, "shutdown.deadline")))!;
    for (const [name, g] of graces)
      if (g > deadline)
        this.warnings.push({
          path: `foyer.yaml programs.${name}.stop.grace`,
          message: `${g / 1000}s${name === "license" ? " (licence deactivation)" : ""} cannot fit: SPCS sends KILL 30 s after SIGTERM, and foyer's shutdown.deadline is ${SPCS_SHUTDOWN_DEADLINE}`,
        });
  }
}

