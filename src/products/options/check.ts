// Product key validation: the options of a Posit config file against what the product reads.
// Unknown names (with a did-you-mean) and values of the wrong type are warnings; the validation
// stage decides whether they fail the run (`validate --strict`). Pure: data in, issues out.
import type { ConfigIssue } from "../../errors.js";
import { didYouMean, editDistance } from "../../spec/suggest.js";
import type { FileCatalog, OptionTable, OptionType } from "./catalog.js";
import { gcfgEntriesFromData, iniEntriesFromData, parseGcfgText, parseIniText, type OptionEntry, type ParsedOptions } from "./entries.js";
import { catalogFor } from "./registry.js";

/**
 * The warnings for one product config file, given as the spec gives it: verbatim text (a string
 * body, parsed here) or structured data (the charts' `config:` shapes). `file` is the file name or
 * path (its base name picks the catalog: rserver.conf, rstudio-connect.gcfg…); `place` is the
 * spec path of the body (`config.server.rserver.conf`). A file without a catalog gives no warning.
 */
export function checkProductOptions(file: string, body: unknown, place: string): ConfigIssue[] {
  const catalog = catalogFor(file);
  return catalog ? checkAgainst(catalog, parseBody(catalog, body, place)) : [];
}

/** The body as option entries, in the catalog's syntax. */
export function parseBody(catalog: Pick<FileCatalog, "syntax">, body: unknown, place: string): ParsedOptions {
  if (typeof body === "string") return catalog.syntax === "gcfg" ? parseGcfgText(body, place) : parseIniText(body, place);
  return catalog.syntax === "gcfg" ? gcfgEntriesFromData(body, place) : iniEntriesFromData(body, place);
}

/**
 * Every warning for parsed entries: unknown sections, unknown options, and (unless a caller checks
 * values more closely itself, as the launcher profiles checker does) values of the wrong type.
 */
export function checkAgainst(catalog: FileCatalog, parsed: ParsedOptions, { types = true } = {}): ConfigIssue[] {
  const issues: ConfigIssue[] = [...parsed.issues];
  const fold = (s: string) => (catalog.syntax === "gcfg" ? s.toLowerCase() : s); // gcfg names are case-insensitive
  const reportedSections = new Set<string>();
  for (const s of parsed.sections) {
    if (tableFor(catalog, s.section, fold) || reportedSections.has(fold(s.section))) continue;
    reportedSections.add(fold(s.section));
    if (!catalog.sections) {
      issues.push(at(s, `${catalog.file} has no sections: [${s.section}] and the options under it are not read as written`));
      continue;
    }
    const message = unknownName(catalog, "section", `[${s.section}]`, s.section, (catalog.sections ?? []).map((c) => c.name));
    issues.push(at(s, message));
  }
  for (const e of parsed.entries) {
    const table = e.section === undefined ? catalog.top : tableFor(catalog, e.section, fold);
    if (!table) {
      if (e.section === undefined) issues.push(at(e, `${e.key} is outside any section: ${catalog.file} options belong to a [section]`));
      continue; // the unknown section was reported above
    }
    const known = Object.keys(table).find((k) => fold(k) === fold(e.key));
    if (known === undefined) {
      const message = unknownName(catalog, "option", e.key, e.key, Object.keys(table), e.section);
      issues.push(at(e, message));
      continue;
    }
    const problem = types ? typeProblem(table[known]!, e.values) : undefined;
    if (problem) issues.push(at(e, `${e.key}: ${problem}`));
  }
  return issues;
}

function tableFor(catalog: FileCatalog, section: string, fold: (s: string) => string): OptionTable | undefined {
  return catalog.sections?.find((c) => fold(c.name) === fold(section))?.options ?? catalog.anySection;
}

/**
 * The message for a name the catalog does not list. Every unknown name is a warning (`validate
 * --strict` makes it an error). A complete catalog (taken whole from its source) says so plainly,
 * with its closest name; a partial one (collected from Posit's documentation, images and charts)
 * suggests a name only one edit away and says the option may be real but unknown to foyer.
 */
function unknownName(catalog: FileCatalog, what: "option" | "section", shown: string, name: string, known: string[], section?: string): string {
  const where = section === undefined ? catalog.file : `[${section}] of ${catalog.file}`;
  const near = known.find((k) => k !== name && editDistance(k, name) <= 1);
  const guess = catalog.complete ? didYouMean(name, known) : near;
  const hint = guess !== undefined ? `; did you mean ${what === "section" ? `[${guess}]` : guess}?` : "";
  const partial = !catalog.complete && guess === undefined ? ` (foyer's list for ${catalog.file} is not complete: if this is a real, newer ${what}, ignore this warning; see docs/products.md)` : "";
  return `unknown ${what} ${shown} in ${where}${hint}${partial}`;
}

const BOOL = /^(0|1|true|false|yes|no|on|off)$/i;
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** Why the values do not fit the type, or undefined. Empty and templated values are not judged. */
export function typeProblem(type: OptionType, values: readonly string[]): string | undefined {
  for (const v of values) {
    const text = v.trim();
    if (text === "" || text.includes("{{")) continue;
    if (type === "bool" && !BOOL.test(text)) return `${JSON.stringify(v)} is not a boolean (write 1 or 0)`;
    if (type === "int" && !INT.test(text)) return `${JSON.stringify(v)} is not a whole number`;
    if (type === "float" && !FLOAT.test(text)) return `${JSON.stringify(v)} is not a number`;
  }
  return undefined;
}

function at(place: Pick<OptionEntry, "path" | "where">, message: string): ConfigIssue {
  return { path: place.path, message, ...(place.where ? { where: place.where } : {}) };
}
