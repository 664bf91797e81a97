// DCF files (launcher-mounts, launcher-env, r-versions): `Key: value` records separated by blank
// lines. A list of maps is several records; a nested map is written as `Key:` followed by
// indented `name=value` lines (launcher-env's Environment); multi-line values continue on
// indented lines. A map whose values are all maps is one record per value (the chart's form).
import { IssueList, isMap, isScalar, placeOf, scalarText, type Rendered } from "./values.js";

const INDENT = "    ";

/** Render a DCF file: string = verbatim, list of maps = records, map = one record (or records). */
export function renderDcf(body: unknown, place: string): Rendered {
  if (typeof body === "string") return { text: body, issues: [] };
  const issues = new IssueList();
  const records = recordsOf(body, place, issues);
  const text = records.map(([rec, at]) => renderRecord(rec, at, issues)).filter((r) => r.length > 0);
  return { text: text.length ? text.join("\n\n") + "\n" : "", issues: issues.issues };
}

type Rec = [Record<string, unknown>, string];

function recordsOf(body: unknown, place: string, issues: IssueList): Rec[] {
  if (Array.isArray(body)) {
    return body.flatMap((item, i): Rec[] => {
      if (isMap(item)) return [[item, placeOf(place, i)]];
      issues.add(placeOf(place, i), "each DCF record must be a map of fields");
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
  return [[body, place]];
}

function renderRecord(rec: Record<string, unknown>, at: string, issues: IssueList): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(rec)) {
    const here = placeOf(at, key);
    if (!/^[^\s:][^:\n]*$/.test(key)) {
      issues.add(here, `invalid DCF field name ${JSON.stringify(key)}`);
      continue;
    }
    if (isMap(value)) {
      lines.push(`${key}:`);
      for (const [n, v] of Object.entries(value)) {
        if (isScalar(v) && !/[\n\r]/.test(scalarText(v))) lines.push(`${INDENT}${n}=${scalarText(v)}`);
        else issues.add(placeOf(here, n), "expected a single-line value");
      }
      continue;
    }
    const text = isScalar(value) ? scalarText(value) : Array.isArray(value) && value.every(isScalar) ? value.map(scalarText).join(",") : undefined;
    if (text === undefined) issues.add(here, "expected a value, a list of values, or a map of name=value pairs");
    else lines.push(...fieldLines(key, text, here, issues));
  }
  return lines.join("\n");
}

/** `Key: first line` then continuation lines indented; an empty line would end the record. */
function fieldLines(key: string, text: string, at: string, issues: IssueList): string[] {
  const [first = "", ...rest] = text.replace(/\n$/, "").split("\n");
  if (rest.some((l) => l.trim() === "")) issues.add(at, "a DCF value cannot contain an empty line (it would end the record)");
  return [`${key}: ${first}`.trimEnd(), ...rest.map((l) => INDENT + l)];
}
