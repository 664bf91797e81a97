// The SPCS generator over the three values files of test/fixtures/spcs (Workbench, Connect, a
// Jupyter single-user image), then broken inputs one at a time: each is an issue naming the value.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { checkServiceSpec, generateSpcs } from "../../../src/generate/spcs/index.js";
import { parseYamlSource } from "../../../src/spec/parse.js";

// test data is edited in place at any depth: typing every shape would hide the edit
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;
const FIXTURES = join(__dirname, "../../fixtures/spcs");
const load = (name: string): Obj => parseYamlSource(readFileSync(join(FIXTURES, `${name}.yaml`), "utf8"), name).data as Obj;
const container = (r: { serviceSpec: Obj }) => r.serviceSpec.spec.containers[0];
/** The generator, with its output open to the tests' assertions at any depth. */
const gen = (values: unknown) => {
  const r = generateSpcs(values);
  return { ...r, serviceSpec: r.serviceSpec as Obj, foyerSpec: r.foyerSpec as Obj };
};

describe("generateSpcs: the three values files", () => {
  it("Workbench: licence file as a secret directory, db password by reference, homes and shared storage on block volumes", () => {
    const r = gen(load("workbench"));
    expect(r.issues).toEqual([]);
    const c = container(r);
    expect(c.image).toBe("/posit_db/apps/images/rstudio-workbench:ubuntu2204-2024.12.0");
    expect(c.command).toEqual(["/usr/local/bin/foyer", "run", "--spec", "/etc/foyer/foyer.yaml"]);
    expect(c.secrets).toEqual([
      { snowflakeSecret: { objectName: "workbench_license" }, directoryPath: "/etc/rstudio-licensing" },
      { snowflakeSecret: { objectName: "workbench_db" }, secretKeyRef: "password", envVarName: "WORKBENCH_DB_PASSWORD" },
    ]);
    // SPCS writes a generic_string secret mounted as a directory to <dir>/secret_string
    expect(c.env).toEqual({ RSW_LICENSE_FILE_PATH: "/etc/rstudio-licensing/secret_string", TZ: "Europe/Paris", RSW_LAUNCHER: "false" });
    expect(c.readinessProbe).toEqual({ port: 8787, path: "/health-check" });
    expect(c.resources).toEqual({ requests: { memory: "4Gi", cpu: "1" }, limits: { memory: "16Gi", cpu: "4000m" } });
    expect(r.serviceSpec.spec.volumes).toEqual([
      { name: "home", source: "block", size: "50Gi" },
      { name: "shared", source: "block", size: "10Gi" },
    ]);
    expect(c.volumeMounts).toEqual([
      { name: "home", mountPath: "/home" },
      { name: "shared", mountPath: "/var/lib/rstudio-server/shared-storage" },
    ]);
    expect(r.serviceSpec.spec.endpoints).toEqual([{ name: "workbench", port: 8787, public: true, protocol: "HTTP" }]);
    expect(r.serviceSpec.spec.logExporters).toEqual({ eventTableConfig: { logLevel: "INFO" } });
    expect(r.dropped.map((d) => d.path)).toEqual(expect.arrayContaining(["pod.securityContext", "initContainers", "ingress", "rbac", "resources.requests.ephemeralStorage"]));
    expect(r.foyerSpec).toMatchObject({
      profile: "workbench",
      secrets: { "workbench-db-password": { env: "WORKBENCH_DB_PASSWORD" } },
      programs: { rserver: { secrets: { WORKBENCH_DB_PASSWORD: "workbench-db-password" } } },
      shutdown: { deadline: "25s" },
    });
    expect(r.foyerSpec.config.secret["database.conf"].password).toBe("{{secret 'workbench-db-password'}}");
    expect(r.warnings.map((w) => w.path)).toEqual(expect.arrayContaining(["pod.terminationGracePeriodSeconds", "foyer.yaml programs.rserver.stop.grace"]));
    // the external PostgreSQL needs an external access integration; block volumes need MIN = MAX
    expect(r.createServiceSql).toContain("VALUE_LIST = ('pg.example.com:5432');");
    expect(r.createServiceSql).toContain("IN COMPUTE POOL posit_pool");
    expect(r.createServiceSql).toMatch(/MIN_INSTANCES = 1\n {2}MAX_INSTANCES = 1\n {2}EXTERNAL_ACCESS_INTEGRATIONS = \(workbench_egress_access\);/);
    expect(r.createServiceSql).toContain(`FROM SPECIFICATION $$\n${stringify(r.serviceSpec, { lineWidth: 0 })}$$`);
  });

  it("Connect: licence key by reference, deactivation that cannot fit in 30 s, SQLite-free data dir on block", () => {
    const values = load("connect");
    const r = gen(values);
    expect(r.issues).toEqual([]);
    expect(container(r).secrets[0]).toEqual({ snowflakeSecret: { objectName: "connect_license" }, secretKeyRef: "secret_string", envVarName: "RSC_LICENSE" });
    // the literal in license.key is never copied anywhere
    expect(JSON.stringify([r.serviceSpec, r.foyerSpec]) + r.createServiceSql).not.toContain("set-in-a-snowflake-secret");
    expect(r.dropped.map((d) => d.path)).toContain("securityContext");
    expect(r.warnings.find((w) => w.path === "foyer.yaml programs.license.stop.grace")?.message).toMatch(/120s \(licence deactivation\) cannot fit: SPCS sends KILL 30 s after SIGTERM/);
    expect(r.createServiceSql).toContain("VALUE_LIST = ('packagemanager.posit.co:443', 'pg.example.com:5432');");
    expect(container(r).readinessProbe).toEqual({ port: 3939, path: "/__ping__" });
  });

  it("Jupyter single-user: cookie secret and object-store keys as secrets, SQLite and homes on block volumes", () => {
    const r = gen(load("jupyter"));
    expect(r.issues).toEqual([]);
    const c = container(r);
    expect(c.image).toBe("/berdl_db/apps/images/spark-notebook:2025.06.1");
    expect(c.secrets).toEqual([
      { snowflakeSecret: { objectName: "hub_cookie_secret" }, secretKeyRef: "secret_string", envVarName: "JPY_COOKIE_SECRET" },
      { snowflakeSecret: { objectName: "minio_keys" }, secretKeyRef: "username", envVarName: "MINIO_ACCESS_KEY" },
      { snowflakeSecret: { objectName: "minio_keys" }, secretKeyRef: "password", envVarName: "MINIO_SECRET_KEY" },
    ]);
    expect(r.serviceSpec.spec.volumes).toEqual([
      { name: "hub-db", source: "block", size: "1Gi" },
      { name: "home", source: "block", size: "20Gi" },
    ]);
    expect(c.volumeMounts).toEqual([
      { name: "hub-db", mountPath: "/srv/jupyterhub" },
      { name: "home", mountPath: "/home/jovyan" },
    ]);
    expect(c.resources).toEqual({ requests: { memory: "2G", cpu: "0.5" }, limits: { memory: "8G", cpu: "2" } });
    expect(r.foyerSpec).toEqual({
      profile: "jupyter-singleuser",
      secrets: { "cookie-secret": { env: "JPY_COOKIE_SECRET" }, "minio-access-key": { env: "MINIO_ACCESS_KEY" }, "minio-secret-key": { env: "MINIO_SECRET_KEY" } },
      programs: { jupyter: { secrets: { JPY_COOKIE_SECRET: "cookie-secret", MINIO_ACCESS_KEY: "minio-access-key", MINIO_SECRET_KEY: "minio-secret-key" } } },
      shutdown: { deadline: "25s" },
    });
    expect(r.dropped.map((d) => d.path)).toEqual(["proxy", "hub.image"]);
    expect(r.createServiceSql).toContain("VALUE_LIST = ('minio.example.org:9000', 'narrative.kbase.us:443');");
  });

  it("Package Manager (guessed from the image): its port, probe and licence variable", () => {
    const r = gen({
      image: { repository: "rstudio/rstudio-package-manager", tag: "2024.11.0" },
      sharedStorage: { create: true, requests: { storage: "30Gi" } },
      spcs: { imageRepository: "/db/s/repo", service: "ppm", secrets: { license: { objectName: "ppm_license" } } },
    });
    expect(r.issues).toEqual([]);
    expect(r.foyerSpec.profile).toBe("package-manager");
    expect(container(r).secrets).toEqual([{ snowflakeSecret: { objectName: "ppm_license" }, secretKeyRef: "secret_string", envVarName: "RSPM_LICENSE" }]);
    expect(container(r).readinessProbe).toEqual({ port: 4242, path: "/__ping__" });
    expect(container(r).volumeMounts).toEqual([{ name: "shared", mountPath: "/var/lib/rstudio-pm" }]);
    expect(r.serviceSpec.spec.volumes).toEqual([{ name: "shared", source: "block", size: "30Gi" }]);
    expect(r.createServiceSql).toContain("IN COMPUTE POOL ppm_pool");
    expect(r.createServiceSql).not.toContain("EXTERNAL ACCESS");
  });

  it("each generated spec passes the rule checker on its own", () => {
    for (const name of ["workbench", "connect", "jupyter"]) expect(checkServiceSpec(gen(load(name)).serviceSpec)).toEqual([]);
  });
});

describe("generateSpcs: broken inputs name the value", () => {
  const cases: Array<[string, string, (v: Obj) => void, string, RegExp]> = [
    ["no spcs: block", "workbench", (v) => delete v.spcs, "spcs", /needs an `spcs:` block/],
    ["a service name SPCS refuses", "workbench", (v) => (v.spcs.service = "Work_Bench"), "spcs.service", /service base name/],
    ["a log level SPCS does not have", "workbench", (v) => (v.spcs.logLevel = "DEBUG"), "spcs.logLevel", /INFO|ERROR|NONE/],
    ["an unknown spcs key", "workbench", (v) => (v.spcs.volumes = []), "spcs", /volumes/],
    ["a chart it cannot tell", "workbench", (v) => (v.image.repository = "example/app"), "spcs.chart", /set spcs.chart/],
    ["no image tag", "workbench", (v) => delete v.image.tag, "image.tag", /image tag is not set/],
    ["a literal licence key without a Snowflake secret", "workbench", (v) => (v.license.key = "ABCD-EFGH-IJKL"), "license.key", /never copied/],
    ["an inline licence file", "workbench", (v) => (v.license.file.contents = "-----BEGIN LICENSE-----"), "license.file.contents", /never copied/],
    ["a licence file secret with no Snowflake secret", "workbench", (v) => delete v.spcs.secrets["workbench-license"], "license.file.secret", /no spcs.secrets.workbench-license/],
    ["an env secret with no Snowflake secret", "workbench", (v) => delete v.spcs.secrets["workbench-db"], "pod.env[0].valueFrom.secretKeyRef.name", /add spcs.secrets.workbench-db.objectName/],
    ["a ConfigMap env reference", "workbench", (v) => (v.pod.env[1] = { name: "X", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } }), "pod.env[1].valueFrom", /only valueFrom.secretKeyRef/],
    ["an env name with a dash", "workbench", (v) => (v.pod.env[1].name = "MY-VAR"), "pod.env[1]", /not an environment variable name/],
    ["a Kubernetes key with no place in a password secret", "workbench", (v) => (v.pod.env[0].valueFrom.secretKeyRef.key = "pw"), "spcs.secrets.workbench-db.keys", /"pw" .* map it to username or password/],
    ["a block size in Mi", "workbench", (v) => (v.spcs.storage.homeStorage.size = "500Mi"), "spcs.storage.homeStorage.size", /whole number of Gi/],
    ["a stage volume without its stage", "workbench", (v) => (v.spcs.storage.homeStorage = { source: "stage" }), "spcs.storage.homeStorage.stage", /needs the stage/],
    ["a probe on a named port", "workbench", (v) => (v.readinessProbe.httpGet.port = "http"), "readinessProbe.httpGet.port", /not a named port/],
    ["a literal database.conf", "workbench", (v) => (v.config.database = { conf: { value: "provider=postgresql\npassword=hunter22" } }), "config.database.conf.value", /never copied/],
    ["projected Kubernetes secrets", "workbench", (v) => (v.config.existingSecrets = [{ name: "oidc", items: [{ key: "k", path: "p" }] }]), "config.existingSecrets", /cannot be mapped/],
    ["a literal PostgreSQL password", "connect", (v) => (v.config.Postgres.Password = "hunter2hunter2"), "config.Postgres.Password", /never copied/],
    ["a password inside the PostgreSQL URL", "connect", (v) => (v.config.Postgres.URL = "postgres://connect:hunter22@pg.example.com/connect"), "config.Postgres.URL", /never copied/],
    ["Connect's SQLite data dir on a stage", "connect", (v) => ((v.config.Database.Provider = "sqlite"), (v.spcs.storage.sharedStorage = { source: "stage", stage: "@connect" })), "spcs.storage.sharedStorage.source", /SQLite .* random writes/],
    ["the hub's SQLite on a stage", "jupyter", (v) => (v.spcs.storage["hub.db"] = { source: "stage", stage: "@hub" }), "spcs.storage.hub.db.source", /SQLite/],
    ["two instances sharing a SQLite volume", "jupyter", (v) => (v.spcs.instances = 2), "spcs.instances", /SQLite database is not shared/],
    ["a literal cookie secret", "jupyter", (v) => (v.hub.cookieSecret = "0123456789abcdef"), "hub.cookieSecret", /never copied/],
    ["a cookie secret with no Snowflake secret", "jupyter", (v) => delete v.spcs.secrets["hub-secrets"], "hub.existingSecret", /no spcs.secrets.hub-secrets/],
    ["a database URL", "jupyter", (v) => (v.hub.db = { type: "postgres", url: "postgres://hub:pw@db/hub" }), "hub.db.url", /holds its password/],
    ["a literal licence key in pod.env", "connect", (v) => v.pod.env.push({ name: "RSC_LICENSE", value: "ABCD-EFGH-1234" }), "pod.env[1]", /a literal RSC_LICENSE is never copied/],
    ["an extraEnv value that is a list", "jupyter", (v) => (v.singleuser.extraEnv.JUPYTER_MODE = ["a"]), "singleuser.extraEnv.JUPYTER_MODE", /an env value is a string/],
  ];
  it.each(cases)("%s", (_what, fixture, mutate, path, message) => {
    const v = load(fixture);
    mutate(v);
    const r = gen(v);
    const hit = r.issues.find((i) => i.path === path);
    expect(hit, JSON.stringify(r.issues)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it("a literal that looks like a secret, and literal secret config files, are warnings that do not print the value", () => {
    const v = load("workbench");
    v.pod.env.push({ name: "OIDC_CLIENT_SECRET", value: "hunter2hunter2" });
    v.config.secret["openid-client-secret"] = "client-id=x\nclient-secret=hunter3hunter3\n";
    const r = gen(v);
    expect(r.issues).toEqual([]);
    expect(r.warnings.find((w) => w.path === "pod.env[2]")?.message).toMatch(/OIDC_CLIENT_SECRET looks like a secret/);
    expect(r.warnings.find((w) => w.path === "config.secret.openid-client-secret")?.message).toMatch(/literal values: they will be in foyer.yaml/);
    expect(r.warnings.find((w) => w.path === "config.secret.database.conf")).toBeUndefined(); // it uses {{secret}}
    expect(JSON.stringify(r.warnings)).not.toMatch(/hunter/);
  });

  it("a values file that is not a map", () => {
    expect(gen(["a"]).issues).toEqual([{ path: "(values)", message: "the values file is not a YAML map" }]);
  });

  it("a readiness probe SPCS cannot express is dropped, not copied", () => {
    const v = load("workbench");
    v.readinessProbe = { enabled: true, tcpSocket: { port: 8787 } };
    const r = gen(v);
    expect(r.issues).toEqual([]);
    expect(container(r).readinessProbe).toBeUndefined();
    expect(r.dropped.map((d) => d.path)).toContain("readinessProbe");
  });

  it("a private endpoint, a local volume (with its warning) and MIN = MAX from replicas", () => {
    const v = load("workbench");
    v.spcs.endpoint = { public: false };
    v.spcs.storage.sharedStorage = { source: "local" };
    v.replicas = 2;
    const r = gen(v);
    expect(r.issues).toEqual([]);
    expect(r.serviceSpec.spec.endpoints[0].public).toBe(false);
    expect(r.serviceSpec.spec.volumes[1]).toEqual({ name: "shared", source: "local" });
    expect(r.createServiceSql).toMatch(/MIN_INSTANCES = 2\n {2}MAX_INSTANCES = 2/);
  });

  it("a spec holding $$ is quoted as a string literal, not cut short", () => {
    const v = load("workbench");
    v.pod.env[1].value = "a$$b'c";
    const sql = gen(v).createServiceSql;
    expect(sql).not.toContain("FROM SPECIFICATION $$");
    expect(sql).toContain("TZ: a$$b''c");
  });
});
