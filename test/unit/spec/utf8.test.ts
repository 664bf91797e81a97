import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "../../../src/spec/utf8.js";

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

describe("decodeUtf8", () => {
  it("decodes UTF-8 exactly like Buffer#toString, BOM and all", () => {
    const text = "\ufeffa: café → 日本 😀\n";
    expect(decodeUtf8(Buffer.from(text))).toEqual({ ok: true, text });
  });

  it.each([
    ["a Latin-1 byte", bytes("ab\ncaf", [0xe9], "\n"), { line: 2, col: 4, byte: 0xe9 }],
    ["a lone continuation byte after multi-byte characters", bytes("é→", [0x80]), { line: 1, col: 3, byte: 0x80 }],
    ["an overlong encoding of '/'", bytes("x", [0xc0, 0xaf]), { line: 1, col: 2, byte: 0xc0 }],
    ["an encoded surrogate", bytes("\n\n", [0xed, 0xa0, 0x80]), { line: 3, col: 1, byte: 0xed }],
    ["a code point above U+10FFFF", bytes([0xf4, 0x90, 0x80, 0x80]), { line: 1, col: 1, byte: 0xf4 }],
    ["a sequence cut off at the end", bytes("ok ", [0xe2, 0x82]), { line: 1, col: 4, byte: 0xe2 }],
  ])("reports %s with line, column (in characters) and the byte", (_label, input, where) => {
    expect(decodeUtf8(input)).toEqual({ ok: false, ...where });
  });
});
