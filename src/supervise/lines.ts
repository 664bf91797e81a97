// Byte chunks → whole lines. A pipe delivers arbitrary chunks; lines must leave foyer whole, so a
// partial line waits for its end. Lines longer than the bound are cut (never dropped), and the
// last partial line is flushed when the stream ends. Bytes are kept as they are (binary survives).

/** Longest piece written as one line; longer lines are split into pieces of this size. */
export const MAX_LINE_BYTES = 64 * 1024;

/** Splits a byte stream into lines (without their "\n"). */
export class LineSplitter {
  /** the pieces of over-long lines that end at the bound, not at a newline (output redaction joins them) */
  readonly cut = new WeakSet<Buffer>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxBytes = MAX_LINE_BYTES) {}

  /** Feed a chunk; returns the lines it completed. */
  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl < 0 ? chunk.length : nl;
      this.take(chunk.subarray(start, end), lines);
      if (nl < 0) break;
      lines.push(this.drain());
      start = nl + 1;
    }
    return lines;
  }

  /** The partial last line, if any (call at end of stream). */
  flush(): Buffer[] {
    return this.pendingBytes > 0 ? [this.drain()] : [];
  }

  // Append bytes to the partial line, emitting full pieces whenever the bound is reached.
  private take(bytes: Buffer, lines: Buffer[]): void {
    let rest = bytes;
    while (this.pendingBytes + rest.length >= this.maxBytes && rest.length > 0) {
      const room = this.maxBytes - this.pendingBytes;
      this.pending.push(Buffer.from(rest.subarray(0, room)));
      this.pendingBytes += room;
      rest = rest.subarray(room);
      if (rest.length > 0) {
        const piece = this.drain();
        this.cut.add(piece);
        lines.push(piece);
      }
    }
    if (rest.length) {
      // copy: the chunk's memory may be reused by the stream
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
  }

  private drain(): Buffer {
    const line = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return line;
  }
}
