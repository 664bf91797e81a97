// Job Launcher profiles files (launcher.*.profiles.conf, /etc/rstudio/profiles) rendered as the
// Helm chart's `rstudio-library.profiles.ini.advanced` renders them (rstudio/helm
// charts/rstudio-library/templates/_profiles.tpl, library 0.1.38):
// - sections `[*]`, `[@group]`, `[user]`, each `[name]` then `key=value` lines, sections separated
//   by a blank line (`profiles.ini.singleFile`: `[{{ $parent }}]`, `{{ $key }}={{ $val }}`);
// - a list value is COMMA-JOINED on one line (`profiles.ini.collapse-array`), unlike ini files,
//   where a top-level list repeats the key: `container-images=a,b`;
// - `job-json-overrides: [{name, target, json}]` writes each `json` to `<dir>/<name without
//   spaces>.json` and becomes `"target":"file",...` (`collapse-array` on `{target, file}` maps,
//   `print $filePath ($entry.name | nospace) ".json"`); the `[*]` overrides are prepended to every
//   section that sets its own (`concat $defaultConfig $oneConfig`): the product takes the last
//   matching section's list, it does not merge lists across sections.
// The product reads sections top to bottom and the last match wins, so the order the user wrote
// is kept (the chart sorts: `*`, then `@groups`, then users). Other deliberate differences: no
// leading blank line (the chart starts the file with one), an override listed in `[*]` and again
// in a section is written once in that section (the chart writes it twice, which adds the same
// volume twice), `{target, file}` (an existing file) and native `"target":"file"` strings are
// accepted too, and values the chart would print as `<no value>` or `map[...]` are issues.
import { iniLine } from "./ini.js";
import { formatJson } from "./json.js";
import { IssueList, isMap, placeOf, valueText, type Rendered } from "./values.js";

/** A profiles file plus the job-json-override files its inline `json` overrides need. */
export interface RenderedProfiles extends Rendered {
  files: Array<{ path: string; content: string }>;
}

const OVERRIDES = "job-json-overrides";

/** Render a profiles file; inline `json` overrides are written as `<overridesDir>/<name>.json`. */
export function renderProfiles(body: unknown, place: string, overridesDir = "/etc/rstudio/job-json-overrides"): RenderedProfiles {
  if (typeof body === "string") return { text: body, issues: [], files: [] };
  const issues = new IssueList();
  const files = new Map<string, string>();
  const list = sections(body, place, issues);
  const everyone = list.find(([name]) => name === "*");
  const shared = everyone && isMap(everyone[1]) ? overridePairs(everyone[1][OVERRIDES], placeOf(everyone[2], OVERRIDES), overridesDir, files, issues) : [];
  const blocks: string[] = [];
  for (const [name, value, at] of list) {
    if (!isMap(value)) {
      issues.add(at, `profile section [${name}] must be a map of settings`);
      continue;
    }
    if (!/^(\*|@?[^\s[\]]+)$/.test(name)) issues.add(at, `invalid profile section ${JSON.stringify(name)}: use "*", "@group" or a user name`);
    const lines = [`[${name}]`];
    for (const [k, v] of Object.entries(value)) {
      if (k !== OVERRIDES) {
        const line = profileLine(k, v, placeOf(at, k), issues);
        if (line !== undefined) lines.push(line);
        continue;
      }
      const own = name === "*" ? shared : overridePairs(v, placeOf(at, k), overridesDir, files, issues);
      const pairs = name === "*" ? own : [...shared, ...own.filter((p) => !shared.includes(p))];
      if (pairs.length) lines.push(`${OVERRIDES}=${pairs.join(",")}`);
    }
    blocks.push(lines.join("\n"));
  }
  const text = blocks.length ? blocks.join("\n\n") + "\n" : "";
  return { text, issues: issues.issues, files: [...files].map(([path, content]) => ({ path, content })) };
}

/** `key=value`, a list of values comma-joined (`collapse-array`); undefined with an issue otherwise. */
function profileLine(key: string, value: unknown, at: string, issues: IssueList): string | undefined {
  if (!Array.isArray(value)) {
    const text = valueText(value, at, issues, "an option has one value or a list of values");
    return text === undefined ? undefined : iniLine(key, text, at, issues);
  }
  const texts: string[] = [];
  value.forEach((item, i) => {
    const text = valueText(item, placeOf(at, i), issues, "a list holds single values, which are comma-joined");
    if (text !== undefined) texts.push(text);
  });
  return texts.length === value.length ? iniLine(key, texts.join(","), at, issues) : undefined;
}

function sections(body: unknown, place: string, issues: IssueList): Array<[string, unknown, string]> {
  if (isMap(body)) return Object.entries(body).map(([k, v]) => [k, v, placeOf(place, k)]);
  if (!Array.isArray(body)) {
    issues.add(place, "a profiles file must be text, a map of sections, or a list of single-section maps");
    return [];
  }
  return body.flatMap((item, i): Array<[string, unknown, string]> => {
    if (isMap(item)) return Object.entries(item).map(([k, v]) => [k, v, placeOf(placeOf(place, i), k)]);
    issues.add(placeOf(place, i), "each list item must be a map of one section");
    return [];
  });
}

/** The `"target":"file"` pairs of one section's overrides; inline JSON is collected into `files`. */
function overridePairs(list: unknown, at: string, dir: string, files: Map<string, string>, issues: IssueList): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    issues.add(at, "job-json-overrides must be a list of {target, file} or {target, name, json}");
    return [];
  }
  return list.flatMap((o, i): string[] => {
    if (typeof o === "string") return [o]; // already in the native syntax
    if (isMap(o) && typeof o.target === "string" && typeof o.file === "string") return [`${JSON.stringify(o.target)}:${JSON.stringify(o.file)}`];
    if (isMap(o) && typeof o.target === "string" && typeof o.name === "string" && o.json !== undefined) {
      const name = o.name.replace(/\s+/g, "");
      if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
        issues.add(placeOf(at, i), `override name ${JSON.stringify(o.name)} must be usable as a file name`);
        return [];
      }
      const path = `${dir}/${name}.json`;
      const content = formatJson(o.json);
      if (files.has(path) && files.get(path) !== content) issues.add(placeOf(at, i), `two job-json-overrides named ${JSON.stringify(o.name)} with different json`);
      files.set(path, content);
      return [`${JSON.stringify(o.target)}:${JSON.stringify(path)}`];
    }
    issues.add(placeOf(at, i), "a job-json-override needs `target` (a JSON pointer) and either `file` or `name` + `json`");
    return [];
  });
}
