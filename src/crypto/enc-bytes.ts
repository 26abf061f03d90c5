/**
 * `encTypeOfText` over the bytes of a pure-ASCII text, for batches: many texts are
 * written into one buffer with a few native calls and checked there, which is several
 * times cheaper than reading each string character by character. For ASCII texts it
 * accepts exactly what `encTypeOfText` accepts (test/crypto/enc-shape.test.ts); callers
 * send any text with non-ASCII characters to `encTypeOfText` itself.
 */
import { KNOWN_TYPES } from "./cipher.js";
import { B64, PAD1, PAD2, TYPE, classTable, is } from "./enc-classes.js";

/** Whether `src[at..]` holds ASCII `lit` before `end`. */
function has(src: Uint8Array, at: number, end: number, lit: string): boolean {
  if (at + lit.length > end) return false;
  for (let k = 0; k < lit.length; k++) if (src[at + k] !== lit.charCodeAt(k)) return false;
  return true;
}

/** End of `[A-Za-z0-9+/]+={0,2}` at `i` (before `end`), or -1 without a base64 character. */
function b64Run(t: Uint8Array, src: Uint8Array, i: number, end: number): number {
  const from = i;
  while (i < end && is(t, src[i]!, B64)) i++;
  if (i === from) return -1;
  if (i < end && src[i] === 61) i++;
  if (i < end && src[i] === 61) i++;
  return i;
}

/** Canonical padded base64 in `src[from..to)` (shape already checked). */
function canonical(t: Uint8Array, src: Uint8Array, from: number, to: number): boolean {
  if ((to - from) % 4 !== 0) return false;
  if (src[to - 1] !== 61) return true;
  if (src[to - 2] === 61) return is(t, src[to - 3]!, PAD2);
  return is(t, src[to - 2]!, PAD1);
}

/**
 * Check the ASCII ENC text in `src[s..e)`. When well-formed, writes the ends of its data
 * and IV parts to `marks[m]`, `marks[m + 1]` and returns the end of its type tag (which
 * starts 30 bytes after the IV's end); -1 when malformed.
 */
export function scanEncBytes(src: Uint8Array, s: number, e: number, marks: Int32Array, m: number): number {
  const t = classTable();
  if (!has(src, s, e, "ENC[AES256_GCM,data:")) return -1;
  const dataEnd = b64Run(t, src, s + 20, e);
  if (dataEnd < 0 || !has(src, dataEnd, e, ",iv:")) return -1;
  const ivEnd = b64Run(t, src, dataEnd + 4, e);
  if (ivEnd < 0 || !has(src, ivEnd, e, ",tag:")) return -1;
  const tag = ivEnd + 5;
  if (tag + 30 > e) return -1;
  for (let i = tag; i < tag + 21; i++) if (!is(t, src[i]!, B64)) return -1;
  if (!is(t, src[tag + 21]!, PAD2) || src[tag + 22] !== 61 || src[tag + 23] !== 61 || !has(src, tag + 24, e, ",type:")) return -1;
  const at = tag + 30;
  let end = at;
  while (end < e && is(t, src[end]!, TYPE)) end++;
  if (end === at || end >= e || src[end] !== 93) return -1;
  // `\s` among ASCII characters: TAB, LF, VT, FF, CR and space.
  for (let i = end + 1; i < e; i++) {
    const c = src[i]!;
    if (c !== 32 && (c < 9 || c > 13)) return -1;
  }
  if (!canonical(t, src, s + 20, dataEnd) || !canonical(t, src, dataEnd + 4, ivEnd)) return -1;
  marks[m] = dataEnd;
  marks[m + 1] = ivEnd;
  return end;
}

/** The type tag in ASCII `src[at..end)`, interned when it is a known one. */
export function typeOfBytes(src: Uint8Array, at: number, end: number): string {
  for (const known of KNOWN_TYPES) if (end - at === known.length && has(src, at, end, known)) return known;
  return Buffer.from(src.buffer, src.byteOffset + at, end - at).toString("latin1");
}
