/**
 * The tight AES-256-GCM loops behind `cipher-jobs.ts`, over packed inputs (one byte
 * buffer + offsets) so the same code runs on the main thread and, unchanged, inside a
 * worker thread: the worker is started from these functions' source text
 * (`Function.prototype.toString`). They must therefore stay self-contained: no imports,
 * no outer variables, no nested named functions or classes — `node:crypto` is a parameter.
 *
 * The output is byte-identical to `encryptValue`/`decryptParsed` in `src/crypto/cipher.ts`
 * (test/tree/cipher-jobs.test.ts checks it): OpenSSL stays the only AES-GCM.
 */
import type * as NodeCrypto from "node:crypto";

/** `node:crypto`, as much of it as the loops use. */
export type CryptoModule = Pick<typeof NodeCrypto, "createCipheriv" | "createDecipheriv">;

/**
 * Encrypt jobs `from`..`to` (exclusive). Job i's AAD and plaintext are
 * `bytes[offs[2i]..offs[2i+1])` and `bytes[offs[2i+1]..offs[2i+2])`, its type
 * `typeNames[typeCodes[i]]`. Its `ENC[AES256_GCM,…]` text goes, as ASCII, to
 * `out[encOffs[i]..)` (the packer computed its exact length), whose `,iv:<base64>,tag:`
 * part is already there (`placeIvs` in cipher-encrypt.ts): the IV is read from it and
 * everything around it is written. That part is never written here, so two threads
 * doing the same job write the same bytes. No string or array per value: the garbage
 * collector's survivors, and a worker's reply, stay small.
 */
export function encryptPacked(
  crypto: CryptoModule,
  key: Uint8Array,
  bytes: Uint8Array,
  offs: Int32Array,
  typeCodes: Uint8Array,
  typeNames: readonly string[],
  out: Uint8Array,
  encOffs: Int32Array,
  from: number,
  to: number,
): void {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const b64 = new Uint8Array(64);
  const unb64 = new Uint8Array(256);
  for (let j = 0; j < 64; j++) {
    b64[j] = alphabet.charCodeAt(j);
    unb64[b64[j]!] = j;
  }
  const ascii = (text: string): Uint8Array => {
    const u = new Uint8Array(text.length);
    for (let j = 0; j < text.length; j++) u[j] = text.charCodeAt(j);
    return u;
  };
  const put = (src: Uint8Array, at: number): number => {
    for (let j = 0; j < src.length; j++) out[at + j] = src[j]!;
    return at + src.length;
  };
  // Standard padded base64 of src[s..e) at out[at..], as Buffer#toString("base64") writes it.
  const base64 = (src: Uint8Array, s: number, e: number, at: number): number => {
    let j = s;
    for (; j + 2 < e; j += 3) {
      const v = (src[j]! << 16) | (src[j + 1]! << 8) | src[j + 2]!;
      out[at] = b64[v >>> 18]!;
      out[at + 1] = b64[(v >>> 12) & 63]!;
      out[at + 2] = b64[(v >>> 6) & 63]!;
      out[at + 3] = b64[v & 63]!;
      at += 4;
    }
    if (j < e) {
      const two = j + 1 < e;
      const v = (src[j]! << 16) | (two ? src[j + 1]! << 8 : 0);
      out[at] = b64[v >>> 18]!;
      out[at + 1] = b64[(v >>> 12) & 63]!;
      out[at + 2] = two ? b64[(v >>> 6) & 63]! : 61;
      out[at + 3] = 61;
      at += 4;
    }
    return at;
  };
  const head = ascii("ENC[AES256_GCM,data:");
  const typeSep = ascii(",type:");
  const typeTails = typeNames.map((name) => ascii(name + "]"));
  let iv = new Uint8Array(32);
  for (let i = from; i < to; i++) {
    const start = encOffs[i]!;
    const dataLen = offs[2 * i + 2]! - offs[2 * i + 1]!;
    // The IV's base64 follows `ENC[AES256_GCM,data:<data>,iv:` and ends at `,tag:`.
    const ivText = start + head.length + Math.ceil(dataLen / 3) * 4 + 4;
    let ivTextEnd = ivText;
    while (ivTextEnd < out.length && out[ivTextEnd] !== 44) ivTextEnd++;
    let ivLen = 0;
    if (iv.length < ((ivTextEnd - ivText) / 4) * 3) iv = new Uint8Array(((ivTextEnd - ivText) / 4) * 3);
    for (let j = ivText; j + 3 < ivTextEnd; j += 4) {
      const v = (unb64[out[j]!]! << 18) | (unb64[out[j + 1]!]! << 12) | (unb64[out[j + 2]!]! << 6) | unb64[out[j + 3]!]!;
      iv[ivLen++] = v >>> 16;
      if (out[j + 2] !== 61) iv[ivLen++] = (v >>> 8) & 255;
      if (out[j + 3] !== 61) iv[ivLen++] = v & 255;
    }
    const cipher = crypto.createCipheriv("aes-256-gcm", key, iv.subarray(0, ivLen));
    cipher.setAAD(bytes.subarray(offs[2 * i]!, offs[2 * i + 1]!));
    // GCM is a stream mode: update() returns all the ciphertext; final() adds nothing.
    const data = cipher.update(bytes.subarray(offs[2 * i + 1]!, offs[2 * i + 2]!));
    cipher.final();
    const tag = cipher.getAuthTag();
    base64(data, 0, data.length, put(head, start));
    // Past `,tag:`.
    let at = base64(tag, 0, tag.length, ivTextEnd + 5);
    at = put(typeSep, at);
    put(typeTails[typeCodes[i]!]!, at);
  }
}

/**
 * Decrypt jobs `from`..`to`. Job i's AAD, IV, tag and ciphertext are
 * `bytes[offs[4i]..offs[4i+1])`, `[..offs[4i+2])`, `[..offs[4i+3])`, `[..offs[4i+4])`.
 * Plaintext i is written to `out` at `outOffs[i]` (its length equals the ciphertext's);
 * `ok[i]` becomes 1 on success, 0 when authentication failed (its bytes are zeroed).
 */
export function decryptPacked(
  crypto: CryptoModule,
  key: Uint8Array,
  bytes: Uint8Array,
  offs: Int32Array,
  out: Uint8Array,
  outOffs: Int32Array,
  ok: Uint8Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const a = offs[4 * i]!;
    const v = offs[4 * i + 1]!;
    const t = offs[4 * i + 2]!;
    const d = offs[4 * i + 3]!;
    const e = offs[4 * i + 4]!;
    const at = outOffs[i]!;
    try {
      const decipher = crypto.createDecipheriv("aes-256-gcm", key, bytes.subarray(v, t));
      decipher.setAAD(bytes.subarray(a, v));
      decipher.setAuthTag(bytes.subarray(t, d));
      out.set(decipher.update(bytes.subarray(d, e)), at);
      decipher.final();
      ok[i] = 1;
    } catch {
      out.fill(0, at, at + (e - d));
      ok[i] = 0;
    }
  }
}
