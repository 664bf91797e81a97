// Secret redaction by value: every string that leaves foyer (logs, plans, errors, program output)
// passes through a Redactor, so a secret cannot leak even through an unexpected path (an env
// helper, a hook's output, an error message quoting a value).
//
// This is the one redaction point. A value is not only searched for as written: foyer's renderers
// encode it (JSON string escaping, gcfg quoting, DCF continuation lines), `plan --json` and JSON
// logs encode those again, and a program prints a multi-line value one line at a time. The Redactor
// registers every such form when the secret is added, so callers never need to know which encoding
// a text went through.

/**
 * Secrets shorter than this are refused when the spec is loaded: a short value ("x", "admin")
 * occurs in unrelated text, so masking it would garble every log line and reveal it by the pattern
 * of what was masked. The same bound decides which lines of a multi-line value are masked anywhere.
 */
export const MIN_SECRET_LENGTH = 8;

/** Indentation of DCF continuation lines (src/render/dcf.ts INDENT: a value's later lines follow it). */
const DCF_INDENT = "  ";

/** The encodings foyer applies to a value it writes or prints; each is context-free (character by character). */
const ENCODINGS: ReadonlyArray<(v: string) => string> = [
  // JSON string body: *.json config files, job-json-overrides, plan --json, JSON logs
  (v) => JSON.stringify(v).slice(1, -1),
  // gcfg quoted value (src/render/gcfg.ts quote())
  (v) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t"),
  // DCF: line ends normalised to \n, a final newline dropped, each newline continues on an indented line
  (v) => v.replace(/\r\n?/g, "\n").replace(/\n$/, "").replace(/\n/g, "\n" + DCF_INDENT),
];

/** Every form of `value` foyer can produce: itself, each encoding, and each encoding of those (JSON of a JSON file). */
export function encodedForms(value: string): Set<string> {
  const forms = new Set([value]);
  for (let depth = 0; depth < 2; depth++) {
    for (const form of [...forms]) for (const encode of ENCODINGS) forms.add(encode(form));
  }
  return forms;
}

/** PEM armor (`-----BEGIN PRIVATE KEY-----`) is public format text, not part of the secret. */
const PEM_ARMOR = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/;

/** A line of a multi-line secret worth masking on its own: not blank, not punctuation like `{`, not PEM armor. */
function meaningfulLine(line: string): boolean {
  return (line.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 2 && !PEM_ARMOR.test(line);
}

/** Replaces every registered secret value (in any encoded form) with `<secret:NAME>`. */
export class Redactor {
  /** text searched for anywhere → secret name */
  private readonly tokens = new Map<string, string>();
  /** short lines of multi-line secrets: masked only where they are a whole line (trimmed) */
  private readonly wholeLines = new Map<string, string>();
  private sorted: Array<[string, string]> | undefined;
  private sortedBytes: Array<[string, string]> | undefined;
  private wholeLinesLatin1: Map<string, string> | undefined;

  /**
   * Register a secret value under its name. Empty values cannot be masked and are skipped; the
   * loader refuses values shorter than MIN_SECRET_LENGTH, so every value registered here is long
   * enough not to match unrelated text.
   */
  add(name: string, value: string): void {
    if (value.trim().length === 0) return;
    // a trailing newline is common in secret files; also mask the trimmed form
    const bases = new Set([value, value.trim()]);
    for (const base of bases) for (const form of encodedForms(base)) this.addToken(form, name);
    // a program prints a multi-line value (a PEM key) line by line: each line must be masked by itself
    const lines = value.trim().split(/\r?\n/).map((l) => l.trim());
    if (lines.length > 1) {
      for (const line of lines) {
        if (!meaningfulLine(line)) continue;
        if (line.length >= MIN_SECRET_LENGTH) for (const form of encodedForms(line)) this.addToken(form, name);
        else this.wholeLines.set(line, name);
      }
    }
    this.sorted = this.sortedBytes = this.wholeLinesLatin1 = undefined;
  }

  private addToken(form: string, name: string): void {
    if (form.length > 0 && !this.tokens.has(form)) this.tokens.set(form, name);
  }

  /** The registered forms, longest first (so a secret containing another is masked whole). */
  private ordered(): Array<[string, string]> {
    return (this.sorted ??= [...this.tokens.entries()].sort((a, b) => b[0].length - a[0].length));
  }

  /** The same forms as UTF-8 bytes held in latin1 strings, for redacting raw program output. */
  private orderedBytes(): Array<[string, string]> {
    return (this.sortedBytes ??= this.ordered().map(([form, name]) => [Buffer.from(form, "utf8").toString("latin1"), name]));
  }

  /** The text with all secret values masked. */
  redact(text: string): string {
    return this.mask(text, this.ordered(), this.wholeLines);
  }

  /**
   * Bytes with all secret values masked, whether or not they are valid UTF-8 (a program's output
   * line with one stray byte must not escape redaction). Works on latin1, which maps bytes 1:1.
   */
  redactBytes(bytes: Buffer): Buffer {
    if (this.tokens.size === 0) return bytes;
    const latin1 = bytes.toString("latin1");
    const masked = this.mask(latin1, this.orderedBytes(), this.wholeLinesBytes());
    return masked === latin1 ? bytes : Buffer.from(masked, "latin1");
  }

  /**
   * Where a piece of an over-long line may end so that no secret is cut in two: before the last
   * (longest form - 1) bytes, which could begin a secret the next piece completes, and never inside
   * a secret found in `bytes`. The bytes from there on belong to the next piece.
   */
  safeCut(bytes: Buffer): number {
    const tokens = this.orderedBytes();
    if (tokens.length === 0) return bytes.length;
    const text = bytes.toString("latin1");
    let at = Math.max(0, text.length - (tokens[0]![0].length - 1));
    for (let moved = true; moved; ) {
      moved = false;
      for (const [form] of tokens) {
        // an occurrence that starts before `at` and ends after it moves the cut to its start
        for (let i = text.indexOf(form, Math.max(0, at - form.length + 1)); i >= 0 && i < at; i = text.indexOf(form, i + 1)) {
          if (i + form.length > at) {
            at = i;
            moved = true;
            break;
          }
        }
      }
    }
    return at;
  }

  private wholeLinesBytes(): Map<string, string> {
    return (this.wholeLinesLatin1 ??= new Map([...this.wholeLines].map(([line, name]) => [Buffer.from(line, "utf8").toString("latin1"), name])));
  }

  private mask(text: string, tokens: Array<[string, string]>, wholeLines: Map<string, string>): string {
    let out = text;
    for (const [form, name] of tokens) {
      if (out.includes(form)) out = out.split(form).join(`<secret:${name}>`);
    }
    if (wholeLines.size > 0) {
      out = out
        .split("\n")
        .map((line) => {
          const name = wholeLines.get(line.trim());
          return name === undefined ? line : line.replace(line.trim(), `<secret:${name}>`);
        })
        .join("\n");
    }
    return out;
  }

  /** A copy of any JSON-like value with every string (and key) redacted, before it is serialised. */
  redactDeep<T>(value: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === "string") return this.redact(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === "object" && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [this.redact(k), walk(x)]));
      }
      if (v instanceof Error) return this.redact(v.message);
      return v;
    };
    return walk(value) as T;
  }

  /** True when the text contains any registered secret value, in any encoded form. */
  leaks(text: string): boolean {
    for (const form of this.tokens.keys()) if (text.includes(form)) return true;
    if (this.wholeLines.size > 0) for (const line of text.split("\n")) if (this.wholeLines.has(line.trim())) return true;
    return false;
  }
}
