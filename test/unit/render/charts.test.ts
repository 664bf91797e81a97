// Golden tests from the Posit Helm charts' own values (test/fixtures/charts/*): each fixture's
// `config:` block is rendered by foyer's renderers and must give exactly the files in its
// `expected/` folder, which were written by hand from the charts' renderer templates (see each
// fixture's DERIVATION.md and test/fixtures/charts/README.md). Where a fixture also holds real
// `helm template` output (chart-output.yaml), foyer renders the same values with their keys sorted
// as Go templates iterate them, and must match Helm's bytes up to the documented differences.
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { formatJson, isMap, renderDcf, renderGcfg, renderIni, renderProfiles, type Rendered } from "../../../src/render/index.js";

const ROOT = join(import.meta.dirname, "../../fixtures/charts");
const OVERRIDES_DIR = "/etc/rstudio/job-json-overrides";

type Renderer = (body: unknown, place: string) => Rendered;
/** Workbench `config:` sections these renderers own, and their format. */
const WORKBENCH: Record<string, Renderer> = { server: renderIni, session: renderIni, secret: renderIni, sessionSecret: renderIni, serverDcf: renderDcf };
/** Workbench `config:` keys rendered by later slices of issue 9 (named, so nothing is skipped silently). */
const LATER = new Set(["defaultMode", "database", "existingSecrets", "userProvisioning", "sssd", "startupCustom", "startupUserProvisioning", "pam"]);

/** Helm reads values as YAML 1.1 (so `0755` is octal 493), which is what the chart's renderer saw. */
function loadConfig(dir: string): Record<string, unknown> {
  const doc = parse(readFileSync(join(dir, "values.yaml"), "utf8"), { version: "1.1" }) as { config: Record<string, unknown> };
  return doc.config;
}

/** Every file foyer renders for a fixture (path relative to `expected/` → text), plus all issues. */
function renderFixture(name: string, config: Record<string, unknown>): { files: Map<string, string>; issues: unknown[] } {
  const files = new Map<string, string>();
  const issues: unknown[] = [];
  const add = (path: string, r: Rendered) => {
    files.set(path, r.text);
    issues.push(...r.issues);
  };
  if (name.startsWith("connect-")) add("rstudio-connect.gcfg", renderGcfg(config, "config"));
  else if (name.startsWith("pm-")) add("rstudio-pm.gcfg", renderGcfg(config, "config"));
  else {
    for (const [section, body] of Object.entries(config)) {
      if (LATER.has(section) || body === null) continue; // Helm ranges over a null section as over nothing
      if (!isMap(body)) throw new Error(`config.${section} is not a map`);
      for (const [file, content] of Object.entries(body)) {
        const place = `config.${section}.${file}`;
        if (section === "profiles") {
          const r = renderProfiles(content, place, OVERRIDES_DIR);
          add(`profiles/${file}`, r);
          for (const f of r.files) files.set(`job-json-overrides/${relative(OVERRIDES_DIR, f.path)}`, f.content);
        } else if (WORKBENCH[section]) {
          add(`${section}/${file}`, file.endsWith(".json") && isMap(content) ? { text: formatJson(content), issues: [] } : WORKBENCH[section](content, place));
        } else {
          throw new Error(`config.${section} is neither rendered here nor listed as a later slice`);
        }
      }
    }
  }
  return { files, issues };
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

/** A deep copy with every map's keys in Go's sorted order (how the chart iterates maps). */
function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isMap(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys(v[k])]));
}

const fixtures = readdirSync(ROOT).filter((n) => statSync(join(ROOT, n)).isDirectory()).sort();

describe("golden files from the Posit charts' own values", () => {
  test("every product has fixtures", () => {
    for (const product of ["workbench-", "connect-", "pm-"]) expect(fixtures.filter((f) => f.startsWith(product)).length).toBeGreaterThanOrEqual(2);
  });

  for (const name of fixtures) {
    test(`${name}: foyer renders exactly the files derived from the chart's templates, with no issue`, () => {
      const dir = join(ROOT, name);
      const { files, issues } = renderFixture(name, loadConfig(dir));
      expect(issues).toEqual([]);
      const expected = expectedFiles(dir);
      expect([...files.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [path, text] of expected) expect({ path, text: files.get(path) }).toEqual({ path, text });
    });
  }

  for (const name of fixtures.filter((n) => existsSync(join(ROOT, n, "chart-output.yaml")))) {
    test(`${name}: with keys sorted as Go iterates them, foyer matches Helm's real output`, () => {
      const dir = join(ROOT, name);
      const chart = parse(readFileSync(join(dir, "chart-output.yaml"), "utf8")) as Record<string, Record<string, string>>;
      const { files } = renderFixture(name, sortedKeys(loadConfig(dir)) as Record<string, unknown>);
      let compared = 0;
      for (const [section, entries] of Object.entries(chart)) {
        for (const [file, helmText] of Object.entries(entries)) {
          // The one normalisation, DCF only: Helm prints a blank line before every map-valued field,
          // which puts an empty line at the top of a record and doubles the blank line between
          // records; foyer never writes a blank line inside or before a record.
          const want = section === "serverDcf" ? helmText.replace(/^\n+/, "").replace(/\n{3,}/g, "\n\n") : helmText;
          expect({ file, text: files.get(`${section}/${file}`) }).toEqual({ file, text: want });
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});
