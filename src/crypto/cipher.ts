import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { B64, PAD1, PAD2, TYPE, classTable, is } from "./enc-classes.js";

/**
 * The SOPS value cipher: AES-256-GCM with a 32-byte IV (GCM derives the counter block
 * through GHASH for non-96-bit IVs; OpenSSL supports it) and the key path as AAD.
 * Serialized as `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` with padded std base64.
 */

export const IV_BYTES = 32;
const ENC_PREFIX = "ENC[AES256_GCM,";
/**
 * End of `[A-Za-z0-9+/]+={0,2}` at `from`, or -1 when there is no base64 character.
 * (A third `=` is left for the caller's separator check to reject.)
 */
function b64Run(t: Uint8Array, text: string, from: number): number {
  let i = from;
  while (is(t, text.charCodeAt(i), B64)) i++;
  if (i === from) return -1;
  if (text.charCodeAt(i) === 61) i++;
  if (text.charCodeAt(i) === 61) i++;
  return i;
}

/** Whether `c` matches the regex `\s` (ECMAScript WhiteSpace and LineTerminator). */
function isRegexSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Whether base64 `text[from..to)` (shape already checked) is canonical, as
 * `Buffer#toString("base64")` writes it (length, zero unused bits): this replaces
 * decoding and re-encoding every value.
 */
function canonical(t: Uint8Array, text: string, from: number, to: number): boolean {
  if ((to - from) % 4 !== 0) return false;
  if (text.charCodeAt(to - 1) !== 61) return true;
  if (text.charCodeAt(to - 2) === 61) return is(t, text.charCodeAt(to - 3), PAD2);
  return is(t, text.charCodeAt(to - 2), PAD1);
}

const ENC_DATA_PREFIX = "ENC[AES256_GCM,data:";
const DATA_AT = ENC_DATA_PREFIX.length;

/** The well-formed ENC string's parts, as offsets into the text (base64 ranges exclusive). */
export interface EncParts {
  dataEnd: number;
  ivStart: number;
  ivEnd: number;
  tagStart: number;
  tagEnd: number;
  type: string;
}

export interface ParsedEnc {
  data: Buffer;
  iv: Buffer;
  tag: Buffer;
  type: string;
}

/** Cheap check used by walkers before the full parse. */
export function looksEncrypted(text: string): boolean {
  return text.startsWith(ENC_PREFIX);
}

/** Type tags interned so 100k values do not each keep their own copy. */
export const KNOWN_TYPES = ["str", "int", "float", "bool", "comment", "time", "bytes", "datetime_local", "date_local", "time_local"];

/** Tag part: 22 base64 characters (16 bytes, the last with zero unused bits) and `==`. */
const TAG_CHARS = 24;

/**
 * `type:` of a well-formed ENC string, without decoding anything; `undefined` when
 * malformed. One exact character scan that accepts exactly what the former check did:
 * `/^ENC\[AES256_GCM,data:[A-Za-z0-9+/]+={0,2},iv:[A-Za-z0-9+/]+={0,2},tag:[A-Za-z0-9+/]{21}[AQgw]==,type:[a-z_]+\]\s*$/`
 * plus canonical data and IV base64 (a regex per value cost more than the AES-GCM).
 */
export function encTypeOfText(text: string): string | undefined {
  if (!text.startsWith(ENC_DATA_PREFIX)) return undefined;
  const t = classTable();
  const dataEnd = b64Run(t, text, DATA_AT);
  if (dataEnd < 0 || !text.startsWith(",iv:", dataEnd)) return undefined;
  const ivEnd = b64Run(t, text, dataEnd + 4);
  if (ivEnd < 0 || !text.startsWith(",tag:", ivEnd)) return undefined;
  const tag = ivEnd + 5;
  for (let i = tag; i < tag + 21; i++) if (!is(t, text.charCodeAt(i), B64)) return undefined;
  if (!is(t, text.charCodeAt(tag + 21), PAD2) || text.charCodeAt(tag + 22) !== 61 || text.charCodeAt(tag + 23) !== 61) return undefined;
  const at = tag + TAG_CHARS + 6;
  if (!text.startsWith(",type:", at - 6)) return undefined;
  let end = at;
  while (is(t, text.charCodeAt(end), TYPE)) end++;
  if (end === at || text.charCodeAt(end) !== 93) return undefined;
  for (let i = end + 1; i < text.length; i++) if (!isRegexSpace(text.charCodeAt(i))) return undefined;
  if (!canonical(t, text, DATA_AT, dataEnd) || !canonical(t, text, dataEnd + 4, ivEnd)) return undefined;
  for (const known of KNOWN_TYPES) if (end - at === known.length && text.startsWith(known, at)) return known;
  return text.slice(at, end);
}

/** Offsets of the base64 parts of an ENC string already validated by `encTypeOfText`. */
export function encParts(text: string, type: string): EncParts {
  const dataEnd = text.indexOf(",iv:", DATA_AT);
  const ivEnd = text.indexOf(",tag:", dataEnd + 4);
  const tagEnd = text.indexOf(",type:", ivEnd + 5);
  return { dataEnd, ivStart: dataEnd + 4, ivEnd, tagStart: ivEnd + 5, tagEnd, type };
}

/** First offset of the data part (fixed: right after the prefix). */
export const ENC_DATA_START = DATA_AT;

/** Parse an ENC string; `undefined` when malformed. */
export function parseEnc(text: string): ParsedEnc | undefined {
  const type = encTypeOfText(text);
  if (type === undefined) return undefined;
  const p = encParts(text, type);
  return {
    data: Buffer.from(text.slice(DATA_AT, p.dataEnd), "base64"),
    iv: Buffer.from(text.slice(p.ivStart, p.ivEnd), "base64"),
    tag: Buffer.from(text.slice(p.tagStart, p.tagEnd), "base64"),
    type,
  };
}

/** Encrypt one value. `iv` is only passed to reproduce an existing ciphertext byte for byte. */
export function encryptValue(key: Uint8Array, plaintext: Uint8Array, aad: string, type: string, iv?: Uint8Array): string {
  const nonce = iv ?? randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString("base64")},iv:${Buffer.from(nonce).toString("base64")},tag:${tag.toString("base64")},type:${type}]`;
}

/** Decrypt a parsed ENC value. Throws (OpenSSL "unsupported state or unable to authenticate data") on tampering. */
export function decryptParsed(key: Uint8Array, parsed: ParsedEnc, aad: string): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, parsed.iv);
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(parsed.tag);
  return Buffer.concat([decipher.update(parsed.data), decipher.final()]);
}
