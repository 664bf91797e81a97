// JSON deep merge for merge-json actions (JupyterLab settings, overrides.json): objects merge key by
// key, everything else (arrays, scalars) is replaced, and `null` in the patch removes a key.
// the pure merge module itself, not spec/index (which would pull spec loading into a pure renderer)
import { deepMerge } from "../spec/merge.js";

/** `patch` merged onto `base` (the spec's own merge rule: maps by key, the rest replaced, null deletes). */
export const mergeJson: (base: unknown, patch: unknown) => unknown = deepMerge;

/** The canonical text foyer writes for JSON: two-space indent and a final newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/**
 * Parse a JSON settings file; JupyterLab's own settings files may carry // and /* *\/ comments and
 * trailing commas, so those are stripped first. Returns an error message instead of throwing.
 */
export function parseJsonSettings(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(stripJsonComments(text)) };
  } catch (err) {
    return { ok: false, error: contentFreeMessage((err as Error).message) };
  }
}

/**
 * V8 quotes the start of the text in "Unexpected token 'r', "root:$6$ab"... is not valid JSON": the
 * message is printed by `foyer plan` about a file it must not show (/etc/shadow), so keep no excerpt.
 */
function contentFreeMessage(message: string): string {
  return /^Unexpected token/.test(message) ? "unexpected token (not JSON)" : message;
}

/** Remove comments and trailing commas outside strings. */
function stripJsonComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === "," && /^\s*[}\]]/.test(text.slice(i + 1, i + 200))) {
      continue; // a trailing comma
    } else out += c;
  }
  return out;
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  return i + 1;
}
