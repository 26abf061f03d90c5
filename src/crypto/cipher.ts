import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * The SOPS value cipher: AES-256-GCM with a 32-byte IV (GCM derives the counter block
 * through GHASH for non-96-bit IVs; OpenSSL supports it) and the key path as AAD.
 * Serialized as `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` with padded std base64.
 */

export const IV_BYTES = 32;
const ENC_PREFIX = "ENC[AES256_GCM,";
/**
 * The ENC shape with padded std base64 parts. Only flat character-class loops: a
 * repeated group would overflow the regex backtrack stack on a multi-megabyte value.
 * `canonical` then checks what `Buffer#toString("base64")` guarantees (length, zero
 * unused bits), which replaces decoding and re-encoding every value.
 */
const ENC_SHAPE = /^ENC\[AES256_GCM,data:[A-Za-z0-9+/]+={0,2},iv:[A-Za-z0-9+/]+={0,2},tag:[A-Za-z0-9+/]{21}[AQgw]==,type:[a-z_]+\]\s*$/;
/** Last data character before `==` / `=` padding: its unused low bits must be zero. */
const BEFORE_2_PAD = /[AQgw]/;
const BEFORE_1_PAD = /[AEIMQUYcgkosw048]/;

/** Whether base64 `text[from..to)` (shape already checked) is canonical. */
function canonical(text: string, from: number, to: number): boolean {
  if ((to - from) % 4 !== 0) return false;
  if (text.charCodeAt(to - 1) !== 61) return true;
  if (text.charCodeAt(to - 2) === 61) return BEFORE_2_PAD.test(text[to - 3]!);
  return BEFORE_1_PAD.test(text[to - 2]!);
}
const DATA_AT = "ENC[AES256_GCM,data:".length;

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
const KNOWN_TYPES = ["str", "int", "float", "bool", "comment", "time", "bytes", "datetime_local", "date_local", "time_local"];

/** `type:` of a well-formed ENC string (validated like `parseEnc`), without decoding anything. */
export function encTypeOfText(text: string): string | undefined {
  if (!ENC_SHAPE.test(text)) return undefined;
  const dataEnd = text.indexOf(",iv:", DATA_AT);
  const ivEnd = text.indexOf(",tag:", dataEnd + 4);
  if (!canonical(text, DATA_AT, dataEnd) || !canonical(text, dataEnd + 4, ivEnd)) return undefined;
  const at = text.indexOf(",type:", ivEnd + 5) + 6;
  const end = text.indexOf("]", at);
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
