// Templating inside structured config: every string value under `config:` goes through the template
// engine, so `password: "{{secret 'db'}}"` works in any format. Only strings holding `{{` are rendered.
import type { ConfigIssue } from "../errors.js";
import { isMap, placeOf } from "./values.js";

import type { TemplateEngine as Engine } from "./template.js";

/** A copy of `value` with its template strings rendered, plus the issues and secrets used. */
export function renderTree(value: unknown, place: string, engine: Engine): { value: unknown; issues: ConfigIssue[]; secretsUsed: string[] } {
  const issues: ConfigIssue[] = [];
  const secrets = new Set<string>();
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === "string") {
      if (!v.includes("{{")) return v;
      const r = engine.render(v, at);
      issues.push(...r.issues);
      r.secretsUsed.forEach((s) => secrets.add(s));
      return r.text;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, placeOf(at, i)));
    if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, placeOf(at, k))]));
    return v;
  };
  const out = walk(value, place);
  return { value: out, issues, secretsUsed: [...secrets].sort() };
}
