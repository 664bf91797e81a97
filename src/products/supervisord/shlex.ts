// The two ways supervisord splits text, as Python's shlex does them: `command` with
// shlex.split (POSIX rules: quotes removed, backslash escapes, no comments) and `environment`
// with a non-POSIX shlex.shlex (quotes kept on the token, `#` starts a comment, every other
// punctuation character is a token of its own).

/** shlex.split(text): argv, or an error message (unclosed quote, trailing backslash). */
export function shlexSplit(text: string): string[] | { error: string } {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = c === "'" ? text.indexOf("'", i + 1) : closingDoubleQuote(text, i + 1);
      if (end < 0) return { error: "no closing quotation" };
      const body = text.slice(i + 1, end);
      // in double quotes a backslash escapes only " and \ (others stay as written)
      word += c === "'" ? body : body.replace(/\\(["\\])/g, "$1");
      inWord = true;
      i = end;
    } else if (c === "\\") {
      if (i + 1 >= text.length) return { error: "no escaped character" };
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function closingDoubleQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

// shlex's default word characters, plus the ones supervisord adds for KEY=val lists
const WORD = /[A-Za-z0-9_/.+\-():]/;

/** shlex.shlex(text) tokens (non-POSIX), or an error message (unclosed quote). */
export function shlexTokens(text: string): string[] | { error: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === "#") i = skipLine(text, i);
    else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return { error: "no closing quotation" };
      tokens.push(text.slice(i, end + 1));
      i = end + 1;
    } else if (WORD.test(c)) {
      // a word goes on through word characters and quotes; a `#` skips to the next line and
      // the word goes on there (Python's shlex does exactly this in non-POSIX mode)
      let token = "";
      while (i < text.length) {
        const d = text[i]!;
        if (WORD.test(d) || d === "'" || d === '"') token += text[i++];
        else if (d === "#") i = skipLine(text, i);
        else break;
      }
      tokens.push(token);
    } else {
      tokens.push(c);
      i++;
    }
  }
  return tokens;
}

function skipLine(text: string, i: number): number {
  const nl = text.indexOf("\n", i);
  return nl < 0 ? text.length : nl + 1;
}

/** supervisord's `KEY="val",KEY2=val2` (dict_of_key_value_pairs): quotes allow commas and spaces in a value. */
export function keyValuePairs(text: string): Record<string, string> | { error: string } {
  const tokens = shlexTokens(text);
  if ("error" in tokens) return tokens;
  const out: Record<string, string> = {};
  // KEY = VALUE, then one separator token (supervisord skips it without looking at it)
  for (let i = 0; i < tokens.length; i += 4) {
    const [k, eq, v] = tokens.slice(i, i + 3);
    if (k === undefined || eq !== "=" || v === undefined) return { error: `unexpected end of KEY=value pairs near ${JSON.stringify(tokens.slice(i).join(" "))}` };
    out[k] = v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0] ? v.slice(1, -1) : v;
  }
  return out;
}
