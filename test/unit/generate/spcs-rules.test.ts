// The SPCS rule checker, table-driven: one valid specification, then one mistake at a time, each
// reported at its path with a message that says what SPCS wants.
import { describe, expect, it } from "vitest";
import { adviseServiceSpec, checkServiceSpec, type RuleContext } from "../../../src/generate/spcs/index.js";

// test data is edited in place at any depth: typing every shape would hide the edit
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;
const valid = (): Obj => ({
  spec: {
    containers: [
      {
        name: "workbench",
        image: "/db/schema/repo/workbench:1",
        command: ["/usr/local/bin/foyer", "run"],
        env: { TZ: "UTC" },
        readinessProbe: { port: 8787, path: "/health-check" },
        volumeMounts: [{ name: "home", mountPath: "/home" }],
        resources: { requests: { memory: "4Gi", cpu: "1" }, limits: { memory: "16Gi", cpu: "4000m", "nvidia.com/gpu": 1 } },
        secrets: [
          { snowflakeSecret: { objectName: "lic" }, secretKeyRef: "secret_string", envVarName: "RSW_LICENSE" },
          { snowflakeSecret: "lic", directoryPath: "/etc/rstudio-licensing" },
          { snowflakeSecret: { objectName: "db" }, secretKeyRef: "password", envVarName: "DB_PASSWORD" },
        ],
      },
    ],
    endpoints: [{ name: "ui", port: 8787, public: true, protocol: "HTTP" }],
    volumes: [
      { name: "home", source: "block", size: "50Gi" },
      { name: "data", source: "stage", stageConfig: { name: "@data" } },
      { name: "scratch", source: "memory", size: "512Mi" },
      { name: "tmp", source: "local" },
      { name: "old", source: "@volumes", uid: 1000, gid: 1000 },
    ],
    logExporters: { eventTableConfig: { logLevel: "INFO" } },
  },
});
const ctx: RuleContext = { secretTypes: { lic: "generic_string", db: "password" }, instances: { min: 1, max: 1 } };

describe("checkServiceSpec", () => {
  it("accepts a specification that follows every rule", () => {
    expect(checkServiceSpec(valid(), ctx)).toEqual([]);
  });

  const cases: Array<[string, (s: Obj) => void, string, RegExp, RuleContext?]> = [
    ["an upper-case container name", (s) => (s.spec.containers[0].name = "Workbench"), "spec.containers[0].name", /not an SPCS name/],
    ["a name ending in '-'", (s) => (s.spec.endpoints[0].name = "ui-"), "spec.endpoints[0].name", /ending with a letter or digit/],
    ["a 64-character name", (s) => (s.spec.volumes[3].name = "v".repeat(64)), "spec.volumes[3].name", /up to 63/],
    ["two volumes with one name", (s) => (s.spec.volumes[3].name = "home"), "spec.volumes[3].name", /two volumes are named "home"/],
    ["both container: (the early form) and containers:", (s) => (s.spec.container = s.spec.containers), "spec.container", /either container \(the early form\) or containers, not both/],
    ["a mistake inside an early-form container:", (s) => ((s.spec.container = s.spec.containers), delete s.spec.containers, (s.spec.container[0].name = "A")), "spec.container[0].name", /not an SPCS name/],
    ["no containers", (s) => (s.spec.containers = []), "spec.containers", /non-empty list/],
    ["a Kubernetes field in a container", (s) => (s.spec.containers[0].securityContext = { privileged: true }), "spec.containers[0].securityContext", /no field "securityContext"/],
    ["an image missing", (s) => delete s.spec.containers[0].image, "spec.containers[0].image", /needs an image/],
    ["an env value that is a map", (s) => (s.spec.containers[0].env.X = { valueFrom: {} }), "spec.containers[0].env.X", /a string \(a secret goes in secrets:/],
    ["a probe path without /", (s) => (s.spec.containers[0].readinessProbe.path = "health"), "spec.containers[0].readinessProbe.path", /starts with \//],
    ["a probe on a named port", (s) => (s.spec.containers[0].readinessProbe.port = "http"), "spec.containers[0].readinessProbe.port", /not a TCP port/],
    ["a mount of a volume that does not exist", (s) => (s.spec.containers[0].volumeMounts[0].name = "homes"), "spec.containers[0].volumeMounts[0].name", /no volume named "homes"/],
    ["memory without a unit Kubernetes knows", (s) => (s.spec.containers[0].resources.limits.memory = "16GB"), "spec.containers[0].resources.limits.memory", /not an amount of memory/],
    ["cpu as a word", (s) => (s.spec.containers[0].resources.requests.cpu = "two"), "spec.containers[0].resources.requests.cpu", /not a CPU amount/],
    ["ephemeral storage", (s) => (s.spec.containers[0].resources.limits["ephemeral-storage"] = "1Gi"), "spec.containers[0].resources.limits.ephemeral-storage", /no field/],
    ["a fractional GPU", (s) => (s.spec.containers[0].resources.limits["nvidia.com/gpu"] = 0.5), "spec.containers[0].resources.limits.nvidia.com/gpu", /positive integer/],
    ["secretKeyRef with directoryPath", (s) => (s.spec.containers[0].secrets[1].secretKeyRef = "secret_string"), "spec.containers[0].secrets[1].secretKeyRef", /envVarName only/],
    ["envVarName without secretKeyRef", (s) => delete s.spec.containers[0].secrets[0].secretKeyRef, "spec.containers[0].secrets[0].secretKeyRef", /needs secretKeyRef/],
    ["both envVarName and directoryPath", (s) => (s.spec.containers[0].secrets[0].directoryPath = "/x"), "spec.containers[0].secrets[0]", /exactly one of envVarName and directoryPath/],
    ["password key of a generic_string secret", (s) => (s.spec.containers[0].secrets[0].secretKeyRef = "password"), "spec.containers[0].secrets[0].secretKeyRef", /not a key of a generic_string secret \(secret_string\)/],
    ["secret_string of a password secret", (s) => (s.spec.containers[0].secrets[2].secretKeyRef = "secret_string"), "spec.containers[0].secrets[2].secretKeyRef", /password secret \(username, password\)/],
    ["both objectName and objectReference", (s) => (s.spec.containers[0].secrets[0].snowflakeSecret.objectReference = "r"), "spec.containers[0].secrets[0].snowflakeSecret", /exactly one of objectName and objectReference/],
    ["a public TCP endpoint", (s) => (s.spec.endpoints[0].protocol = "TCP"), "spec.endpoints[0].public", /must be HTTP/],
    ["an HTTPS protocol", (s) => (s.spec.endpoints[0].protocol = "HTTPS"), "spec.endpoints[0].protocol", /not HTTP, TCP or UDP/],
    ["port and portRange", (s) => (s.spec.endpoints[0].portRange = "8000-8010"), "spec.endpoints[0]", /exactly one of port and portRange/],
    ["a block volume without size", (s) => delete s.spec.volumes[0].size, "spec.volumes[0].size", /needs a size/],
    ["a block size in Mi", (s) => (s.spec.volumes[0].size = "500Mi"), "spec.volumes[0].size", /whole number of Gi/],
    ["a block size over the maximum", (s) => (s.spec.volumes[0].size = "20000Gi"), "spec.volumes[0].size", /more than 16384Gi/],
    ["uid on a block volume", (s) => (s.spec.volumes[0].uid = 1000), "spec.volumes[0].uid", /stage volumes only/],
    ["a stage volume without its stage", (s) => delete s.spec.volumes[1].stageConfig, "spec.volumes[1].stageConfig.name", /needs stageConfig.name/],
    ["a size on a local volume", (s) => (s.spec.volumes[3].size = "1Gi"), "spec.volumes[3].size", /takes no size/],
    ["an unknown source", (s) => (s.spec.volumes[3].source = "pvc"), "spec.volumes[3].source", /not a volume source/],
    ["four block volumes", (s) => s.spec.volumes.push(...["a", "b", "c"].map((n) => ({ name: n, source: "block", size: "1Gi" }))), "spec.volumes", /at most 3/],
    ["block volumes with MIN != MAX instances", () => {}, "MIN_INSTANCES", /MIN_INSTANCES = MAX_INSTANCES/, { ...ctx, instances: { min: 1, max: 3 } }],
    ["a variable set in env and by a secret", (s) => (s.spec.containers[0].env.RSW_LICENSE = "x"), "spec.containers[0].secrets[0].envVarName", /also set in env/],
    ["a variable set by two secrets", (s) => (s.spec.containers[0].secrets[2].envVarName = "RSW_LICENSE"), "spec.containers[0].secrets[2].envVarName", /set by two secrets/],
    ["a log level SPCS does not have", (s) => (s.spec.logExporters.eventTableConfig.logLevel = "DEBUG"), "spec.logExporters.eventTableConfig.logLevel", /INFO, ERROR or NONE/],
  ];
  it.each(cases)("reports %s", (_what, mutate, path, message, context) => {
    const s = valid();
    mutate(s);
    const issues = checkServiceSpec(s, context ?? ctx);
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.find((i) => i.path === path)!.message).toMatch(message);
  });

  it("reads the early singular container: and endpoint: as Snowflake's own templates write them", () => {
    const s = valid();
    s.spec.container = s.spec.containers;
    s.spec.endpoint = s.spec.endpoints;
    delete s.spec.containers;
    delete s.spec.endpoints;
    expect(checkServiceSpec(s, ctx)).toEqual([]);
  });

  it("needs a top-level spec map", () => {
    expect(checkServiceSpec("spec: x")).toEqual([{ path: "spec", message: expect.stringMatching(/top-level `spec:`/) }]);
  });
});

describe("adviseServiceSpec: known mistakes that follow the rules", () => {
  it("a literal licence key or token in env, and the deprecated @stage source", () => {
    const s = valid();
    s.spec.containers[0].env = { RSC_LICENSE: "XXXX-XXXX", API_TOKEN: "abc", TZ: "UTC", RSW_LICENSE: "" };
    expect(adviseServiceSpec(s).map((a) => a.path)).toEqual(["spec.containers[0].env.RSC_LICENSE", "spec.containers[0].env.API_TOKEN", "spec.volumes[4].source"]);
    expect(adviseServiceSpec(s)[2]!.message).toMatch(/deprecated stage volume: write source: stage with stageConfig: \{ name: "@volumes" \}/);
    expect(JSON.stringify(adviseServiceSpec(s))).not.toContain("XXXX");
  });
  it("nothing to say about a spec that uses secrets", () => {
    const s = valid();
    s.spec.volumes.pop();
    expect(adviseServiceSpec(s)).toEqual([]);
  });
});
