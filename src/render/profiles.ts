// Job Launcher profiles files (launcher.*.profiles.conf, /etc/rstudio/profiles): sections `[*]`,
// `[@group]` and `[user]`, read top to bottom with the last match winning, so the order the user
// wrote is kept (the Helm chart sorts it). Lists are comma-joined; `job-json-overrides` lists of
// `{target, file}` become the native `"target":"file",...` syntax.
import { keyValue } from "./ini.js";
import { IssueList, isMap, placeOf, type Rendered } from "./values.js";

/** Render a profiles file: a map (or list of single-entry maps) of sections; a string is verbatim. */
export function renderProfiles(body: unknown, place: string): Rendered {
  if (typeof body === "string") return { text: body, issues: [] };
  const issues = new IssueList();
  const blocks: string[] = [];
  for (const [name, value, at] of sections(body, place, issues)) {
    if (!isMap(value)) {
      issues.add(at, `profile section [${name}] must be a map of settings`);
      continue;
    }
    if (!/^(\*|@?[^\s[\]]+)$/.test(name)) issues.add(at, `invalid profile section ${JSON.stringify(name)}: use "*", "@group" or a user name`);
    const lines = [`[${name}]`];
    for (const [k, v] of Object.entries(value)) {
      const line = k === "job-json-overrides" && Array.isArray(v) ? overridesLine(v, placeOf(at, k), issues) : keyValue(k, v, placeOf(at, k), issues);
      if (line !== undefined) lines.push(line);
    }
    blocks.push(lines.join("\n"));
  }
  return { text: blocks.length ? blocks.join("\n\n") + "\n" : "", issues: issues.issues };
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

/** `job-json-overrides="target":"file",...`; plain strings pass through as already-native pairs. */
function overridesLine(list: unknown[], at: string, issues: IssueList): string | undefined {
  const pairs: string[] = [];
  list.forEach((o, i) => {
    if (typeof o === "string") return void pairs.push(o);
    if (isMap(o) && typeof o.target === "string" && typeof o.file === "string") {
      return void pairs.push(`${JSON.stringify(o.target)}:${JSON.stringify(o.file)}`);
    }
    issues.add(placeOf(at, i), "a job-json-override needs `target` (a JSON pointer) and `file` (the JSON file to apply)");
  });
  return pairs.length === list.length ? `job-json-overrides=${pairs.join(",")}` : undefined;
}
