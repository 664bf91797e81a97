// supervisord's config syntax: Python's RawConfigParser as supervisord sets it up (`;` and `#`
// start a comment, inline too when preceded by whitespace; `=` or `:` between key and value;
// indented lines continue a value; keys are lower-cased; a section or key given twice merges,
// the later value wins). Kept with line numbers, so every note can point at its line.

/** One `key = value` with the line it starts on. */
export interface IniEntry {
  value: string;
  file: string;
  line: number;
}

/** One `[section]`, possibly merged from several places. */
export interface IniSection {
  name: string;
  file: string;
  line: number;
  entries: Map<string, IniEntry>;
}

/** A line the parser could not read (supervisord would refuse the whole file). */
export interface IniError {
  file: string;
  line: number;
  message: string;
}

const COMMENT_PREFIXES = ["#", ";"];
const SECTION = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/;

/** Where an inline comment starts (a prefix at the start or after whitespace), or -1. */
function inlineCommentAt(line: string): number {
  let best = -1;
  for (const prefix of COMMENT_PREFIXES) {
    for (let i = line.indexOf(prefix); i >= 0; i = line.indexOf(prefix, i + 1)) {
      if (i === 0 || /\s/.test(line[i - 1]!)) {
        if (best < 0 || i < best) best = i;
        break;
      }
    }
  }
  return best;
}

/** Parse one file's text into sections (merged into `into`, keyed by section name). */
export function parseIni(file: string, text: string, into: Map<string, IniSection>, errors: IniError[]): void {
  let section: IniSection | undefined;
  let key: string | undefined;
  let keyIndent = 0;
  let continued: string[] | undefined;
  const flush = (): void => {
    if (section && key && continued) section.entries.get(key)!.value = continued.join("\n").trimEnd();
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const trimmed = raw.trim();
    const commentAt = COMMENT_PREFIXES.some((p) => trimmed.startsWith(p)) ? 0 : inlineCommentAt(raw);
    const value = (commentAt >= 0 ? raw.slice(0, commentAt) : raw).trim();
    if (!value) {
      // an empty line inside a value is kept (trailing ones are dropped at the end), a comment line is not
      if (commentAt < 0 && continued) continued.push("");
      return;
    }
    const indent = raw.search(/\S/);
    if (section && key && continued && indent > keyIndent) {
      continued.push(value);
      return;
    }
    flush();
    keyIndent = indent;
    const header = SECTION.exec(value);
    if (header) {
      const name = header[1]!;
      section = into.get(name) ?? { name, file, line: lineNo, entries: new Map() };
      into.set(name, section);
      key = undefined;
      continued = undefined;
      return;
    }
    if (!section) {
      errors.push({ file, line: lineNo, message: `text before the first [section]: ${JSON.stringify(trimmed)}` });
      return;
    }
    const option = OPTION.exec(value);
    if (!option || !option[1]) {
      errors.push({ file, line: lineNo, message: `not a "key = value" line: ${JSON.stringify(trimmed)}` });
      key = undefined;
      continued = undefined;
      return;
    }
    key = option[1].trimEnd().toLowerCase();
    continued = [option[3]!.trim()];
    section.entries.set(key, { value: continued[0]!, file, line: lineNo });
  });
  flush();
}
