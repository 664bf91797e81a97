// A small line diff for plan previews: lines added and removed (longest common subsequence), capped
// so a huge file costs a count instead of a quadratic table.
const MAX_CELLS = 4_000_000;

/** Lines only in `after` (added) and only in `before` (removed), in order. */
export function lineDiff(before: string, after: string): { added: string[]; removed: string[] } {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  if (x.length * y.length > MAX_CELLS) return { added: y, removed: x };
  return lcsDiff(x, y);
}

/** The file's lines (a final newline does not make an extra empty line). */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.replace(/\n$/, "").split("\n");
}

function lcsDiff(x: string[], y: string[]): { added: string[]; removed: string[] } {
  const w = y.length + 1;
  const t = new Uint32Array((x.length + 1) * w);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      t[i * w + j] = x[i] === y[j] ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
    }
  }
  const added: string[] = [];
  const removed: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      i++;
      j++;
    } else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) removed.push(x[i++]!);
    else added.push(y[j++]!);
  }
  return { added: [...added, ...y.slice(j)], removed: [...removed, ...x.slice(i)] };
}
