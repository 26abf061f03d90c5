/**
 * The decrypt loop for ENC texts left in the input bytes (`cipher-ranges-pack.ts`): the
 * packed buffer holds only each job's AAD, and the base64 IV, tag and ciphertext are
 * decoded from the input by the thread that decrypts the job, into a small scratch,
 * right before AES-GCM. So no input-sized decoded copy exists, and the decoding runs on
 * both threads instead of on the main thread before the batch.
 *
 * Like `cipher-batch.ts`, this runs unchanged inside the worker thread (started from its
 * source text): self-contained, no imports or outer variables, `node:crypto` a parameter.
 */
import type { CryptoModule } from "./cipher-batch.js";
import type { decodeB64 } from "./enc-b64.js";

/**
 * Decrypt jobs `from`..`to`. Job i has five entries `offs[5i..5i+5)` = a, v, x, y, z:
 * its AAD is `bytes[a..v)`. When x ≥ 0 its base64 parts are in `src`: ciphertext
 * `[x..y)`, IV `[y+4..z)`, tag `[z+5..z+29)` (an `ENC[…]` text's layout). When x < 0
 * they were decoded into `bytes`: IV `[v..y)`, tag `[y..z)`, ciphertext up to the next
 * job's AAD start `offs[5i+5]`. Plaintext i goes to `out` at `outOffs[i]` (its length is
 * the ciphertext's); `ok[i]` is 1 on success, else 0 with its bytes zeroed. `decode` and
 * `sextets` are enc-b64.ts's `decodeB64` and table (passed in: no imports here).
 */
export function decryptRanges(
  crypto: CryptoModule,
  key: Uint8Array,
  src: Uint8Array,
  bytes: Uint8Array,
  offs: Int32Array,
  out: Uint8Array,
  outOffs: Int32Array,
  ok: Uint8Array,
  from: number,
  to: number,
  decode: typeof decodeB64,
  sextets: Uint8Array,
): void {
  let scratch = new Uint8Array(4096);
  for (let i = from; i < to; i++) {
    const a = offs[5 * i]!;
    const v = offs[5 * i + 1]!;
    const x = offs[5 * i + 2]!;
    const y = offs[5 * i + 3]!;
    const z = offs[5 * i + 4]!;
    const at = outOffs[i]!;
    const n = outOffs[i + 1]! - at;
    let iv: Uint8Array;
    let tag: Uint8Array;
    let data: Uint8Array;
    if (x < 0) {
      iv = bytes.subarray(v, y);
      tag = bytes.subarray(y, z);
      data = bytes.subarray(z, offs[5 * i + 5]!);
    } else {
      const need = n + z - y + 32;
      if (scratch.length < need) scratch = new Uint8Array(2 * need);
      const p = decode(src, y + 4, z, scratch, 0, sextets);
      const q = decode(src, z + 5, z + 29, scratch, p, sextets);
      const r = decode(src, x, y, scratch, q, sextets);
      iv = scratch.subarray(0, p);
      tag = scratch.subarray(p, q);
      data = scratch.subarray(q, r);
    }
    try {
      const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAAD(bytes.subarray(a, v));
      decipher.setAuthTag(tag);
      out.set(decipher.update(data), at);
      decipher.final();
      ok[i] = 1;
    } catch {
      out.fill(0, at, at + n);
      ok[i] = 0;
    }
  }
}
