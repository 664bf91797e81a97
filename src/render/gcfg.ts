// gcfg files (Connect's rstudio-connect.gcfg, Package Manager's rstudio-pm.gcfg): `[Section]` and
// `[Section "name"]` headers, `Key = value` lines, and a list value repeats the key once per item
// (as the Helm chart does). A map inside a section is a subsection. Values are quoted when gcfg
// would otherwise misread them (comments, quotes, backslashes, edge spaces).
import { IssueList, isMap, isScalar, placeOf, scalarText, type Rendered } from "./values.js";

/** Render a gcfg file: a map of sections (maps inside are subsections); a string is verbatim. */
export function renderGcfg(body: unknown, place: string): Rendered {
  if (typeof body === "string") return { text: body, issues: [] };
  const issues = new IssueList();
  if (!isMap(body)) return { text: "", issues: [{ path: place, message: "a gcfg file must be text or a map of sections" }] };
  const blocks: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    const at = placeOf(place, name);
    if (!isMap(value)) {
      issues.add(at, `gcfg has no keys outside sections: put ${JSON.stringify(name)} under a [Section]`);
      continue;
    }
    if (!/^[A-Za-z][A-Za-z0-9-]*( "[^"\n]*")?$/.test(name)) issues.add(at, `invalid gcfg section name ${JSON.stringify(name)}`);
    blocks.push(...sectionBlocks(`[${name}]`, value, at, issues));
  }
  return { text: blocks.length ? blocks.join("\n\n") + "\n" : "", issues: issues.issues };
}

/** The section's own block, then one block per subsection (a map value). */
function sectionBlocks(header: string, body: Record<string, unknown>, at: string, issues: IssueList): string[] {
  const lines = [header];
  const subs: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const here = placeOf(at, key);
    if (isMap(value)) {
      if (header.includes('"')) issues.add(here, "gcfg subsections cannot nest");
      else subs.push(...sectionBlocks(`${header.slice(0, -1)} ${quote(key)}]`, value, here, issues));
      continue;
    }
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(key)) {
      issues.add(here, `invalid gcfg key ${JSON.stringify(key)} (letters, digits and '-', starting with a letter)`);
      continue;
    }
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      if (isScalar(item)) lines.push(`${key} = ${gcfgValue(scalarText(item))}`);
      else issues.add(Array.isArray(value) ? placeOf(here, i) : here, "expected a value or a list of values");
    });
  }
  return lines.length > 1 || subs.length === 0 ? [lines.join("\n"), ...subs] : subs;
}

/** A value as gcfg reads it back unchanged: quoted and escaped only when needed. */
export function gcfgValue(v: string): string {
  if (v !== "" && !/[;#"\\\n\t]/.test(v) && v.trim() === v) return v;
  return quote(v);
}

function quote(v: string): string {
  return `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}
