/**
 * Packs cipher jobs into a few flat buffers for `cipher-batch.ts`: one allocation per
 * batch instead of several small Buffers per value (less GC), on shared memory when a
 * worker thread helps (`cipher-pool.ts`).
 */
import type { ParsedEnc } from "../crypto/cipher.js";
import { EncryptPacker } from "./encrypt-packer.js";

/** Input of `encryptPacked` for jobs 0..count, with the output layout. */
export interface PackedEncrypt {
  count: number;
  bytes: Buffer;
  offs: Int32Array;
  typeCodes: Uint8Array;
  typeNames: string[];
  /** Where each job's ENC text goes in the output (exact lengths). */
  encOffs: Int32Array;
  /** IVs to reuse, by job; every other job gets a fresh 32-byte IV (`placeIvs`). */
  reuseIvs: ReadonlyMap<number, Uint8Array>;
}

/** The encrypt inputs, as parallel arrays (no object per value). */
export interface EncryptInputs {
  /** Bytes, or text encrypted as its UTF-8 bytes. */
  plaintexts: readonly (Uint8Array | string)[];
  aads: readonly string[];
  types: readonly string[];
  /** Per job, an IV to reuse (absent or `undefined`: a fresh one). */
  reuseIvs?: readonly (Uint8Array | undefined)[] | undefined;
}

/** Input of `decryptPacked` for jobs 0..count, with the output layout. */
export interface PackedDecrypt {
  count: number;
  bytes: Buffer;
  offs: Int32Array;
  outOffs: Int32Array;
  outSize: number;
}

interface DecryptInput {
  parsed: ParsedEnc;
  aad: string;
}

/**
 * Pack every encrypt job (`EncryptPacker`, measuring and writing from the arrays). IVs
 * are fresh random bytes except where a job reuses one. `alloc` gives shared memory
 * when a worker will help.
 */
export function packEncrypt(input: EncryptInputs, alloc: Alloc): PackedEncrypt {
  const { plaintexts, aads, types, reuseIvs } = input;
  const count = plaintexts.length;
  const packer = new EncryptPacker(count, alloc);
  for (let i = 0; i < count; i++) packer.measure(aads[i]!, undefined, plaintexts[i]!, types[i]!, reuseIvs?.[i]);
  for (let i = 0; i < count; i++) packer.write(aads[i]!, undefined, plaintexts[i]!);
  return packer.finish();
}

/** Where packed buffers come from: ordinary memory, or shared memory for a worker. */
export interface Alloc {
  bytes(n: number): Buffer;
  ints(n: number): Int32Array;
}

/** Ordinary memory (`allocUnsafeSlow`: every byte is written before use). */
export const LOCAL_ALLOC: Alloc = {
  bytes: (n) => Buffer.allocUnsafeSlow(n),
  ints: (n) => new Int32Array(n),
};

/**
 * A plain Uint8Array view of `b`: its `subarray` is V8's built-in, much cheaper per call
 * than Buffer's (the cipher loops take several views per value).
 */
export function plain(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Shared memory (zero-filled), seen by a worker thread without copying. */
export const SHARED_ALLOC: Alloc = {
  bytes: (n) => Buffer.from(new SharedArrayBuffer(Math.max(1, n)), 0, n),
  ints: (n) => new Int32Array(new SharedArrayBuffer(4 * Math.max(1, n)), 0, n),
};

/** Pack decrypt jobs: per job AAD, IV, tag, ciphertext. */
export function packDecrypt(jobs: readonly DecryptInput[], alloc: Alloc): PackedDecrypt {
  const count = jobs.length;
  let size = 0;
  let outSize = 0;
  for (let i = 0; i < count; i++) {
    const { parsed, aad } = jobs[i]!;
    size += Buffer.byteLength(aad, "utf8") + parsed.iv.length + parsed.tag.length + parsed.data.length;
    outSize += parsed.data.length;
  }
  const bytes = alloc.bytes(size);
  const offs = alloc.ints(4 * count + 1);
  const outOffs = alloc.ints(count + 1);
  let pos = 0;
  let out = 0;
  for (let i = 0; i < count; i++) {
    const { parsed, aad } = jobs[i]!;
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
