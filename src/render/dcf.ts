// DCF files (launcher-mounts, launcher-env, r-versions in config.serverDcf) rendered as the Helm
// chart's `rstudio-library.config.dcf` renders them (rstudio/helm
// charts/rstudio-library/templates/_config.tpl, library 0.1.38):
// - a string body is the file verbatim (`kindIs "string" $keys`);
// - a list body: each item (a map) is one record (`range $parent, $child := $keys` with
//   `kindIs "map" $child`);
// - a map body whose values are maps: each value is one record, its key is not written; a map body
//   of single values is one record (`printf "%s: %s" $parent $child`);
// - a field with a single value → `Key: value` (`printf "%s: %s"`);
// - a field whose value is a map → `Key:` then one `name=value` line per entry, indented two spaces
//   (launcher-env's `Environment:`; `printf "%s:" | nindent 2`, `printf "%s=%s" | nindent 4`);
// - each record ends with a blank line, and the file's last one is dropped (`printf "" | nindent 0`).
// Deliberate differences: the user's order is kept (the chart sorts fields); the chart also prints a
// blank line BEFORE a map-valued field, which splits a record whose map field is not its first
// (`JobType: session` would lose its `Environment`): foyer never puts a blank line inside a record.
// A multi-line value continues on lines indented two spaces (the chart prints them unindented,
// which a DCF reader takes as new fields); an empty line inside a value would end the record, so it
// is an issue. Lists as field values (`[a b]`), null (`<nil>`), and a map body mixing records with
// single fields (the chart glues the fields onto the next record) are issues.
import { IssueList, isMap, placeOf, valueText, joinBlocks, type Rendered } from "./values.js";

const INDENT = "  ";

/** Render a DCF file: string = verbatim, list of maps = records, map = one record (or records). */
export function renderDcf(body: unknown, place: string): Rendered {
  if (typeof body === "string") return { text: body, issues: [] };
  const issues = new IssueList();
  const records = recordsOf(body, place, issues);
  return { text: joinBlocks(records.map(([rec, at]) => recordLines(rec, at, issues))), issues: issues.issues };
}

type Rec = [Record<string, unknown>, string];

function recordsOf(body: unknown, place: string, issues: IssueList): Rec[] {
  if (Array.isArray(body)) {
    return body.flatMap((item, i): Rec[] => {
      if (isMap(item)) return [[item, placeOf(place, i)]];
      issues.add(placeOf(place, i), "each DCF record must be a map of fields (Key: value)");
      return [];
    });
  }
  if (!isMap(body)) {
    issues.add(place, "a DCF file must be text, a list of records, or a map of fields");
    return [];
  }
  const values = Object.values(body);
  if (values.length > 0 && values.every(isMap)) {
    return Object.entries(body).map(([k, v]) => [v as Record<string, unknown>, placeOf(place, k)]);
  }
  const maps = Object.keys(body).filter((k) => isMap(body[k]));
  if (maps.length > 0) {
    // in a map body the chart makes a map value a record of its own, glued to the fields around it
    for (const k of maps) issues.add(placeOf(place, k), "a map here would be a record of its own, run into the fields beside it: write the file as a list of records, with this map under its record's field");
    return [];
  }
  return [[body, place]];
}

function recordLines(rec: Record<string, unknown>, at: string, issues: IssueList): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(rec)) {
    const here = placeOf(at, key);
    if (!/^[^\s:#][^:\n]*$/.test(key) || key.trim() !== key) {
      issues.add(here, `invalid DCF field name ${JSON.stringify(key)}`);
      continue;
    }
    if (isMap(value)) {
      lines.push(`${key}:`);
      for (const [name, v] of Object.entries(value)) {
        const where = placeOf(here, name);
        const text = valueText(v, where, issues);
        if (text === undefined) continue;
        if (!name || /[=\n\r]/.test(name)) issues.add(where, `invalid name ${JSON.stringify(name)} for a name=value line`);
        else if (/[\n\r]/.test(text)) issues.add(where, "a name=value line holds a single-line value");
        else lines.push(`${INDENT}${name}=${text}`);
      }
      continue;
    }
    const text = valueText(value, here, issues, Array.isArray(value) ? 'write several values as one text, e.g. "a,b", if the product reads them so' : "");
    if (text !== undefined) lines.push(...fieldLines(key, text, here, issues));
  }
  return lines;
}

/** `Key: first line`, then continuation lines indented; an empty line would end the record. */
function fieldLines(key: string, text: string, at: string, issues: IssueList): string[] {
  const [first = "", ...rest] = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
  if (rest.some((l) => l.trim() === "")) issues.add(at, "a DCF value cannot contain an empty line (it would end the record)");
  return [`${key}: ${first}`, ...rest.map((l) => INDENT + l)];
}
