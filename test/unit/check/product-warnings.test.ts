// Product key validation in the validation stage: unknown option names are warnings (did-you-mean),
// `--strict` makes them errors; the charts' own values give none.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { SCOPES, validateForCommand } from "../../../src/check/index.js";
import { ConfigError } from "../../../src/errors.js";

const ROOT = join(import.meta.dirname, "../../fixtures/charts");
const stage = (yaml: string, env: Record<string, string> = {}, strict = false) =>
  validateForCommand({
    load: { specFlag: "/spec.yaml", env, read: (p) => (p === "/spec.yaml" ? yaml : (() => { throw Object.assign(new Error("ENOENT"), { code: "ENOENT" }); })()), exists: (p: string) => p === "/s.yaml" || p === "/spec.yaml" || p === "/v.yaml" },
    scope: { ...SCOPES.render, ...(strict ? { strict: true } : {}) },
  });

describe("product warnings in the validation stage", () => {
  test("a misspelt rserver.conf option is a warning with a did-you-mean, located in the spec", async () => {
    const v = await stage("profile: workbench\nconfig:\n  server:\n    rserver.conf:\n      www-prot: 8080\n");
    expect(v.warnings).toEqual([expect.objectContaining({ path: "config.server.rserver.conf.www-prot", message: expect.stringContaining("www-port"), where: "/spec.yaml:5:17" })]);
  });

  test("--strict makes every warning an error (ConfigError, exit 78), saying so", async () => {
    const err = await stage("profile: workbench\nconfig:\n  server:\n    rserver.conf:\n      www-prot: 8080\n", {}, true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(78);
    expect((err as ConfigError).message).toMatch(/www-prot[\s\S]*--strict/);
  });

  test("what a startup file loses in translation is a warning, not an error", async () => {
    const v = await stage("profile: workbench\nconfig:\n  startupCustom:\n    m.conf: |\n      [program:m]\n      command=/bin/m\n      stdout_logfile=/var/log/m.log\n");
    expect(new Set(v.warnings.map((w) => w.path))).toEqual(new Set(["config.startupCustom.m.conf"]));
    expect(v.warnings.map((w) => w.message).join("\n")).toContain("/var/log/m.log");
  });

  test("profile: workbench alone, and every chart values file over it, give zero warnings", async () => {
    expect((await stage("profile: workbench\n")).warnings).toEqual([]);
    for (const name of readdirSync(ROOT).filter((n) => n.startsWith("workbench-"))) {
      const values = readFileSync(join(ROOT, name, "values.yaml"), "utf8");
      // ci-complex's fake startup file and fake sssd file are the chart CI's own placeholders
      const v = await stage(values, { FOYER__profile: "workbench" });
      expect(v.warnings.filter((w) => !w.path.startsWith("config.startupCustom")), name).toEqual([]);
    }
  });
});

describe("Workbench readiness ports", () => {
  test("www-port moved without the probe: a warning naming both; moved together: none", async () => {
    const moved = await stage("profile: workbench\nconfig:\n  server:\n    rserver.conf: {www-port: 8080}\n    launcher.conf: {server: {port: 5600}}\n");
    expect(moved.warnings.map((w) => w.path)).toEqual(["config.server.rserver.conf.www-port", "config.server.launcher.conf.server.port"]);
    expect(moved.warnings[0]!.message).toContain("probes port 8787");
    const both = await stage("profile: workbench\nconfig:\n  server:\n    rserver.conf: {www-port: 8080}\nprograms:\n  rserver:\n    ready: {http: 'http://127.0.0.1:8080/health-check'}\n");
    expect(both.warnings).toEqual([]);
  });
});

describe("Job Launcher templates", () => {
  test("templates without use-templating=1 would be ignored: a warning; with it, none", async () => {
    const job = JSON.stringify("# Version: 1\nkind: Job\n");
    const off = await stage(`profile: workbench\nconfig:\n  launcherTemplates:\n    job.tpl: ${job}\n`);
    expect(off.warnings.map((w) => w.path)).toEqual(["config.launcherTemplates"]);
    const on = await stage(`profile: workbench\nconfig:\n  server:\n    launcher.kubernetes.conf: {use-templating: 1}\n  launcherTemplates:\n    job.tpl: ${job}\n`);
    expect(on.warnings).toEqual([]);
  });
});
