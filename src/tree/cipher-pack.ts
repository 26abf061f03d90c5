/**
 * Packs cipher jobs into a few flat buffers for `cipher-batch.ts`: one allocation per
 * batch instead of several small Buffers per value (less GC), and transferable to a
 * worker thread without copying. Buffers come from `allocUnsafeSlow` (never the shared
 * pool) so their ArrayBuffers can be transferred; every byte is written before use.
 */
import { randomFillSync } from "node:crypto";
import type { ParsedEnc } from "../crypto/cipher.js";

/** SOPS value IVs are 32 bytes. */
const IV_BYTES = 32;

/** Input of `encryptPacked` for jobs 0..count. */
export interface PackedEncrypt {
  count: number;
  bytes: Buffer;
  offs: Int32Array;
  ivs: Buffer;
  ivOffs: Int32Array;
  types: string[];
}

/** Input of `decryptPacked` for jobs 0..count, with the output layout. */
export interface PackedDecrypt {
  count: number;
  bytes: Buffer;
  offs: Int32Array;
  outOffs: Int32Array;
  outSize: number;
}

interface EncryptInput {
  /** Bytes, or text encrypted as its UTF-8 bytes. */
  plaintext: Uint8Array | string;
  aad: string;
  type: string;
  reuseIv?: Uint8Array | undefined;
}

interface DecryptInput {
  parsed: ParsedEnc;
  aad: string;
}

/**
 * Pack encrypt jobs `from`..`to`. IVs are fresh random bytes (one CSPRNG call for the
 * whole batch: per-value `randomBytes` calls cost more than the AES-GCM itself), except
 * where a job carries `reuseIv`.
 */
export function packEncrypt(jobs: readonly EncryptInput[], from: number, to: number): PackedEncrypt {
  const count = to - from;
  let size = 0;
  let ivSize = 0;
  for (let i = from; i < to; i++) {
    const job = jobs[i]!;
    const p = job.plaintext;
    size += Buffer.byteLength(job.aad, "utf8") + (typeof p === "string" ? Buffer.byteLength(p, "utf8") : p.length);
    ivSize += job.reuseIv ? job.reuseIv.length : IV_BYTES;
  }
  const bytes = Buffer.allocUnsafeSlow(size);
  const offs = new Int32Array(2 * count + 1);
  const ivs = Buffer.allocUnsafeSlow(ivSize);
  randomFillSync(ivs);
  const ivOffs = new Int32Array(count + 1);
  const types = new Array<string>(count);
  let pos = 0;
  let ivPos = 0;
  for (let i = 0; i < count; i++) {
    const job = jobs[from + i]!;
    offs[2 * i] = pos;
    pos += bytes.write(job.aad, pos, "utf8");
    offs[2 * i + 1] = pos;
    const p = job.plaintext;
    if (typeof p === "string") pos += bytes.write(p, pos, "utf8");
    else {
      bytes.set(p, pos);
      pos += p.length;
    }
    ivOffs[i] = ivPos;
    if (job.reuseIv) {
      ivs.set(job.reuseIv, ivPos);
      ivPos += job.reuseIv.length;
    } else ivPos += IV_BYTES;
    types[i] = job.type;
  }
  offs[2 * count] = pos;
  ivOffs[count] = ivPos;
  return { count, bytes, offs, ivs, ivOffs, types };
}

/** Pack decrypt jobs `from`..`to`: per job AAD, IV, tag, ciphertext. */
export function packDecrypt(jobs: readonly DecryptInput[], from: number, to: number): PackedDecrypt {
  const count = to - from;
  let size = 0;
  let outSize = 0;
  for (let i = from; i < to; i++) {
    const { parsed, aad } = jobs[i]!;
    size += Buffer.byteLength(aad, "utf8") + parsed.iv.length + parsed.tag.length + parsed.data.length;
    outSize += parsed.data.length;
  }
  const bytes = Buffer.allocUnsafeSlow(size);
  const offs = new Int32Array(4 * count + 1);
  const outOffs = new Int32Array(count + 1);
  let pos = 0;
  let out = 0;
  for (let i = 0; i < count; i++) {
    const { parsed, aad } = jobs[from + i]!;
    offs[4 * i] = pos;
    pos += bytes.write(aad, pos, "utf8");
    offs[4 * i + 1] = pos;
    pos += parsed.iv.copy(bytes, pos);
    offs[4 * i + 2] = pos;
    pos += parsed.tag.copy(bytes, pos);
    offs[4 * i + 3] = pos;
    pos += parsed.data.copy(bytes, pos);
    outOffs[i] = out;
    out += parsed.data.length;
  }
  offs[4 * count] = pos;
  outOffs[count] = out;
  return { count, bytes, offs, outOffs, outSize };
}
