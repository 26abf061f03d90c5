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
 * `bytes[offs[2i]..offs[2i+1])` and `bytes[offs[2i+1]..offs[2i+2])`; its IV is
 * `ivs[ivOffs[i]..ivOffs[i+1])`. Returns the `ENC[AES256_GCM,…]` strings.
 */
export function encryptPacked(
  crypto: CryptoModule,
  key: Uint8Array,
  bytes: Buffer,
  offs: Int32Array,
  ivs: Buffer,
  ivOffs: Int32Array,
  types: readonly string[],
  from: number,
  to: number,
): string[] {
  const out: string[] = new Array<string>(to - from);
  for (let i = from; i < to; i++) {
    const a = offs[2 * i]!;
    const p = offs[2 * i + 1]!;
    const e = offs[2 * i + 2]!;
    const iv = ivs.subarray(ivOffs[i]!, ivOffs[i + 1]!);
    const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(bytes.subarray(a, p));
    // GCM is a stream mode: update() returns all the ciphertext; final() adds nothing.
    const data = cipher.update(bytes.subarray(p, e));
    cipher.final();
    const tag = cipher.getAuthTag();
    out[i - from] = "ENC[AES256_GCM,data:" + data.toString("base64") + ",iv:" + iv.toString("base64") + ",tag:" + tag.toString("base64") + ",type:" + types[i] + "]";
  }
  return out;
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
  bytes: Buffer,
  offs: Int32Array,
  out: Buffer,
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
      decipher.update(bytes.subarray(d, e)).copy(out, at);
      decipher.final();
      ok[i] = 1;
    } catch {
      out.fill(0, at, at + (e - d));
      ok[i] = 0;
    }
  }
}

/** What `decryptDirect` reads from each job. */
export interface DirectDecryptInput {
  parsed: { data: Buffer; iv: Buffer; tag: Buffer };
  aad: string;
}

/**
 * Main-thread decryption straight from parsed jobs (no packing copy): jobs `from`..`to`
 * into `result[from..to)`, `undefined` where authentication failed.
 */
export function decryptDirect(crypto: CryptoModule, key: Uint8Array, jobs: readonly DirectDecryptInput[], result: (Buffer | undefined)[], from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const { parsed, aad } = jobs[i]!;
    try {
      const decipher = crypto.createDecipheriv("aes-256-gcm", key, parsed.iv);
      decipher.setAAD(Buffer.from(aad, "utf8"));
      decipher.setAuthTag(parsed.tag);
      const plaintext = decipher.update(parsed.data);
      try {
        decipher.final();
      } catch {
        plaintext.fill(0);
        result[i] = undefined;
        continue;
      }
      result[i] = plaintext;
    } catch {
      result[i] = undefined;
    }
  }
}
