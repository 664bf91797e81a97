// Product key validation: unknown option names with a did-you-mean, wrong value types, in text and
// structured bodies; and zero warnings on real configs from Posit's charts and images.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { catalogFor, CATALOGS, checkAgainst, checkProductOptions, parseBody } from "../../../src/products/options/index.js";

/** Issues as if the catalog were complete: empty only when every name written is a known one. */
function strictIssues(file: string, body: unknown) {
  const catalog = catalogFor(file)!;
  return checkAgainst({ ...catalog, complete: true }, parseBody(catalog, body, "x"));
}

const FIXTURES = join(import.meta.dirname, "../../fixtures");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? filesUnder(join(dir, f)) : [join(dir, f)]));
}

describe("real configs from Posit give zero warnings", () => {
  it("every file of Posit's images (rstudio-docker-products) and the seed's rserver.conf", () => {
    const files = filesUnder(join(FIXTURES, "posit-images")).filter((f) => catalogFor(f.replace(/seed-000-/, "")));
    expect(files.length).toBe(16); // README.md is not a config file
    for (const f of files) {
      const name = f.replace(/seed-000-/, "");
      expect({ f: relative(FIXTURES, f), issues: checkProductOptions(name, readFileSync(f, "utf8"), "fixture") }).toEqual({ f: relative(FIXTURES, f), issues: [] });
      // and not merely because a partial catalog lets unknown names through: every name is known
      expect({ f: relative(FIXTURES, f), issues: strictIssues(name, readFileSync(f, "utf8")) }).toEqual({ f: relative(FIXTURES, f), issues: [] });
    }
  });

  it("every golden file the charts render (text) and every chart `config:` block (structured)", () => {
    const charts = join(FIXTURES, "charts");
    let checked = 0;
    for (const f of filesUnder(charts).filter((p) => p.includes("/expected/") && catalogFor(p))) {
      expect({ f: relative(charts, f), issues: checkProductOptions(f, readFileSync(f, "utf8"), "expected") }).toEqual({ f: relative(charts, f), issues: [] });
      expect({ f: relative(charts, f), issues: strictIssues(f, readFileSync(f, "utf8")) }).toEqual({ f: relative(charts, f), issues: [] });
      checked++;
    }
    for (const fixture of readdirSync(charts).filter((d) => statSync(join(charts, d)).isDirectory())) {
      const config = (parse(readFileSync(join(charts, fixture, "values.yaml"), "utf8"), { version: "1.1" }) as { config: Record<string, unknown> }).config;
      if (fixture.startsWith("connect-") || fixture.startsWith("pm-")) {
        const file = fixture.startsWith("pm-") ? "rstudio-pm.gcfg" : "rstudio-connect.gcfg";
        expect({ fixture, issues: checkProductOptions(file, config, "config") }).toEqual({ fixture, issues: [] });
        checked++;
        continue;
      }
      for (const section of ["server", "session", "secret", "sessionSecret", "profiles"]) {
        for (const [file, body] of Object.entries((config[section] ?? {}) as Record<string, unknown>)) {
          if (!catalogFor(file)) continue;
          expect({ fixture, file, issues: checkProductOptions(file, body, `config.${section}.${file}`) }).toEqual({ fixture, file, issues: [] });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(30);
  });
});

describe("unknown option names", () => {
  it("a misspelt rserver.conf key in a verbatim body: its line and the right name", () => {
    const issues = checkProductOptions("rserver.conf", "www-port=8787\nlauncher-sesions-enabled=1\n", "config.server.rserver.conf");
    expect(issues).toEqual([{ path: "config.server.rserver.conf", where: "line 2", message: "unknown option launcher-sesions-enabled in rserver.conf; did you mean launcher-sessions-enabled?" }]);
  });

  it("the same in a structured body names the spec path", () => {
    const issues = checkProductOptions("rserver.conf", { "www-port": 8787, "admin-enabld": 1 }, "config.server.rserver.conf");
    expect(issues).toEqual([{ path: "config.server.rserver.conf.admin-enabld", message: "unknown option admin-enabld in rserver.conf; did you mean admin-enabled?" }]);
  });

  it("a complete catalog (launcher.kubernetes.conf, the seed's table) reports every unknown name", () => {
    const issues = checkProductOptions("/etc/rstudio/launcher.kubernetes.conf", "kubernetes-namespace=rstudio\nuse-templates=1\nfoo=bar\n", "f");
    expect(issues.map((i) => i.message)).toEqual([
      "unknown option use-templates in launcher.kubernetes.conf; did you mean use-templating?",
      "unknown option foo in launcher.kubernetes.conf",
    ]);
  });

  it("a partial catalog (rserver.conf's Workbench options) warns about every unknown name, and says it may be a real one", () => {
    const far = checkProductOptions("rserver.conf", "some-future-option=1\n", "f");
    expect(far).toHaveLength(1);
    expect(far[0]!.message).toMatch(/unknown option some-future-option in rserver\.conf \(foyer's list for rserver\.conf is not complete/);
    const near = checkProductOptions("rserver.conf", "www-prot=1\n", "f");
    expect(near.map((i) => i.message)).toEqual(["unknown option www-prot in rserver.conf; did you mean www-port?"]);
  });

  it("sections: launcher.conf knows [server] and [cluster]; rserver.conf has none", () => {
    expect(checkProductOptions("launcher.conf", "[servr]\naddress=x\n[cluster]\nnme=Local\n", "f").map((i) => [i.where, i.message])).toEqual([
      ["line 1", "unknown section [servr] in launcher.conf; did you mean [server]?"],
      ["line 4", "unknown option nme in [cluster] of launcher.conf; did you mean name?"],
    ]);
    expect(checkProductOptions("launcher.conf", "address=x\n", "f")[0]?.message).toBe("address is outside any section: launcher.conf options belong to a [section]");
    expect(checkProductOptions("rserver.conf", "[server]\nwww-port=1\n", "f")[0]?.message).toMatch(/rserver.conf has no sections/);
  });

  it("a line that is not key=value", () => {
    expect(checkProductOptions("jupyter.conf", "labs-enabled 1\n", "f")).toEqual([{ path: "f", where: "line 1", message: '"labs-enabled 1" is neither a [section] nor key=value' }]);
  });
});

describe("gcfg (Connect, Package Manager)", () => {
  it("a misspelt section and key, case-insensitive names, inline comments and subsections", () => {
    const text = '[Servr]\nAddress = x\n[server]\naddress = x ; the URL\nAdress = y\n[RPackageRepository "CRAN"]\nURL = "https://a;b"\n';
    expect(checkProductOptions("rstudio-connect.gcfg", text, "f").map((i) => [i.where, i.message])).toEqual([
      ["line 1", "unknown section [Servr] in rstudio-connect.gcfg; did you mean [Server]?"],
      ["line 5", "unknown option Adress in [server] of rstudio-connect.gcfg; did you mean Address?"],
    ]);
  });

  it("structured, as the charts' config: block", () => {
    const issues = checkProductOptions("rstudio-pm.gcfg", { HTTP: { Listn: ":4242" }, 'Gti "x"': {} }, "config.gcfg.rstudio-pm.gcfg");
    expect(issues).toEqual([
      { path: 'config.gcfg.rstudio-pm.gcfg.Gti "x"', message: "unknown section [Gti] in rstudio-pm.gcfg; did you mean [Git]?" },
      { path: "config.gcfg.rstudio-pm.gcfg.HTTP.Listn", message: "unknown option Listn in [HTTP] of rstudio-pm.gcfg; did you mean Listen?" },
    ]);
  });

  it("a key outside any section", () => {
    expect(checkProductOptions("rstudio-pm.gcfg", "Address = x\n", "f")[0]?.message).toBe("Address is outside any [Section]: gcfg options belong to a section");
  });
});

describe("value types", () => {
  it("bool, int and float options refuse other text; empty and templated values are not judged", () => {
    const text = "launcher-sessions-enabled=yes please\nlauncher-port=55x9\nwww-thread-pool-size=\nauth-timeout-minutes={{ env \"T\" }}\nadmin-enabled=true\n";
    expect(checkProductOptions("rserver.conf", text, "f").map((i) => i.message)).toEqual([
      'launcher-sessions-enabled: "yes please" is not a boolean (write 1 or 0)',
      'launcher-port: "55x9" is not a whole number',
    ]);
    expect(checkProductOptions("logging.conf", { "*": { "max-size-mb": "ten" } }, "c")).toEqual([{ path: "c.*.max-size-mb", message: 'max-size-mb: "ten" is not a number' }]);
  });

  it("a list body repeats the key: each value is checked", () => {
    expect(checkProductOptions("rsession.conf", { "session-timeout-minutes": [60, "x"] }, "c").map((i) => i.message)).toEqual(['session-timeout-minutes: "x" is not a whole number']);
  });
});

describe("catalogs", () => {
  it("each names its sources, and every file of the issue has one", () => {
    const files = CATALOGS.map((c) => c.file);
    for (const f of ["rserver.conf", "rsession.conf", "launcher.conf", "launcher.kubernetes.conf", "launcher.kubernetes.profiles.conf", "jupyter.conf", "vscode.conf", "positron.conf", "database.conf", "logging.conf", "rstudio-connect.gcfg", "rstudio-pm.gcfg"]) {
      expect(files).toContain(f);
    }
    for (const c of CATALOGS) expect(c.sources.length).toBeGreaterThan(0);
  });
});

describe("checkProductConfig (the validation stage's entry point)", () => {
  it("sends the Kubernetes profiles file to the Launcher's rules and the rest to the catalogs", async () => {
    const { checkProductConfig } = await import("../../../src/products/check-config.js");
    expect(checkProductConfig("launcher.kubernetes.profiles.conf", "[*]\ncpu-request-ratio=2\n", "p").map((i) => i.message)).toEqual([
      "cpu-request-ratio in [*]: 2 is outside (0, 1]: the request is this fraction of the limit",
    ]);
    const missing = checkProductConfig("/etc/rstudio/launcher.kubernetes.profiles.conf", '[*]\njob-json-overrides="/a":"/x.json"\n', "p", { overrideFile: () => "does not exist" });
    expect(missing.map((i) => i.message)).toEqual(["job-json-overrides in [*]: file /x.json does not exist"]);
    expect(checkProductConfig("vscode.conf", "enabledd=1\n", "p").map((i) => i.message)).toEqual(["unknown option enabledd in vscode.conf; did you mean enabled?"]);
    expect(checkProductConfig("odbc.ini", "[x]\nanything=1\n", "p")).toEqual([]);
  });
});

describe("checkConfigFiles (a whole config: block)", () => {
  it("the Workbench chart's own values give nothing; typos in several files are all reported with their paths", async () => {
    const { checkConfigFiles } = await import("../../../src/products/check-config.js");
    for (const fixture of ["workbench-values", "workbench-ci-complex", "workbench-example-recommended", "workbench-overrides"]) {
      const config = (parse(readFileSync(join(FIXTURES, "charts", fixture, "values.yaml"), "utf8"), { version: "1.1" }) as { config: Record<string, unknown> }).config;
      expect({ fixture, issues: checkConfigFiles(config) }).toEqual({ fixture, issues: [] });
    }
    const issues = checkConfigFiles({
      dir: "/etc/rstudio",
      server: { "rserver.conf": { "www-prot": 8787 }, "launcher.conf": "[server]\naddres=x\n" },
      session: { "rsession.conf": { "session-timeout-minute": 60 } },
      profiles: { "launcher.kubernetes.profiles.conf": { "*": { "memory-request-ratio": 0 } } },
      serverDcf: { "launcher-mounts": [{ Whatever: "x" }] },
    });
    expect(issues.map((i) => [i.path, i.where ?? ""])).toEqual([
      ["config.server.rserver.conf.www-prot", ""],
      ["config.server.launcher.conf", "line 2"],
      ["config.session.rsession.conf.session-timeout-minute", ""],
      ["config.profiles.launcher.kubernetes.profiles.conf.*.memory-request-ratio", ""],
    ]);
  });
});
