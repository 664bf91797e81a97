import { describe, expect, test } from "vitest";
import { formatJson, mergeJson, parseJsonSettings } from "../../../src/render/index.js";

describe("JSON merge", () => {
  test("objects merge deeply, arrays and scalars are replaced, null removes, inputs untouched", () => {
    const base = { theme: "JupyterLab Light", favorites: [{ path: "a" }], nested: { keep: 1, change: 1, drop: true } };
    const patch = { favorites: [{ path: "b" }], nested: { change: 2, drop: null, add: "x" }, extra: false };
    const copy = structuredClone(base);
    expect(mergeJson(base, patch)).toEqual({ theme: "JupyterLab Light", favorites: [{ path: "b" }], nested: { keep: 1, change: 2, add: "x" }, extra: false });
    expect(base).toEqual(copy);
  });

  test("formatJson is 2-space indented with a final newline", () => {
    expect(formatJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });

  test("settings files with comments and trailing commas parse; comment-like text in strings survives", () => {
    const r = parseJsonSettings('{\n  // a comment\n  "url": "http://x/*y*/", /* block */\n  "list": [1, 2,],\n}\n');
    expect(r).toEqual({ ok: true, value: { url: "http://x/*y*/", list: [1, 2] } });
    expect(parseJsonSettings("").ok).toBe(true);
    expect(parseJsonSettings("{ nope").ok).toBe(false);
  });
});
