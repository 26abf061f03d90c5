/**
 * A part sink that encodes as it goes: the same bytes as `PartSink#toBytes` (UTF-8 of
 * the parts concatenated), without keeping a reference to every part until the end.
 * At 100k values a whole-file part list is some 800k references that all survive the
 * young generation (and make V8 grow it); here parts die young, a few kilobytes at a time.
 */

/** Characters gathered before one native write (as `emit-bytes.ts`). */
const BATCH = 16384;
/** First output capacity; doubled as needed (untouched capacity costs no resident memory). */
const INITIAL = 1 << 20;

export class ByteSink {
  private out = Buffer.allocUnsafeSlow(INITIAL);
  private used = 0;
  private text = "";

  push(a: string, b?: string, c?: string, d?: string): void {
    let text = this.text + a;
    if (b !== undefined) text += b;
    if (c !== undefined) text += c;
    if (d !== undefined) text += d;
    this.text = text;
    if (text.length >= BATCH && !isHighSurrogate(text.charCodeAt(text.length - 1))) this.flush();
  }

  private flush(): void {
    const text = this.text;
    this.text = "";
    const bytes = Buffer.byteLength(text, "utf8");
    if (this.used + bytes > this.out.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.used + bytes, 2 * this.out.length));
      this.out.copy(bigger, 0, 0, this.used);
      this.out = bigger;
    }
    // All ASCII: Latin-1 and UTF-8 agree, and the Latin-1 writer copies instead of encoding.
    this.used += bytes === text.length ? this.out.write(text, this.used, "latin1") : this.out.write(text, this.used, "utf8");
  }

  toBytes(): Uint8Array {
    if (this.text) this.flush();
    return new Uint8Array(this.out.buffer, this.out.byteOffset, this.used);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code < 0xdc00;
}
