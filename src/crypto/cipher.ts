import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * The SOPS value cipher: AES-256-GCM with a 32-byte IV (GCM derives the counter block
 * through GHASH for non-96-bit IVs; OpenSSL supports it) and the key path as AAD.
 * Serialized as `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` with padded std base64.
 */

export const IV_BYTES = 32;
const TAG_BYTES = 16;
const ENC_PREFIX = "ENC[AES256_GCM,";
const ENC_PATTERN = /^ENC\[AES256_GCM,data:([A-Za-z0-9+/=]+),iv:([A-Za-z0-9+/=]+),tag:([A-Za-z0-9+/=]+),type:([a-z_]+)\]\s*$/;

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

function strictBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0) return undefined;
  const buf = Buffer.from(text, "base64");
  // Buffer.from is lenient; re-encoding must give the same text.
  return buf.toString("base64") === text ? buf : undefined;
}

/** Parse an ENC string; `undefined` when malformed. */
export function parseEnc(text: string): ParsedEnc | undefined {
  const m = ENC_PATTERN.exec(text);
  if (!m) return undefined;
  const data = strictBase64(m[1]!);
  const iv = strictBase64(m[2]!);
  const tag = strictBase64(m[3]!);
  if (!data || !iv || !tag || iv.length === 0 || tag.length !== TAG_BYTES) return undefined;
  return { data, iv, tag, type: m[4]! };
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
