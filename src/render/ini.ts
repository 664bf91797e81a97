// Posit ini files (rserver.conf, launcher.conf, logging.conf, ...) with the Helm chart's semantics:
// `key=value` with no spaces; a map is a `[section]`; a list of maps repeats the section (several
// `[cluster]` in launcher.conf); a string body is the file verbatim. Unlike the chart, foyer keeps
// the order the user wrote (the chart sorts keys), and joins list values with commas.
import { IssueList, isMap, isScalar, placeOf, scalarText, type Rendered } from "./values.js";

/** Render one ini file body (string = verbatim, map = keys and sections, list = ordered entries). */
export function renderIni(body: unknown, place: string): Rendered {
  const issues = new IssueList();
  if (typeof body === "string") return { text: body, issues: [] };
  const entries = iniEntries(body, place, issues);
  const top: string[] = [];
  const blocks: string[][] = [];
  for (const [key, value, at] of entries) renderEntry(key, value, at, top, blocks, issues);
  // top-level keys must precede the first [section], or the product would read them as part of it
  const parts = [top, ...blocks].filter((b) => b.length > 0).map((b) => b.join("\n"));
  return { text: parts.length ? parts.join("\n\n") + "\n" : "", issues: issues.issues };
}

type Entry = [key: string, value: unknown, place: string];

/** The (key, value) pairs of a body, in written order; the list form is the chart's ordered form. */
function iniEntries(body: unknown, place: string, issues: IssueList): Entry[] {
  if (isMap(body)) return Object.entries(body).map(([k, v]) => [k, v, placeOf(place, k)]);
  if (!Array.isArray(body)) {
    issues.add(place, `expected text, a map of keys and sections, or a list of maps; got ${typeof body}`);
    return [];
  }
  const out: Entry[] = [];
  body.forEach((item, i) => {
    if (!isMap(item)) return issues.add(placeOf(place, i), "each list item must be a map");
    for (const [k, v] of Object.entries(item)) out.push([k, v, placeOf(placeOf(place, i), k)]);
  });
  return out;
}

function renderEntry(key: string, value: unknown, at: string, top: string[], blocks: string[][], issues: IssueList): void {
  if (isMap(value)) return void blocks.push(section(key, value, at, issues));
  if (Array.isArray(value) && value.length > 0 && value.every(isMap)) {
    value.forEach((v, i) => blocks.push(section(key, v as Record<string, unknown>, placeOf(at, i), issues)));
    return;
  }
  const line = keyValue(key, value, at, issues);
  if (line !== undefined) top.push(line);
}

function section(name: string, body: Record<string, unknown>, at: string, issues: IssueList): string[] {
  if (!name || /[\]\n\r]/.test(name)) issues.add(at, `invalid section name ${JSON.stringify(name)}`);
  const lines = [`[${name}]`];
  for (const [k, v] of Object.entries(body)) {
    const line = keyValue(k, v, placeOf(at, k), issues);
    if (line !== undefined) lines.push(line);
  }
  return lines;
}

/** `key=value` for a scalar or a list of scalars (comma-joined); an issue for anything deeper. */
export function keyValue(key: string, value: unknown, at: string, issues: IssueList): string | undefined {
  if (!key || /[=\n\r]/.test(key) || key.trim() !== key) {
    issues.add(at, `invalid key ${JSON.stringify(key)}: keys cannot be empty or contain '=', newlines or surrounding spaces`);
    return undefined;
  }
  const text = listOrScalar(value, at, issues);
  if (text === undefined) return undefined;
  if (/[\n\r]/.test(text)) {
    issues.add(at, "a value cannot span several lines in an ini file");
    return undefined;
  }
  return `${key}=${text}`;
}

/** A scalar's text, or a list of scalars joined by commas; undefined (with an issue) otherwise. */
export function listOrScalar(value: unknown, at: string, issues: IssueList): string | undefined {
  if (isScalar(value)) return scalarText(value);
  if (Array.isArray(value) && value.every(isScalar)) return value.map(scalarText).join(",");
  issues.add(at, `expected a value or a list of values here, got ${Array.isArray(value) ? "a list of maps" : "a map"} (sections cannot nest)`);
  return undefined;
}
