// The rule checker for a Snowpark Container Services service specification: what the SPCS service
// specification reference allows (names, fields per object, secretKeyRef per secret type, volume
// sources and their fields, resource syntax), plus the limits DESIGN.md records (at most 3 block
// volumes, MIN_INSTANCES = MAX_INSTANCES with block volumes, public endpoints HTTP only). Pure: a
// spec object in, issues out, so the generator's output and a hand-written spec are checked alike.
import type { ConfigIssue } from "../../errors.js";

/** Snowflake secret types a service can read, and the keys each one has. */
export const SECRET_KEYS = {
  generic_string: ["secret_string"],
  password: ["username", "password"],
  oauth2: ["access_token"],
} as const;
export type SecretType = keyof typeof SECRET_KEYS;

export const MAX_BLOCK_VOLUMES = 3;
/** Block volume sizes are whole Gi, 1Gi to 16384Gi (AWS/Azure; Google Cloud starts at 4Gi). */
const BLOCK_SIZE = /^([1-9][0-9]*)Gi$/;
const MAX_BLOCK_GI = 16384;
const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MEMORY = /^([0-9]+(\.[0-9]+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/;
const CPU = /^([0-9]+(\.[0-9]+)?|[0-9]+m)$/;

const ALLOWED = {
  top: ["spec", "serviceRoles", "capabilities"],
  spec: ["containers", "endpoints", "volumes", "logExporters", "platformMonitor", "networkPolicyConfig"],
  container: ["name", "image", "command", "args", "env", "readinessProbe", "volumeMounts", "resources", "secrets"],
  readinessProbe: ["port", "path"],
  volumeMount: ["name", "mountPath"],
  resources: ["requests", "limits"],
  resourceAmounts: ["memory", "cpu", "nvidia.com/gpu"],
  secret: ["snowflakeSecret", "envVarName", "directoryPath", "secretKeyRef"],
  snowflakeSecret: ["objectName", "objectReference"],
  endpoint: ["name", "port", "portRange", "public", "protocol", "corsSettings"],
  volume: ["name", "source", "size", "blockConfig", "stageConfig", "uid", "gid"],
  stageConfig: ["name", "medium", "resources"],
  logExporters: ["eventTableConfig"],
  eventTableConfig: ["logLevel"],
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** What the checker needs besides the spec: each secret's type, and the service's instance counts. */
export interface RuleContext {
  secretTypes?: Readonly<Record<string, SecretType>>;
  instances?: { min: number; max: number };
}

/** Every rule the spec breaks, each at its path inside the spec (`spec.volumes[0].size`). */
export function checkServiceSpec(doc: unknown, ctx: RuleContext = {}): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const bad = (path: string, message: string) => issues.push({ path, message });
  const fields = (o: Obj, allowed: readonly string[], path: string) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) bad(`${path}.${k}`, `SPCS has no field ${JSON.stringify(k)} here (allowed: ${allowed.join(", ")})`);
  };
  const name = (v: unknown, path: string) => {
    if (typeof v !== "string" || v.length > 63 || !NAME.test(v))
      bad(path, `${JSON.stringify(v)} is not an SPCS name: up to 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit`);
  };
  const list = (v: unknown, path: string, required = false): Obj[] => {
    if (v === undefined && !required) return [];
    if (!Array.isArray(v) || (required && v.length === 0)) {
      bad(path, required ? "a non-empty list is required" : "must be a list");
      return [];
    }
    return v.map((item, i) => {
      if (!isObj(item)) bad(`${path}[${i}]`, "must be a map");
      return isObj(item) ? item : {};
    });
  };
  const unique = (items: Obj[], path: string, what: string) => {
    const seen = new Set<unknown>();
    items.forEach((it, i) => {
      if (seen.has(it.name)) bad(`${path}[${i}].name`, `two ${what} are named ${JSON.stringify(it.name)}`);
      seen.add(it.name);
    });
  };

  if (!isObj(doc) || !isObj(doc.spec)) {
    bad("spec", "the service specification needs a top-level `spec:` map");
    return issues;
  }
  fields(doc, ALLOWED.top, "(top)");
  // early SPCS specs wrote `container:` and `endpoint:`; Snowflake still runs them (its own
  // spcs-templates use them), so they are read as the plural fields, but never both at once
  const rawSpec = doc.spec;
  const spec: Obj = { ...rawSpec };
  for (const [singular, plural] of [["container", "containers"], ["endpoint", "endpoints"]] as const) {
    if (!(singular in spec)) continue;
    if (plural in spec) bad(`spec.${singular}`, `give either ${singular} (the early form) or ${plural}, not both`);
    else spec[plural] = spec[singular];
    delete spec[singular];
  }
  fields(spec, ALLOWED.spec, "spec");

  const volumes = list(spec.volumes, "spec.volumes");
  unique(volumes, "spec.volumes", "volumes");
  volumes.forEach((v, i) => checkVolume(v, `spec.volumes[${i}]`));
  const blocks = volumes.filter((v) => v.source === "block");
  if (blocks.length > MAX_BLOCK_VOLUMES) bad("spec.volumes", `${blocks.length} block volumes: a service can have at most ${MAX_BLOCK_VOLUMES}`);
  if (blocks.length > 0 && ctx.instances && ctx.instances.min !== ctx.instances.max)
    bad("MIN_INSTANCES", `a service with block volumes needs MIN_INSTANCES = MAX_INSTANCES (here ${ctx.instances.min} and ${ctx.instances.max})`);
  const volumeNames = new Set(volumes.map((v) => v.name));

  const containers = list(spec.containers, "spec.containers", true);
  unique(containers, "spec.containers", "containers");
  containers.forEach((c, i) => checkContainer(c, `spec.${"container" in rawSpec ? "container" : "containers"}[${i}]`));

  const endpoints = list(spec.endpoints, "spec.endpoints");
  unique(endpoints, "spec.endpoints", "endpoints");
  endpoints.forEach((e, i) => {
    const p = `spec.endpoints[${i}]`;
    fields(e, ALLOWED.endpoint, p);
    name(e.name, `${p}.name`);
    if ((e.port === undefined) === (e.portRange === undefined)) bad(p, "give exactly one of port and portRange");
    if (e.port !== undefined) port(e.port, `${p}.port`);
    const protocol = e.protocol ?? "HTTP";
    if (!["HTTP", "TCP", "UDP"].includes(protocol as string)) bad(`${p}.protocol`, `${JSON.stringify(protocol)} is not HTTP, TCP or UDP`);
    if (e.public !== undefined && typeof e.public !== "boolean") bad(`${p}.public`, "must be true or false");
    if (e.public === true && protocol !== "HTTP") bad(`${p}.public`, `a public endpoint must be HTTP (this one is ${String(protocol)}): SPCS ingress is HTTP only`);
    if (e.portRange !== undefined && e.public === true) bad(`${p}.portRange`, "a port range cannot be public");
  });

  if (spec.logExporters !== undefined) {
    if (!isObj(spec.logExporters)) bad("spec.logExporters", "must be a map");
    else {
      fields(spec.logExporters, ALLOWED.logExporters, "spec.logExporters");
      const etc = spec.logExporters.eventTableConfig;
      if (isObj(etc)) {
        fields(etc, ALLOWED.eventTableConfig, "spec.logExporters.eventTableConfig");
        if (!["INFO", "ERROR", "NONE"].includes(etc.logLevel as string)) bad("spec.logExporters.eventTableConfig.logLevel", `${JSON.stringify(etc.logLevel)} is not INFO, ERROR or NONE`);
      }
    }
  }
  return issues;

  function port(v: unknown, path: string) {
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65535) bad(path, `${JSON.stringify(v)} is not a TCP port (1-65535)`);
  }

  function checkVolume(v: Obj, p: string) {
    fields(v, ALLOWED.volume, p);
    name(v.name, `${p}.name`);
    const source = v.source;
    const stage = source === "stage" || (typeof source === "string" && source.startsWith("@"));
    if (!(["local", "memory", "block"].includes(source as string) || stage)) {
      bad(`${p}.source`, `${JSON.stringify(source)} is not a volume source: local, memory, block, stage (or a deprecated "@stage")`);
      return;
    }
    if (source === "block" || source === "memory") {
      if (v.size === undefined) bad(`${p}.size`, `a ${String(source)} volume needs a size`);
    } else if (v.size !== undefined) bad(`${p}.size`, `a ${stage ? "stage" : "local"} volume takes no size`);
    if (source === "block" && v.size !== undefined) {
      const m = BLOCK_SIZE.exec(String(v.size));
      if (!m) bad(`${p}.size`, `${JSON.stringify(v.size)}: a block volume's size is a whole number of Gi (e.g. 10Gi)`);
      else if (Number(m[1]) > MAX_BLOCK_GI) bad(`${p}.size`, `${String(v.size)} is more than ${MAX_BLOCK_GI}Gi`);
    }
    if (source === "memory" && v.size !== undefined && !MEMORY.test(String(v.size))) bad(`${p}.size`, `${JSON.stringify(v.size)} is not a size (e.g. 512Mi)`);
    if (v.blockConfig !== undefined && source !== "block") bad(`${p}.blockConfig`, "blockConfig is for block volumes only");
    for (const id of ["uid", "gid"] as const) {
      if (v[id] === undefined) continue;
      if (!stage) bad(`${p}.${id}`, `${id} is for stage volumes only (a ${String(source)} volume takes none: set ownership from the container)`);
      else if (!Number.isInteger(v[id]) || (v[id] as number) < 0) bad(`${p}.${id}`, "must be a non-negative integer");
    }
    if (source === "stage") {
      if (!isObj(v.stageConfig) || typeof v.stageConfig.name !== "string" || !v.stageConfig.name.startsWith("@"))
        bad(`${p}.stageConfig.name`, 'a stage volume needs stageConfig.name, the stage as "@STAGE" or "@STAGE/path"');
      else fields(v.stageConfig, ALLOWED.stageConfig, `${p}.stageConfig`);
    } else if (v.stageConfig !== undefined) bad(`${p}.stageConfig`, "stageConfig is for stage volumes only");
  }

  function checkContainer(c: Obj, p: string) {
    fields(c, ALLOWED.container, p);
    name(c.name, `${p}.name`);
    if (typeof c.image !== "string" || c.image.trim() === "") bad(`${p}.image`, "every container needs an image");
    for (const k of ["command", "args"] as const)
      if (c[k] !== undefined && (!Array.isArray(c[k]) || !(c[k] as unknown[]).every((s) => typeof s === "string"))) bad(`${p}.${k}`, "must be a list of strings");
    if (c.env !== undefined) {
      if (!isObj(c.env)) bad(`${p}.env`, "must be a map of NAME: value");
      else
        for (const [k, v] of Object.entries(c.env)) {
          if (!ENV_NAME.test(k)) bad(`${p}.env.${k}`, `${JSON.stringify(k)} is not an environment variable name`);
          // strings, numbers and booleans are written as text (null as empty); a map or list is a Kubernetes valueFrom
          if (v !== null && typeof v === "object") bad(`${p}.env.${k}`, "an env value is a string (a secret goes in secrets:, not valueFrom)");
        }
    }
    if (c.readinessProbe !== undefined) {
      const r = c.readinessProbe;
      if (!isObj(r)) bad(`${p}.readinessProbe`, "must be a map of port and path");
      else {
        fields(r, ALLOWED.readinessProbe, `${p}.readinessProbe`);
        port(r.port, `${p}.readinessProbe.port`);
        if (typeof r.path !== "string" || !r.path.startsWith("/")) bad(`${p}.readinessProbe.path`, "the probe's HTTP path starts with /");
      }
    }
    list(c.volumeMounts, `${p}.volumeMounts`).forEach((m, i) => {
      const mp = `${p}.volumeMounts[${i}]`;
      fields(m, ALLOWED.volumeMount, mp);
      if (!volumeNames.has(m.name)) bad(`${mp}.name`, `no volume named ${JSON.stringify(m.name)} in spec.volumes`);
      if (typeof m.mountPath !== "string" || !m.mountPath.startsWith("/")) bad(`${mp}.mountPath`, "must be an absolute path");
    });
    if (c.resources !== undefined) checkResources(c.resources, `${p}.resources`);
    const secrets = list(c.secrets, `${p}.secrets`);
    secrets.forEach((s, i) => checkSecret(s, `${p}.secrets[${i}]`));
    const env = isObj(c.env) ? c.env : {};
    const fromSecrets = new Set<unknown>();
    secrets.forEach((s, i) => {
      if (s.envVarName === undefined) return;
      if (Object.hasOwn(env, String(s.envVarName))) bad(`${p}.secrets[${i}].envVarName`, `${String(s.envVarName)} is also set in env: one variable, one source`);
      if (fromSecrets.has(s.envVarName)) bad(`${p}.secrets[${i}].envVarName`, `${String(s.envVarName)} is set by two secrets`);
      fromSecrets.add(s.envVarName);
    });
  }

  function checkResources(r: unknown, p: string) {
    if (!isObj(r)) return bad(p, "must be a map of requests and limits");
    fields(r, ALLOWED.resources, p);
    for (const kind of ["requests", "limits"] as const) {
      const amounts = r[kind];
      if (amounts === undefined) continue;
      if (!isObj(amounts)) {
        bad(`${p}.${kind}`, "must be a map");
        continue;
      }
      fields(amounts, ALLOWED.resourceAmounts, `${p}.${kind}`);
      if (amounts.memory !== undefined && !MEMORY.test(String(amounts.memory))) bad(`${p}.${kind}.memory`, `${JSON.stringify(amounts.memory)} is not an amount of memory (e.g. 4Gi, 512Mi)`);
      if (amounts.cpu !== undefined && !CPU.test(String(amounts.cpu))) bad(`${p}.${kind}.cpu`, `${JSON.stringify(amounts.cpu)} is not a CPU amount (e.g. 2, 0.5, 500m)`);
      const gpu = amounts["nvidia.com/gpu"];
      if (gpu !== undefined && (!Number.isInteger(gpu) || (gpu as number) < 1)) bad(`${p}.${kind}.nvidia.com/gpu`, "a GPU count is a positive integer");
    }
  }

  function checkSecret(s: Obj, p: string) {
    fields(s, ALLOWED.secret, p);
    const ref = s.snowflakeSecret;
    let object: string | undefined;
    if (typeof ref === "string") object = ref;
    else if (isObj(ref)) {
      fields(ref, ALLOWED.snowflakeSecret, `${p}.snowflakeSecret`);
      if ((ref.objectName === undefined) === (ref.objectReference === undefined)) bad(`${p}.snowflakeSecret`, "give exactly one of objectName and objectReference");
      object = typeof ref.objectName === "string" ? ref.objectName : undefined;
    } else bad(`${p}.snowflakeSecret`, "name the Snowflake secret (a name, or objectName)");
    const env = s.envVarName !== undefined;
    if (env === (s.directoryPath !== undefined)) bad(p, "give exactly one of envVarName and directoryPath");
    if (env && (typeof s.envVarName !== "string" || !ENV_NAME.test(s.envVarName))) bad(`${p}.envVarName`, `${JSON.stringify(s.envVarName)} is not an environment variable name`);
    if (s.directoryPath !== undefined && (typeof s.directoryPath !== "string" || !s.directoryPath.startsWith("/"))) bad(`${p}.directoryPath`, "must be an absolute path");
    if (!env) {
      if (s.secretKeyRef !== undefined) bad(`${p}.secretKeyRef`, "secretKeyRef goes with envVarName only (a directoryPath gets one file per key)");
      return;
    }
    if (s.secretKeyRef === undefined) return bad(`${p}.secretKeyRef`, "an envVarName secret needs secretKeyRef: which key of the secret goes in the variable");
    const type = object !== undefined ? ctx.secretTypes?.[object.toLowerCase()] : undefined;
    const allowed: readonly string[] = type ? SECRET_KEYS[type] : ["secret_string", "username", "password", "access_token"];
    if (!allowed.includes(String(s.secretKeyRef).toLowerCase()))
      bad(`${p}.secretKeyRef`, `${JSON.stringify(s.secretKeyRef)} is not a key of ${type ? `a ${type} secret` : "any secret type"} (${allowed.join(", ")})`);
  }
}

/** Env names that usually hold a secret (a licence key too): a literal value for one is a warning. */
export const SECRET_LOOKING_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|ACCESS_KEY|API_KEY|LICENSE$)/i;

/**
 * What follows the rules but is a known mistake of hand-written specs (warnings): a secret written
 * as a literal env value (a licence key, a token) and the deprecated `"@stage"` volume source.
 */
export function adviseServiceSpec(doc: unknown): ConfigIssue[] {
  const advice: ConfigIssue[] = [];
  if (!isObj(doc) || !isObj(doc.spec)) return advice;
  const spec = doc.spec;
  const key = "container" in spec ? "container" : "containers";
  const containers = Array.isArray(spec[key]) ? (spec[key] as unknown[]) : [];
  containers.forEach((c, i) => {
    if (!isObj(c) || !isObj(c.env)) return;
    for (const [name, v] of Object.entries(c.env))
      if (SECRET_LOOKING_ENV.test(name) && v !== null && v !== "" && typeof v !== "object")
        advice.push({ path: `spec.${key}[${i}].env.${name}`, message: `${name} looks like a secret written as a literal: anyone who can DESCRIBE the service reads it; use a Snowflake secret (secrets: snowflakeSecret + envVarName)` });
  });
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v, i) => {
    if (isObj(v) && typeof v.source === "string" && v.source.startsWith("@"))
      advice.push({ path: `spec.volumes[${i}].source`, message: `"${v.source}" is the deprecated stage volume: write source: stage with stageConfig: { name: "${v.source}" }` });
  });
  return advice;
}
