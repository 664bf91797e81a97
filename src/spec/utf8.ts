// Strict UTF-8 for the text foyer reads (the spec, template files): a byte sequence that is not
// UTF-8 is reported with its place, never turned silently into U+FFFD in a rendered config file.
import { closeSync, openSync, readSync } from "node:fs";
import { isUtf8 } from "node:buffer";
import { configError } from "../errors.js";

/** The text of `bytes`, or where the first invalid byte is (1-based line and column in characters). */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; line: number; col: number; byte: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return { ok: true, text: buf.toString("utf8") };
  const at = firstInvalid(buf);
  const lineStart = buf.lastIndexOf(0x0a, at - 1) + 1;
  const line = countNewlines(buf, lineStart) + 1;
  // the part of the line before the bad byte is valid UTF-8: count its characters
  const col = [...buf.subarray(lineStart, at).toString("utf8")].length + 1;
  return { ok: false, line, col, byte: buf[at]! };
}

/** A spec is a page of YAML; anything this big is a mistake (`--spec /dev/zero`), not a spec. */
export const MAX_SPEC_BYTES = 16 * 1024 * 1024;

/**
 * Read a spec as strict UTF-8, at most MAX_SPEC_BYTES (a pipe such as `--spec <(...)` works; an
 * endless device does not hang foyer); throws ConfigError (exit 78) naming the file and line:col.
 */
export function readUtf8File(path: string): string {
  const r = decodeUtf8(readCapped(path, MAX_SPEC_BYTES));
  if (r.ok) return r.text;
  throw configError("(spec)", notUtf8Message(path, r), `${path}:${r.line}:${r.col}`);
}

function readCapped(path: string, max: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > max) throw configError("(spec)", `spec file ${path} is larger than ${max / 1024 / 1024} MiB; is it really a spec?`);
    }
  } finally {
    closeSync(fd);
  }
}

/** "FILE is not UTF-8 text: byte 0xff at line 3, column 7". */
export function notUtf8Message(path: string, r: { line: number; col: number; byte: number }): string {
  return `${path} is not UTF-8 text: byte 0x${r.byte.toString(16).padStart(2, "0")} at line ${r.line}, column ${r.col} (save it as UTF-8)`;
}

function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0 && i < end; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

// Offset of the first byte that does not start a well-formed sequence (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF).
function firstInvalid(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length) return i;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (b[i + 1]! < lo || b[i + 1]! > hi) return i;
    for (let k = 2; k < len; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += len;
  }
  return b.length;
}
