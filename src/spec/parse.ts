// YAML text → plain data, remembering where each value was written so errors can say line:column.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, Scalar, visit, type Node } from "yaml";
import type { ConfigIssue } from "../errors.js";

/** A parsed YAML source and a way to find a path's position in it. */
export interface ParsedSource {
  name: string;
  data: unknown;
  /** "file:line:col" for a path, or of its nearest existing parent; undefined if unknown */
  locate(path: readonly PropertyKey[], at?: "key" | "value"): string | undefined;
  issues: ConfigIssue[];
}

/** Paths of every `__proto__` key: as an object key it sets the prototype instead of an entry. */
function reservedKeys(data: unknown, at: PropertyKey[] = []): PropertyKey[][] {
  if (Array.isArray(data)) return data.flatMap((v, i) => reservedKeys(v, [...at, i]));
  if (typeof data !== "object" || data === null) return [];
  return Object.entries(data).flatMap(([k, v]) => [...(k === "__proto__" ? [[...at, k]] : []), ...reservedKeys(v, [...at, k])]);
}

/** Every key written twice in one mapping (scalar keys, compared by value as YAML does), with its offset. */
function duplicateKeys(doc: ReturnType<typeof parseDocument>): Array<{ offset: number; message: string }> {
  const found: Array<{ offset: number; message: string }> = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const key = pair.key.value;
        if (key === "<<") continue; // merge keys may repeat
        if (seen.has(key)) found.push({ offset: pair.key.range?.[0] ?? 0, message: "Map keys must be unique" });
        seen.add(key);
      }
    },
  });
  return found;
}

/** Parse YAML; syntax errors become issues with line:column (all of them, not just the first). */
export function parseYamlSource(text: string, name: string): ParsedSource {
  const lineCounter = new LineCounter();
  // the yaml library's own duplicate-key check compares each key with every earlier one: a spec
  // with 200,000 env entries took minutes; duplicateKeys does the same check in one pass
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: true });
  const where = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${name}:${line}:${col}`;
  };
  const issues: ConfigIssue[] = [...doc.errors.map((e) => ({ offset: e.pos[0], message: e.message.split("\n")[0]! })), ...duplicateKeys(doc)]
    .sort((a, b) => a.offset - b.offset)
    .map((e) => ({ path: "(yaml)", message: `YAML syntax: ${e.message}`, where: where(e.offset) }));
  let data: unknown = undefined;
  if (issues.length === 0) {
    readChartScalars(doc.contents);
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      issues.push({ path: "(yaml)", message: `YAML: ${(err as Error).message}` });
    }
  }
  const locate = (path: readonly PropertyKey[], at: "key" | "value" = "value"): string | undefined => {
    let node: unknown = doc.contents;
    let found: Node | undefined = doc.contents ?? undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
        if (!pair) break;
        const keyNode = isScalar(pair.key) ? (pair.key as Node) : undefined;
        const valueNode = pair.value as Node | null;
        found = (at === "key" && key === path[path.length - 1] ? keyNode : (valueNode ?? keyNode)) ?? found;
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number") {
        node = node.items[key];
        if (node) found = node as Node;
        else break;
      } else break;
    }
    const range = found?.range;
    return range ? where(range[0]) : undefined;
  };
  for (const path of reservedKeys(data)) {
    issues.push({ path: path.join("."), message: `"__proto__" cannot be a name here (JavaScript reserves it: the entry would vanish without a word); rename it`, ...(locate(path, "key") ? { where: locate(path, "key")! } : {}) });
  }
  if (issues.length === 0 && data !== null && data !== undefined && (typeof data !== "object" || Array.isArray(data))) {
    issues.push({ path: "(spec)", message: "the spec must be a YAML mapping (key: value) at the top level", where: `${name}:1:1` });
  }
  return { name, data: data ?? {}, locate, issues };
}

/**
 * `config:` holds values written for Helm, which reads YAML 1.1: there an unquoted `0644` is octal
 * (420), while YAML 1.2 (the rest of the spec) reads 644. So below `config:`, a plain scalar of a
 * leading 0 and digits is read the way the chart means it: as an octal number where the value is
 * a mode (anything under `defaultMode`, or a key named `mode`: `defaultMode: {startup: 0755}`,
 * `existingSecrets[].items[].mode`), and as the text written everywhere else (`id: 0123` stays
 * "0123", where Helm would print 83). Quoted scalars are never touched.
 */
function readChartScalars(contents: unknown): void {
  if (!isMap(contents)) return;
  const config = contents.items.find((p) => isScalar(p.key) && p.key.value === "config");
  if (config) walkChartValues(config.value, false);
}

function walkChartValues(node: unknown, isMode: boolean): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      walkChartValues(pair.value, isMode || key === "defaultMode" || key === "mode");
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walkChartValues(item, isMode);
  } else if (isScalar(node) && node.type === Scalar.PLAIN && typeof node.source === "string" && /^0[0-9]+$/.test(node.source)) {
    const octal = /^0[0-7]+$/.test(node.source);
    node.value = isMode && octal ? parseInt(node.source, 8) : node.source;
  }
}
