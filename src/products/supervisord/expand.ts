// supervisord's `%(name)s` expansions (Python %-formatting against a dict): `%(ENV_HOME)s`,
// `%(program_name)s`, `%(process_num)02d`, `%(here)s`…, and `%%` for a literal percent sign.

const FORMAT = /%(?:%|\(([^)]*)\)([-#0 +]*)(\d*)(?:\.(\d+))?([sdrif]))/g;

/** Expand every `%(name)s` in `text`; an unknown name or a lone `%` is an error, as in supervisord. */
export function expand(text: string, values: Record<string, string | number>): string | { error: string } {
  if (!text.includes("%")) return text;
  // a % that starts no valid format: Python raises, supervisord refuses the value
  if (text.replace(FORMAT, "").includes("%")) return { error: "a lone % (write %% for a percent sign)" };
  let error: string | undefined;
  const out = text.replace(FORMAT, (all, name: string | undefined, flags: string, width: string, _precision, type: string) => {
    if (all === "%%") return "%";
    if (!(name! in values)) {
      error ??= `%(${name})${type} names nothing supervisord knows${name!.startsWith("ENV_") ? ` (environment variable ${name!.slice(4)} is not set)` : ""}`;
      return all;
    }
    const v = values[name!]!;
    let s = type === "d" || type === "i" ? String(Math.trunc(Number(v))) : String(v);
    const w = Number(width || 0);
    if (s.length < w) s = flags.includes("-") ? s.padEnd(w) : flags.includes("0") && type !== "s" ? s.padStart(w, "0") : s.padStart(w);
    return s;
  });
  return error ? { error } : out;
}
