/**
 * UTF-8 length and writing of short strings without allocating: for ASCII text (keys,
 * most values, every ENC text) a JavaScript loop measures or copies the characters;
 * anything else goes to the native encoder. Per-value joins, concatenations or Buffers
 * on a large file's main thread are what push V8's young generation to its maximum size
 * (some 12 MB more resident memory for a 100k-value file).
 */

/** Bytes of `s` in UTF-8. */
export function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, "utf8");
  return s.length;
}

/** Write `s` as UTF-8 at `out[pos..]` (room must be there); returns the end offset. */
export function writeUtf8(out: Buffer, s: string, pos: number): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return pos + out.write(s, pos, "utf8");
    out[pos + i] = c;
  }
  return pos + n;
}
