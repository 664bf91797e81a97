// Posit ini files (rserver.conf, launcher.conf, logging.conf, repos.conf, ...) rendered as the
// Helm charts' `rstudio-library.config.ini` renders them (rstudio/helm
// charts/rstudio-library/templates/_config.tpl, library 0.1.38). The rules, each with the template
// line it comes from:
// - a string body is the file verbatim (`kindIs "string" $keys` → `$keys | nindent 2`);
// - a map body: one entry per key; a list body: each item's keys, in the order written
//   (`config.ini`: `kindIs "slice" $keys` → `range $item := $keys`);
// - entry with a map value → `[name]` then `key=value` lines, then a blank line
//   (`config.ini.entry`: `printf "[%s]"`, `printf "%s=%s"`, `printf "" | nindent 0`);
// - entry with a list of maps → the section repeated, once per map (several `[cluster]`);
// - entry with a list of values → `name=value` once per value: the key is REPEATED, never
//   comma-joined (`$sections := ternary $child (list $child)` then `printf "%s=%s" $parent $section`);
// - entry with a single value → `name=value`, no spaces around `=`;
// - a list item with two or more keys and no map among them is a header-less record
//   (/etc/rstudio/r-versions): its `key=value` lines then a blank line (`$isRecord`). The blank
//   line is what separates records, so it is kept exactly; a one-key item is an entry (no blank
//   line after it), so a one-key item written before a record is an issue: the chart would glue
//   it onto that record.
// - the final blank line of a file is dropped (the ConfigMap's `|` block keeps one newline).
// Garbage the chart prints is an issue here instead: a map or a list as an option inside a
// section (`key=map[...]`, `key=[a b]`), null (`key=<nil>`), a list mixing sections and values.
// Deliberate differences: the user's order is kept (the chart sorts every map), and top-level
// keys written after a section are moved before the first section (the chart would print them
// inside that section, where the product reads them as the section's options).
import { IssueList, isMap, placeOf, valueText, type Rendered } from "./values.js";

/** Render one ini file body (string = verbatim, map = entries, list = ordered entries/records). */
export function renderIni(body: unknown, place: string): Rendered {
  if (typeof body === "string") return { text: body, issues: [] };
  const issues = new IssueList();
  const top: string[][] = []; // bare lines and records, in order; each chunk ends as the chart ends it
  const sections: string[][] = [];
  for (const item of iniItems(body, place, issues)) {
    if (item.kind === "record") top.push([...recordLines(item.fields, item.at, issues), ""]);
    else renderEntry(item.name, item.value, item.at, top, sections, issues);
  }
  const lines = [...top.flat(), ...sections.flat()];
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return { text: lines.length ? lines.join("\n") + "\n" : "", issues: issues.issues };
}

type Item =
  | { kind: "entry"; name: string; value: unknown; at: string }
  | { kind: "record"; fields: Record<string, unknown>; at: string };

/** The body's entries and records in written order (a list body is the chart's ordered form). */
function iniItems(body: unknown, place: string, issues: IssueList): Item[] {
  if (isMap(body)) return Object.entries(body).map(([name, value]) => ({ kind: "entry", name, value, at: placeOf(place, name) }));
  if (!Array.isArray(body)) {
    issues.add(place, `expected text, a map of keys and sections, or a list of maps; got ${body === null ? "null" : typeof body}`);
    return [];
  }
  const items: Item[] = [];
  body.forEach((item, i) => {
    const at = placeOf(place, i);
    if (!isMap(item)) return issues.add(at, "each list item must be a map: one section, one key, or a record of keys");
    const keys = Object.keys(item);
    if (keys.length > 1 && !keys.some((k) => isMap(item[k]))) items.push({ kind: "record", fields: item, at });
    else for (const [name, value] of Object.entries(item)) items.push({ kind: "entry", name, value, at: placeOf(at, name) });
  });
  // sections are written after the top lines, so only bare lines before the last record can glue
  const lastRecord = items.map((i) => i.kind).lastIndexOf("record");
  items.slice(0, Math.max(0, lastRecord)).forEach((item) => {
    if (item.kind === "entry" && !isMap(item.value) && !(Array.isArray(item.value) && item.value.every(isMap))) {
      issues.add(item.at, "a one-key item before a record runs into it (only items with two or more keys end with the blank line that separates records): give it its other fields, or write the file as text");
    }
  });
  return items;
}

function renderEntry(name: string, value: unknown, at: string, top: string[][], sections: string[][], issues: IssueList): void {
  if (isMap(value)) return void sections.push(sectionLines(name, value, at, issues));
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isMap)) {
      value.forEach((v, i) => sections.push(sectionLines(name, v as Record<string, unknown>, placeOf(at, i), issues)));
    } else if (value.some(isMap)) {
      issues.add(at, "a list mixing sections (maps) with values: a list of maps repeats the section, a list of values repeats the key");
    } else {
      // a list of values repeats the key, once per value
      value.forEach((v, i) => {
        const line = keyValue(name, v, placeOf(at, i), issues);
        if (line !== undefined) top.push([line]);
      });
    }
    return;
  }
  const line = keyValue(name, value, at, issues);
  if (line !== undefined) top.push([line]);
}

/** `[name]`, its options, and the blank line that ends every section. */
function sectionLines(name: string, body: Record<string, unknown>, at: string, issues: IssueList): string[] {
  if (!name || /[\]\n\r]/.test(name)) issues.add(at, `invalid section name ${JSON.stringify(name)}`);
  const lines = [`[${name}]`];
  for (const [k, v] of Object.entries(body)) {
    const hint = Array.isArray(v) ? 'write several values as one text, e.g. "a,b", if the product reads them so' : "sections cannot nest";
    const line = keyValue(k, v, placeOf(at, k), issues, hint);
    if (line !== undefined) lines.push(line);
  }
  return [...lines, ""];
}

/** A record's `key=value` lines (the blank line after it is added by the caller). */
function recordLines(fields: Record<string, unknown>, at: string, issues: IssueList): string[] {
  return Object.entries(fields).flatMap(([k, v]) => {
    const line = keyValue(k, v, placeOf(at, k), issues);
    return line === undefined ? [] : [line];
  });
}

/** `key=value` for one value; undefined (with an issue) for a bad key or anything but one value. */
function keyValue(key: string, value: unknown, at: string, issues: IssueList, hint = ""): string | undefined {
  const text = valueText(value, at, issues, hint);
  return text === undefined ? undefined : iniLine(key, text, at, issues);
}

/** `key=text`, no spaces around `=`; undefined (with an issue) when the key or text cannot be one line. */
export function iniLine(key: string, text: string, at: string, issues: IssueList): string | undefined {
  if (!key || /[=\n\r]/.test(key) || key.trim() !== key) {
    issues.add(at, `invalid key ${JSON.stringify(key)}: keys cannot be empty or contain '=', newlines or surrounding spaces`);
    return undefined;
  }
  if (/[\n\r]/.test(text)) {
    issues.add(at, "a value cannot span several lines in an ini file");
    return undefined;
  }
  return `${key}=${text}`;
}
