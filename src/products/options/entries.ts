// A product config file as a flat list of options, whether the spec gives it as verbatim text or
// as structured data (the charts' `config:` shapes): what the option checks read. Pure: no I/O.
import type { ConfigIssue } from "../../errors.js";
import { isMap, placeOf } from "../../render/values.js";

/** One `key=value` (or `Key = value`) of a config file, with where it was written. */
export interface OptionEntry {
  /** the section header as written, without brackets; gcfg subsections are kept apart */
  section?: string;
  subsection?: string;
  /** which of `ParsedOptions.sections` holds it (a section name may be written twice) */
  sectionIndex?: number;
  key: string;
  /** the value(s) as the product reads them; several for a YAML list (ini repeats the key) */
  values: string[];
  /** a YAML list body: the renderer writes one line per item (ini) or comma-joins (profiles) */
  list?: boolean;
  /** spec path (`config.server.rserver.conf.www-port`) or the file's place for text bodies */
  path: string;
  /** `line N` for text bodies */
  where?: string;
}

export interface ParsedOptions {
  entries: OptionEntry[];
  /** sections in the order written, with where each starts (so an empty section is seen too) */
  sections: Array<{ section: string; subsection?: string; path: string; where?: string }>;
  issues: ConfigIssue[];
}

/** `place.key` / `place[i]`: the same paths the renderers' issues use. */
export const childPath = placeOf;

/**
 * Posit ini text (rserver.conf, launcher.conf, profiles): `#` comments, `[section]`, `key=value`
 * split at the first `=`, both sides trimmed. A line that is none of these is an issue.
 */
export function parseIniText(text: string, place: string): ParsedOptions {
  const out: ParsedOptions = { entries: [], sections: [], issues: [] };
  let section: string | undefined;
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "").trim();
    const where = `line ${i + 1}`;
    if (line === "" || line.startsWith("#")) return;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      out.sections.push({ section, path: place, where });
      return;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) {
      out.issues.push({ path: place, where, message: `${JSON.stringify(line)} is neither a [section] nor key=value` });
      return;
    }
    const inSection = section !== undefined ? { section, sectionIndex: out.sections.length - 1 } : {};
    out.entries.push({ ...inSection, key: line.slice(0, eq).trim(), values: [line.slice(eq + 1).trim()], path: place, where });
  });
  return out;
}

/**
 * gcfg text (Connect, Package Manager): `;` and `#` comments (also after a value, outside quotes),
 * `[Section]` or `[Section "sub"]`, `Key = value`, a key alone meaning true; quoted values unquoted.
 */
export function parseGcfgText(text: string, place: string): ParsedOptions {
  const out: ParsedOptions = { entries: [], sections: [], issues: [] };
  let current: { section: string; subsection?: string } | undefined;
  text.split("\n").forEach((raw, i) => {
    const line = stripGcfgComment(raw.replace(/\r$/, "")).trim();
    const where = `line ${i + 1}`;
    if (line === "") return;
    const header = /^\[\s*([A-Za-z0-9.-]+)\s*(?:"((?:[^"\\]|\\.)*)")?\s*\]$/.exec(line);
    if (header) {
      current = { section: header[1]!, ...(header[2] !== undefined ? { subsection: header[2].replace(/\\(.)/g, "$1") } : {}) };
      out.sections.push({ ...current, path: place, where });
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!kv) {
      out.issues.push({ path: place, where, message: `${JSON.stringify(line)} is neither a [Section] nor Key = value` });
      return;
    }
    if (!current) {
      out.issues.push({ path: place, where, message: `${kv[1]} is outside any [Section]: gcfg options belong to a section` });
      return;
    }
    const value = kv[2] === undefined ? "true" : unquoteGcfg(kv[2]);
    out.entries.push({ ...current, sectionIndex: out.sections.length - 1, key: kv[1]!, values: [value], path: place, where });
  });
  return out;
}

function stripGcfgComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\") i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ";" || c === "#")) return line.slice(0, i);
  }
  return line;
}

function unquoteGcfg(value: string): string {
  return value.trim().replace(/"((?:[^"\\]|\\.)*)"/g, (_, inner: string) => inner.replace(/\\(.)/g, "$1"));
}

/** A scalar as the renderers write it (strings as is, numbers and booleans as text). */
function scalarText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** An option given as data: a scalar, or a list of scalars; anything else is the renderer's to report. */
function dataEntry(key: string, v: unknown, path: string, section?: { section: string; subsection?: string; sectionIndex: number }): OptionEntry | undefined {
  const base = { ...(section ?? {}), key, path };
  const one = scalarText(v);
  if (one !== undefined) return { ...base, values: [one] };
  if (Array.isArray(v)) {
    const items = v.map(scalarText);
    if (items.every((x): x is string => x !== undefined)) return { ...base, values: items, list: true };
  }
  return undefined;
}

/**
 * Structured Posit ini (the charts' `config.server` shapes): a scalar or a list of scalars is a
 * top-level option, a map is a section, a list of maps repeats a section. A list body is read
 * item by item. Header-less records (r-versions) have no options to check and are skipped.
 */
export function iniEntriesFromData(body: unknown, place: string): ParsedOptions {
  const out: ParsedOptions = { entries: [], sections: [], issues: [] };
  const visit = (map: Record<string, unknown>, at: (k: string) => string) => {
    for (const [key, v] of Object.entries(map)) {
      const path = at(key);
      const sectionBodies = isMap(v) ? [v] : Array.isArray(v) && v.length > 0 && v.every(isMap) ? (v as Array<Record<string, unknown>>) : undefined;
      if (sectionBodies) {
        sectionBodies.forEach((b, i) => {
          const sp = sectionBodies.length === 1 && isMap(v) ? path : childPath(path, i);
          out.sections.push({ section: key, path: sp });
          const sectionIndex = out.sections.length - 1;
          for (const [k, item] of Object.entries(b)) {
            const e = dataEntry(k, item, childPath(sp, k), { section: key, sectionIndex });
            if (e) out.entries.push(e);
          }
        });
        continue;
      }
      const e = dataEntry(key, v, path);
      if (e) out.entries.push(e);
    }
  };
  if (isMap(body)) visit(body, (k) => childPath(place, k));
  else if (Array.isArray(body)) {
    body.forEach((item, i) => {
      if (isMap(item) && Object.keys(item).length === 1) visit(item, (k) => childPath(childPath(place, i), k));
    });
  }
  return out;
}

/** Structured gcfg (Connect's/Package Manager's `config:`): a map of `'Section "sub"'` → options. */
export function gcfgEntriesFromData(body: unknown, place: string): ParsedOptions {
  const out: ParsedOptions = { entries: [], sections: [], issues: [] };
  if (!isMap(body)) return out;
  for (const [header, options] of Object.entries(body)) {
    const m = /^\s*([^\s"]+)\s*(?:"(.*)")?\s*$/.exec(header);
    const section = { section: m ? m[1]! : header, ...(m?.[2] !== undefined ? { subsection: m[2] } : {}) };
    const sp = childPath(place, header);
    out.sections.push({ ...section, path: sp });
    const sectionIndex = out.sections.length - 1;
    if (!isMap(options)) continue;
    for (const [k, v] of Object.entries(options)) {
      const e = dataEntry(k, v, childPath(sp, k), { ...section, sectionIndex });
      if (e) out.entries.push(e);
    }
  }
  return out;
}
