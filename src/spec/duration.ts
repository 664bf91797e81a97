// Durations as people write them. Kept free of imports (no zod) so `foyer run -- CMD` can parse
// --grace without loading the schema.

const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Parse "150ms", "10s", "2m", "1h" (a bare number, or a string without unit, means seconds); undefined when malformed. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === "number") return value >= 0 && Number.isFinite(value) ? Math.round(value * 1000) : undefined;
  const m = DURATION_RE.exec(value.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[(m[2] ?? "s") as keyof typeof UNIT_MS]);
}
