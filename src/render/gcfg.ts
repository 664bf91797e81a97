// gcfg files (Connect's rstudio-connect.gcfg, Package Manager's rstudio-pm.gcfg) rendered as the
// Helm charts render their `config:` block (rstudio/helm charts/rstudio-library/templates/_config.tpl
// `rstudio-library.config.gcfg`, and the same loop in charts/rstudio-pm/templates/_helpers.tpl):
// - the body is a map of sections, as the charts take `config:` itself:
//   `config: {Server: {...}, 'RPackageRepository "CRAN"': {...}}`;
// - each section is `[<key as written>]` (`[{{ $section }}]`), so a subsection is written as the
//   key `'Section "name"'`;
// - a single value → `Key = value` (`{{ $key }} = {{ $val }}`), spaces around `=`;
// - a list → the key repeated once per value (`range $eachval := $val`): `Executable = a`,
//   `Executable = b`;
// - a blank line after each section; the file's last one is dropped (the ConfigMap's `|` block).
// Deliberate differences: the user's order is kept (the chart sorts sections and keys); a value is
// quoted and escaped when gcfg would otherwise misread it (`;` or `#` start a comment, `"` and `\`
// are gcfg syntax, edge spaces are trimmed, "" would vanish): the chart writes values raw, so
// `Password = p;w` reaches the product as `p`. A map as a value (the chart prints `map[...]`),
// null (`<no value>`), a list holding lists or maps, and keys outside a section are issues.
import { IssueList, isMap, placeOf, valueText, joinBlocks, type Rendered } from "./values.js";

const SECTION = /^[A-Za-z][A-Za-z0-9.-]*( "(?:[^"\\\n]|\\["\\])*")?$/;
const KEY = /^[A-Za-z][A-Za-z0-9-]*$/;

/** Render a gcfg file from a map of sections (a string is verbatim). */
export function renderGcfg(body: unknown, place: string): Rendered {
  if (typeof body === "string") return { text: body, issues: [] };
  const issues = new IssueList();
  if (!isMap(body)) return { text: "", issues: [{ path: place, message: "a gcfg file must be text or a map of sections" }] };
  const blocks: string[][] = [];
  for (const [name, value] of Object.entries(body)) {
    const at = placeOf(place, name);
    if (!isMap(value)) {
      issues.add(at, `gcfg has no keys outside sections: put ${JSON.stringify(name)} under a [Section]`);
      continue;
    }
    if (!SECTION.test(name)) issues.add(at, `invalid gcfg section name ${JSON.stringify(name)}: a name, optionally followed by a quoted subsection, e.g. 'RPackageRepository "CRAN"'`);
    blocks.push(sectionLines(name, value, at, issues));
  }
  return { text: joinBlocks(blocks), issues: issues.issues };
}

function sectionLines(name: string, body: Record<string, unknown>, at: string, issues: IssueList): string[] {
  const lines = [`[${name}]`];
  for (const [key, value] of Object.entries(body)) {
    const here = placeOf(at, key);
    if (!KEY.test(key)) {
      issues.add(here, `invalid gcfg key ${JSON.stringify(key)} (letters, digits and '-', starting with a letter)`);
      continue;
    }
    const hint = isMap(value) ? `a subsection is a section of its own: write it as '${name.split(" ")[0]} "${key}"' beside [${name}]` : "";
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      const where = Array.isArray(value) ? placeOf(here, i) : here;
      const text = valueText(item, where, issues, hint);
      if (text === undefined) return;
      if (text.includes("\r")) issues.add(where, "gcfg cannot hold a carriage return in a value (its escapes are \\\\ \\\" \\n \\t \\b)");
      else lines.push(`${key} = ${gcfgValue(text)}`);
    });
  }
  return lines;
}

/** A value as gcfg reads it back unchanged: written raw as the chart does, quoted only when needed. */
export function gcfgValue(v: string): string {
  if (v !== "" && !/[;#"\\\n\t]/.test(v) && v.trim() === v) return v;
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}
