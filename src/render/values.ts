// Shared value handling for the config renderers: how one YAML value becomes the text of one
// config value, and the result shape every renderer returns (text plus every issue found, never a
// throw). The Posit charts print values with Go's `toString` / `{{ $val }}`; where that prints
// something no product can read (`<nil>`, `map[a:1]`, `[a b]`, `1e+06`), foyer reports an issue
// naming the place instead, or writes the number the user wrote in plain decimal.
import type { ConfigIssue } from "../errors.js";

/** What a renderer produces: the file's text and every problem found on the way. */
export interface Rendered {
  text: string;
  issues: ConfigIssue[];
}

/** True for plain objects (YAML mappings). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The text of one value, or undefined after recording an issue at `at`.
 * - strings as written; booleans `true`/`false` (the chart's `toString`; it never writes 1/0);
 * - numbers in plain decimal: Helm reads every YAML number as a float64 and prints 1000000 as
 *   `1e+06` and 0.0000001 as `1e-07`; foyer prints `1000000` and `0.0000001`. A YAML integer too
 *   large to be held exactly (beyond 2^53) is an issue, since the digits the user wrote are lost;
 * - null (the chart prints `<nil>`), maps (`map[k:v]`) and lists (`[a b]`) are issues. `hint`
 *   says what to write instead where the caller knows better (e.g. "a,b" for a list).
 */
export function valueText(v: unknown, at: string, issues: IssueList, hint = ""): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return numberText(v, at, issues);
  const tail = hint ? `; ${hint}` : "";
  if (v === null || v === undefined) {
    issues.add(at, `no value (the chart would write "<nil>"): write "" for an empty value, or remove the key${tail}`);
  } else if (Array.isArray(v)) {
    issues.add(at, `a list where one value goes (the chart would write "[a b]")${tail}`);
  } else {
    issues.add(at, `a map where one value goes (the chart would write "map[...]")${tail}`);
  }
  return undefined;
}

function numberText(v: number, at: string, issues: IssueList): string | undefined {
  if (!Number.isFinite(v)) {
    issues.add(at, `${String(v)} is not a number a config file can hold: quote the value if it is meant as text`);
    return undefined;
  }
  if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
    issues.add(at, `the number is too large to keep the digits written (beyond 2^53): quote it, e.g. "12345678901234567890"`);
    return undefined;
  }
  return plainDecimal(v);
}

/** A finite number in positional notation: JavaScript's shortest digits, never an exponent. */
export function plainDecimal(v: number): string {
  const text = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, lead, rest = "", expText] = m as unknown as [string, string, string, string | undefined, string];
  const digits = lead + rest;
  const exp = Number(expText);
  // only tiny non-integers reach here (|v| < 1e-6); integers >= 1e21 are not safe and were refused
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  return sign + digits + "0".repeat(Math.max(0, exp - rest.length));
}

/** A dotted place for an issue: `config.server.rserver.conf` + `www-port`. */
export function placeOf(base: string, key: string | number): string {
  return typeof key === "number" ? `${base}[${key}]` : `${base}.${key}`;
}

/** Collects issues for one file; each renderer threads one through its helpers. */
export class IssueList {
  readonly issues: ConfigIssue[] = [];
  /** Record one problem at a place. */
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
}

/**
 * The text of a file from its blocks: each block's lines, blocks separated by one blank line,
 * one final newline, and an empty file for no lines.
 */
export function joinBlocks(blocks: string[][]): string {
  const nonEmpty = blocks.filter((b) => b.length > 0);
  return nonEmpty.length === 0 ? "" : nonEmpty.map((b) => b.join("\n")).join("\n\n") + "\n";
}
