// Secret redaction by value: every string that leaves foyer (logs, plans, errors) passes through
// a Redactor, so a secret cannot leak even through an unexpected path (an env helper, a hook's
// output, an error message quoting a value).

/** Replaces every registered secret value with `<secret:NAME>`. */
export class Redactor {
  private readonly values = new Map<string, string>();

  /** Register a secret value under its name (empty values cannot be masked and are skipped). */
  add(name: string, value: string): void {
    if (value.length === 0) return;
    this.values.set(value, name);
    // a trailing newline is common in secret files; also mask the trimmed form
    const trimmed = value.trim();
    if (trimmed && trimmed !== value) this.values.set(trimmed, name);
  }

  /** The registered values, longest first (so a secret containing another is masked whole). */
  private ordered(): Array<[string, string]> {
    return [...this.values.entries()].sort((a, b) => b[0].length - a[0].length);
  }

  /** The text with all secret values masked. */
  redact(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    for (const [value, name] of this.ordered()) {
      if (out.includes(value)) out = out.split(value).join(`<secret:${name}>`);
    }
    return out;
  }

  /** True when the text contains any registered secret value. */
  leaks(text: string): boolean {
    for (const value of this.values.keys()) if (text.includes(value)) return true;
    return false;
  }
}
