// Workbench's `config:` through the product: the charts' own values files (test/fixtures/charts)
// parsed as a foyer spec, planned by the workbench product, give the files the chart would mount,
// with the chart's modes; the sections the renderer tests leave to the product (database,
// existingSecrets, sssd, pam, startup*) become files, secret sources and programs.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { planInit, type Action, type WriteFileAction } from "../../../src/plan/index.js";
import { productFor } from "../../../src/products/registry.js";
import { specSchemaFor } from "../../../src/products/spec-schema.js";
import { loadSpecCollecting } from "../../../src/spec/load.js";
import { parseYamlSource } from "../../../src/spec/parse.js";
import type { Spec } from "../../../src/spec/schema.js";

const ROOT = join(import.meta.dirname, "../../fixtures/charts");
const workbench = productFor("workbench");
const writes = (actions: Action[]) => actions.filter((a): a is WriteFileAction => a.kind === "write-file");

/** A chart values file as a foyer spec (its `config:` block), validated with Workbench's schema. */
function specFromValues(text: string): Spec {
  const parsed = parseYamlSource(text, "values.yaml");
  expect(parsed.issues).toEqual([]);
  const r = specSchemaFor(workbench).safeParse(parsed.data);
  if (!r.success) throw new Error(JSON.stringify(r.error.issues));
  return r.data as Spec;
}

function expectedFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(join(dir, "expected"), p), readFileSync(p, "utf8"));
    }
  };
  walk(join(dir, "expected"));
  return out;
}

const SECTION_MODES: Record<string, number> = { server: 0o644, session: 0o644, serverDcf: 0o644, profiles: 0o644, secret: 0o600, sessionSecret: 0o420 };

describe("the charts' Workbench values through the workbench product", () => {
  const fixtures = readdirSync(ROOT).filter((n) => n.startsWith("workbench-"));
  test.each(fixtures)("%s: every expected file at /etc/rstudio with the chart's mode", (name) => {
    const spec = specFromValues(readFileSync(join(ROOT, name, "values.yaml"), "utf8"));
    const secrets = new Map([["k8s.x", "unused-secret-value"]]);
    const r = planInit({ spec, secrets, env: {}, product: workbench });
    expect(r.issues).toEqual([]);
    const byPath = new Map(writes(r.actions).map((w) => [w.path, w]));
    for (const [rel, text] of expectedFiles(join(ROOT, name))) {
      const [section, ...rest] = rel.split("/");
      const path = section === "job-json-overrides" ? `/etc/rstudio/job-json-overrides/${rest.join("/")}` : `/etc/rstudio/${rest.join("/")}`;
      const w = byPath.get(path);
      expect(w, `${rel} → ${path}`).toBeDefined();
      expect(w!.content, rel).toBe(text);
      if (section !== "job-json-overrides") expect(w!.mode.toString(8), rel).toBe(SECTION_MODES[section!]!.toString(8));
    }
  });

  test("ci-complex: userProvisioning → /etc/sssd/conf.d 0600 root, pam → /etc/pam.d, startupCustom's garbage is a warning", () => {
    const text = readFileSync(join(ROOT, "workbench-ci-complex", "values.yaml"), "utf8");
    const spec = specFromValues(text);
    const r = planInit({ spec, secrets: new Map(), env: {}, product: workbench });
    const w = new Map(writes(r.actions).map((a) => [a.path, a]));
    expect(w.get("/etc/sssd/conf.d/some-value.conf.test")).toMatchObject({ content: "some-value\n", mode: 0o600, owner: "0:0", secret: true });
    expect(r.actions).toContainEqual(expect.objectContaining({ kind: "ensure-dir", path: "/etc/sssd/conf.d", owner: "0:0" }));
    expect(w.get("/etc/pam.d/pam-example-2")).toMatchObject({ content: "account some_thing.so\nsession something_else.so\n", mode: 0o644 });
    expect(w.get("/etc/pam.d/pam-example")!.content).toBe("# somekey\naccount some_thing.so\n\n# anotherkey\nsession some_other_thing.so\n");
    const loaded = loadSpecCollecting({ specFlag: "/v.yaml", env: { FOYER__profile: "workbench" }, read: () => text, exists: (p: string) => p === "/s.yaml" || p === "/spec.yaml" || p === "/v.yaml" });
    expect(loaded.issues).toEqual([]);
    expect(loaded.loaded!.spec.programs.sssd!.command).toEqual(["/usr/sbin/sssd", "-i", "-c", "/etc/sssd/sssd.conf", "--logger=stderr"]);
    expect(loaded.loaded!.warnings).toContainEqual(expect.objectContaining({ path: "config.startupCustom.somefile.conf.test", message: expect.stringContaining("line 1") }));
  });
});

describe("Workbench config: shapes", () => {
  const plan = (yaml: string, secrets: Record<string, string> = {}) => {
    const spec = specFromValues(yaml);
    return planInit({ spec, secrets: new Map(Object.entries(secrets)), env: {}, product: workbench });
  };
  const load = (yaml: string, env: Record<string, string> = {}) =>
    loadSpecCollecting({ specFlag: "/s.yaml", env: { FOYER__profile: "workbench", ...env }, read: (p) => (p === "/s.yaml" ? yaml : enoent(p)), exists: (p: string) => p === "/s.yaml" || p === "/spec.yaml" || p === "/v.yaml" });
  const enoent = (p: string): never => {
    throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
  };

  test("defaultMode is read as Helm reads it: unquoted 0755 is octal under config:, a single mode still works", () => {
    const r = plan("config:\n  defaultMode: {server: 0640, secret: 0400}\n  server: {a.conf: {x: 1}}\n  secret: {b.conf: {y: 2}}\n");
    expect(writes(r.actions).map((w) => [w.path, w.mode.toString(8)])).toEqual([["/etc/rstudio/a.conf", "640"], ["/etc/rstudio/b.conf", "400"]]);
    const single = plan('config:\n  defaultMode: "0640"\n  server: {a.conf: {x: 1}}\n  secret: {b.conf: {y: 2}}\n');
    expect(writes(single.actions).map((w) => w.mode.toString(8))).toEqual(["640", "600"]);
  });

  test("outside modes, an octal-looking value under config: keeps its text (Helm would print 83)", () => {
    const r = plan("config:\n  server: {rserver.conf: {some-id: 0123, www-port: 8787}}\n");
    expect(writes(r.actions)[0]!.content).toBe("some-id=0123\nwww-port=8787\n");
  });

  test("database.conf: value → 0600 file, masked like a secret; existingSecret wins and reads the mounted Secret", () => {
    const inline = load("config:\n  database:\n    conf:\n      value: |\n        provider=postgresql\n        password=pg-Sup3r-secret\n");
    expect(inline.issues).toEqual([]);
    const l = inline.loaded!;
    expect(l.redactor.redact("password=pg-Sup3r-secret")).not.toContain("pg-Sup3r-secret");
    const r = planInit({ spec: l.spec, secrets: l.secrets.values, env: {}, product: workbench });
    expect(writes(r.actions).find((w) => w.path === "/etc/rstudio/database.conf")).toMatchObject({ mode: 0o600, secret: true, content: "provider=postgresql\npassword=pg-Sup3r-secret\n" });
    const ref = load("config:\n  database: {conf: {existingSecret: wb-db, value: ignored-because-existingSecret}}\n");
    expect(ref.loaded?.spec.secrets["k8s.wb-db.database.conf"] ?? ref.issues).toMatchObject({ k8s: "/mnt/secrets/wb-db", key: "database.conf" });
    expect(ref.issues.map((i) => i.path)).toEqual(["secrets.k8s.wb-db.database.conf"]); // not mounted here
  });

  test("existingSecrets: each item is a secret source in <existingSecretsDir>/<name> and a 0600 file in the config dir", () => {
    const yaml = "config:\n  existingSecretsDir: /run/k8s\n  existingSecrets:\n    - name: oidc\n      items:\n        - {key: client-secret, path: openid-client-secret}\n        - {key: other, path: other.conf, mode: 0640}\n";
    const spec = specFromValues(yaml);
    const r = planInit({ spec, secrets: new Map([["k8s.oidc.client-secret", "oidc-client-Secret-1"], ["k8s.oidc.other", "other-value-123"]]), env: {}, product: workbench });
    expect(r.issues).toEqual([]);
    expect(writes(r.actions).map((w) => [w.path, w.content, w.mode.toString(8), w.secret])).toEqual([
      ["/etc/rstudio/openid-client-secret", "oidc-client-Secret-1", "600", true],
      ["/etc/rstudio/other.conf", "other-value-123", "640", true],
    ]);
    const loaded = load(yaml);
    expect(loaded.loaded?.spec.secrets["k8s.oidc.client-secret"] ?? loaded.issues).toMatchObject({ k8s: "/run/k8s/oidc", key: "client-secret" });
  });

  test("sssd: conf wins over the deprecated userProvisioning; enabled: false writes nothing and starts nothing", () => {
    const both = plan("config:\n  sssd: {conf: {ldap.conf: {domain/x: {id_provider: ldap}}}}\n  userProvisioning: {old.conf: 'x'}\n");
    expect(writes(both.actions).map((w) => w.path)).toEqual(["/etc/sssd/conf.d/ldap.conf"]);
    expect(writes(both.actions)[0]!.content).toBe("[domain/x]\nid_provider=ldap\n");
    const off = load("config:\n  sssd: {enabled: false, conf: {ldap.conf: 'x'}}\n");
    expect(off.loaded!.spec.programs.sssd).toBeUndefined();
    expect(writes(planInit({ spec: off.loaded!.spec, secrets: new Map(), env: {}, product: workbench }).actions).some((w) => w.path.startsWith("/etc/sssd"))).toBe(false);
    const envOff = load("config:\n  sssd: {conf: {ldap.conf: 'x'}}\n", { RSW_SSSD: "false" });
    expect(envOff.loaded!.spec.programs.sssd).toBeUndefined();
    expect(envOff.loaded!.warnings[0]!.message).toContain("RSW_SSSD=false");
  });

  test("startupCustom: a supervisord program runs as a foyer program; a name the preset uses is an issue", () => {
    const ok = load("config:\n  startupCustom:\n    monitor.conf: |\n      [program:monitor]\n      command=/usr/local/bin/monitor --port 9100\n      user=rstudio-server\n      autorestart=true\n      stopsignal=INT\n      stdout_logfile=/var/log/monitor.log\n");
    expect(ok.issues).toEqual([]);
    expect(ok.loaded!.spec.programs.monitor).toMatchObject({ command: ["/usr/local/bin/monitor", "--port", "9100"], user: "rstudio-server", restart: "always", stop: { signal: "INT" } });
    expect(ok.loaded!.warnings.map((w) => w.path)).toContain("config.startupCustom.monitor.conf");
    const clash = load("config:\n  startupCustom:\n    x.conf: |\n      [program:rserver]\n      command=/bin/true\n");
    expect(clash.issues).toContainEqual(expect.objectContaining({ path: "programs.rserver", message: expect.stringContaining("workbench config") }));
  });

  test("a misspelt chart key gets the chart's name", () => {
    const r = load("config:\n  startupCustum: {}\n");
    expect(r.issues[0]!.message).toContain('did you mean "startupCustom"');
  });
});

describe("profile: workbench is the chart's defaults", () => {
  const load = (yaml: string) => loadSpecCollecting({ specFlag: "/s.yaml", env: {}, read: () => yaml, exists: (p: string) => p === "/s.yaml" || p === "/spec.yaml" || p === "/v.yaml" });
  const planOf = (yaml: string) => {
    const r = load(yaml);
    expect(r.issues).toEqual([]);
    const l = r.loaded!;
    return planInit({ spec: l.spec, secrets: l.secrets.values, env: {} });
  };

  test("no config: gives exactly the files of the chart's values.yaml, with its modes", () => {
    const r = planOf("profile: workbench\n");
    expect(r.issues).toEqual([]);
    const expected = expectedFiles(join(ROOT, "workbench-values"));
    const got = new Map(writes(r.actions).map((w) => [w.path, w]));
    expect([...got.keys()].sort()).toEqual([...expected.keys()].map((k) => `/etc/rstudio/${k.split("/")[1]}`).sort());
    for (const [rel, text] of expected) expect(got.get(`/etc/rstudio/${rel.split("/")[1]}`)!.content, rel).toBe(text);
  });

  test("a values file merges as Helm merges: maps key by key, lists and scalars replaced, null removes", () => {
    const r = planOf(
      "profile: workbench\nconfig:\n  server:\n    rserver.conf: {www-port: 8080, audited-jobs: null}\n    vscode.conf: null\n  serverDcf:\n    launcher-mounts: [{MountType: Host, Path: /home, MountPath: /home}]\n",
    );
    const got = new Map(writes(r.actions).map((w) => [w.path, w.content]));
    const rserver = got.get("/etc/rstudio/rserver.conf")!;
    expect(rserver).toContain("www-port=8080\n");
    expect(rserver).toContain("launcher-default-cluster=Kubernetes\n"); // the chart's, kept
    expect(rserver).not.toContain("audited-jobs");
    expect(got.has("/etc/rstudio/vscode.conf")).toBe(false);
    expect(got.get("/etc/rstudio/launcher-mounts")).toBe("MountType: Host\nPath: /home\nMountPath: /home\n");
  });
});

describe("Job Launcher templates", () => {
  const JOB = "# Version: 1\napiVersion: batch/v1\nkind: Job\n";
  const load = (yaml: string) => loadSpecCollecting({ specFlag: "/s.yaml", env: {}, read: () => yaml, exists: (p) => p === "/s.yaml" });
  const planOf = (config: string) => {
    const r = load(`profile: workbench\nconfig:\n${config}`);
    expect(r.issues).toEqual([]);
    return planInit({ spec: r.loaded!.spec, secrets: r.loaded!.secrets.values, env: {} });
  };

  test("written to the scratch-path (default, or launcher.kubernetes.conf's), as given", () => {
    const r = planOf(`  launcherTemplates:\n    job.tpl: ${JSON.stringify(JOB)}\n`);
    expect(r.issues).toEqual([]);
    expect(writes(r.actions).find((w) => w.path === "/var/lib/rstudio-launcher/Kubernetes/job.tpl")).toMatchObject({ content: JOB, mode: 0o644 });
    const moved = planOf(`  server:\n    launcher.kubernetes.conf: {scratch-path: /data/launcher, use-templating: 1}\n  launcherTemplates:\n    job.tpl: ${JSON.stringify(JOB)}\n`);
    expect(writes(moved.actions).some((w) => w.path === "/data/launcher/job.tpl")).toBe(true);
  });

  test("a job.tpl without its # Version comment is an error; an included template needs none", () => {
    const r = planOf(`  launcherTemplates:\n    job.tpl: "apiVersion: batch/v1\\n"\n    custom.tpl: "labels: {}\\n"\n`);
    expect(r.issues).toEqual([expect.objectContaining({ path: "config.launcherTemplates.job.tpl", message: expect.stringContaining('"# Version: 1"') })]);
  });
});
