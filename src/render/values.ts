// Shared value handling for the config renderers: how a YAML scalar becomes text, and the
// result shape every renderer returns (text plus every issue found, never a throw).
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

/** True for values that fit on one config line: strings, numbers, booleans, null. */
export function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

/**
 * A scalar as the Helm chart's `toString` writes it: booleans stay `true`/`false` (the chart does
 * not turn them into 1/0), numbers in plain decimal, null as an empty value.
 */
export function scalarText(v: string | number | boolean | null): string {
  if (v === null) return "";
  if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) >= 1e21) return BigInt(v).toString();
  return String(v);
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

/** Lines joined with "\n" and a final newline (empty input gives an empty file). */
export function joinLines(lines: string[]): string {
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}
