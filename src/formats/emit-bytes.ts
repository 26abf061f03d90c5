/**
 * Encode emitted parts (strings, and raw byte runs of lines that were not UTF-8) into
 * one byte array, without first joining them into one big string.
 *
 * Joining then encoding holds the output twice at the end (a 15 MB string and its 15 MB
 * of bytes for a 100k-value encrypted file). Here the output buffer is sized from the
 * parts' lengths — exact when the text is ASCII, as encrypted output always is — and
 * filled in batches of a few kilobytes, so the only full-size copy is the result.
 */


/** Characters gathered before one native write: few calls, short-lived strings. */
const BATCH = 16384;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code < 0xdc00;
}

type Part = string | Uint8Array;

/** Parts gathered per block: no array of a million parts regrown (and copied) as it fills. */
const BLOCK = 8192;

/**
 * An emitter's output in order, kept as references to the parts (most are strings the
 * tree already holds), in fixed-size blocks. `push` takes up to four parts: no rest
 * array per call.
 */
export class PartSink {
  private readonly blocks: Part[][] = [];
  private cur: Part[] = [];

  push(a: Part, b?: Part, c?: Part, d?: Part): void {
    const cur = this.cur;
    cur.push(a);
    if (b !== undefined) cur.push(b);
    if (c !== undefined) cur.push(c);
    if (d !== undefined) cur.push(d);
    if (cur.length >= BLOCK) {
      this.blocks.push(cur);
      this.cur = [];
    }
  }

  toBytes(): Uint8Array {
    return blocksToBytes([...this.blocks, this.cur]);
  }
}

/** The UTF-8 bytes of `parts` concatenated (see `blocksToBytes`). */
export function partsToBytes(parts: readonly Part[]): Uint8Array {
  return blocksToBytes([parts]);
}

/**
 * The UTF-8 bytes of the parts concatenated. Same bytes as encoding the joined text: a
 * batch never ends between the two halves of a surrogate pair.
 */
function blocksToBytes(blocks: ReadonlyArray<readonly Part[]>): Uint8Array {
  let remaining = 0;
  for (const parts of blocks) for (const p of parts) remaining += p.length;
  let out = Buffer.allocUnsafe(remaining);
  let used = 0;
  const reserve = (bytes: number): void => {
    if (used + bytes <= out.length) return;
    // Non-ASCII text takes more bytes than characters: grow (rare, and never for ENC values).
    const bigger = Buffer.allocUnsafe(Math.max(used + bytes + remaining, Math.ceil(out.length * 1.5)));
    out.copy(bigger, 0, 0, used);
    out = bigger;
  };
  let text = "";
  const flush = (): void => {
    remaining -= text.length;
    const bytes = Buffer.byteLength(text, "utf8");
    reserve(bytes);
    // As many bytes as characters: all ASCII, where Latin-1 and UTF-8 agree, and the
    // Latin-1 writer copies instead of encoding character by character.
    used += bytes === text.length ? out.write(text, used, "latin1") : out.write(text, used, "utf8");
    text = "";
  };
  for (const parts of blocks) {
    for (const p of parts) {
      if (typeof p === "string") {
        text += p;
        if (text.length >= BATCH && !isHighSurrogate(text.charCodeAt(text.length - 1))) flush();
      } else {
        if (text) flush();
        remaining -= p.length;
        reserve(p.length);
        out.set(p, used);
        used += p.length;
      }
    }
  }
  if (text) flush();
  // A plain Uint8Array view (callers and tests compare with Uint8Array), no copy.
  return new Uint8Array(out.buffer, out.byteOffset, used);
}
