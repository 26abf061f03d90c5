/**
 * Decoding of checked ENC texts' base64 parts, shared by the two decrypt packers
 * (`cipher-texts.ts`, `cipher-ranges-pack.ts`).
 */
import { encTypeOfText } from "../crypto/cipher.js";
import { plain } from "./cipher-pack.js";

/** Base64 alphabet → 6-bit values (built on first use). */
let sextets: Uint8Array | undefined;

export function sextetTable(): Uint8Array {
  return (sextets ??= buildSextetTable());
}

/** The table itself. Self-contained: the worker program embeds its source (cipher-pool.ts). */
export function buildSextetTable(): Uint8Array {
  const t = new Uint8Array(128);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}

/**
 * Decode validated, canonical, padded base64 `src[from..to)` (ASCII bytes) into `out` at
 * `at`; returns the end. A plain loop: no substring and no native call per part.
 * Self-contained: the worker program embeds its source (cipher-pool.ts).
 */
export function decodeB64(src: Uint8Array, from: number, to: number, out: Uint8Array, at: number, t: Uint8Array): number {
  let end = to;
  while (src[end - 1] === 61) end--;
  let i = from;
  for (; i + 3 < end; i += 4) {
    const v = (t[src[i]!]! << 18) | (t[src[i + 1]!]! << 12) | (t[src[i + 2]!]! << 6) | t[src[i + 3]!]!;
    out[at] = v >>> 16;
    out[at + 1] = (v >>> 8) & 255;
    out[at + 2] = v & 255;
    at += 3;
  }
  const rest = end - i;
  if (rest >= 2) {
    const v = (t[src[i]!]! << 18) | (t[src[i + 1]!]! << 12) | (rest === 3 ? t[src[i + 2]!]! << 6 : 0);
    out[at++] = v >>> 16;
    if (rest === 3) out[at++] = (v >>> 8) & 255;
  }
  return at;
}

/**
 * The exact string check for a text the byte check cannot take: a well-formed text is
 * ASCII up to its `]` (only the whitespace after it may not be), so those bytes come
 * back to be checked again and decoded; `undefined` when malformed.
 */
export function checkText(text: string): Uint8Array | undefined {
  if (encTypeOfText(text) === undefined) return undefined;
  return plain(Buffer.from(text.slice(0, text.indexOf("]") + 1), "latin1"));
}
