/**
 * Packs cipher jobs into a few flat buffers for `cipher-batch.ts`: one allocation per
 * batch instead of several small Buffers per value (less GC), on shared memory when a
 * worker thread helps (`cipher-pool.ts`).
 */
import { randomFillSync } from "node:crypto";
import type { ParsedEnc } from "../crypto/cipher.js";

/** SOPS value IVs are 32 bytes. */
const IV_BYTES = 32;

/** Input of `encryptPacked` for jobs 0..count, with the output layout. */
export interface PackedEncrypt {
  count: number;
  bytes: Buffer;
  offs: Int32Array;
  ivs: Buffer;
  ivOffs: Int32Array;
  typeCodes: Uint8Array;
  typeNames: string[];
  /** Where each job's ENC text goes in the output (exact lengths). */
  encOffs: Int32Array;
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

/** Length of padded base64 for `n` bytes. */
function b64Len(n: number): number {
  return Math.ceil(n / 3) * 4;
}

/** `ENC[AES256_GCM,data:` `,iv:` `,tag:` + 24 tag characters, `,type:` and `]`. */
const ENC_FIXED = 20 + 4 + 5 + 24 + 6 + 1;

/** Jobs whose AADs and plaintexts are joined into one string and written with one call. */
const GROUP = 256;

/**
 * The AADs and plaintexts of jobs `g..h` joined, when they are all ASCII text (then
 * byte offsets are string offsets and one native write packs the group); else undefined.
 */
function asciiGroup(plaintexts: readonly (Uint8Array | string)[], aads: readonly string[], g: number, h: number): string | undefined {
  const parts = new Array<string>(2 * (h - g));
  for (let i = g; i < h; i++) {
    const p = plaintexts[i]!;
    if (typeof p !== "string") return undefined;
    parts[2 * (i - g)] = aads[i]!;
    parts[2 * (i - g) + 1] = p;
  }
  const joined = parts.join("");
  return Buffer.byteLength(joined, "utf8") === joined.length ? joined : undefined;
}

/**
 * Pack every encrypt job. IVs are fresh random bytes (one CSPRNG call for the whole
 * batch: per-value `randomBytes` calls cost more than the AES-GCM itself), except where
 * a job reuses one. `alloc` gives shared memory when a worker will help.
 */
export function packEncrypt(input: EncryptInputs, alloc: Alloc): PackedEncrypt {
  const { plaintexts, aads, types, reuseIvs } = input;
  const count = plaintexts.length;
  const typeNames: string[] = [];
  const typeCodes = alloc.bytes(count);
  const encOffs = alloc.ints(count + 1);
  const groups: (string | undefined)[] = [];
  let size = 0;
  let ivSize = 0;
  let encSize = 0;
  for (let g = 0; g < count; g += GROUP) {
    const h = Math.min(count, g + GROUP);
    const joined = asciiGroup(plaintexts, aads, g, h);
    groups.push(joined);
    if (joined !== undefined) size += joined.length;
    for (let i = g; i < h; i++) {
      const p = plaintexts[i]!;
      const n = joined !== undefined ? p.length : typeof p === "string" ? Buffer.byteLength(p, "utf8") : p.length;
      if (joined === undefined) size += Buffer.byteLength(aads[i]!, "utf8") + n;
      const ivLen = reuseIvs?.[i]?.length ?? IV_BYTES;
      ivSize += ivLen;
      const type = types[i]!;
      let code = typeNames.indexOf(type);
      if (code < 0) code = typeNames.push(type) - 1;
      typeCodes[i] = code;
      encOffs[i] = encSize;
      encSize += ENC_FIXED + b64Len(n) + b64Len(ivLen) + type.length;
    }
  }
  encOffs[count] = encSize;
  if (typeNames.length > 255) throw new Error("too many distinct value types");
  const bytes = alloc.bytes(size);
  const offs = alloc.ints(2 * count + 1);
  const ivs = alloc.bytes(ivSize);
  randomFillSync(ivs);
  const ivOffs = alloc.ints(count + 1);
  let pos = 0;
  let ivPos = 0;
  for (let g = 0; g < count; g += GROUP) {
    const h = Math.min(count, g + GROUP);
    const joined = groups[g / GROUP];
    if (joined !== undefined) bytes.write(joined, pos, "latin1");
    for (let i = g; i < h; i++) {
      const p = plaintexts[i]!;
      offs[2 * i] = pos;
      if (joined !== undefined) {
        pos += aads[i]!.length;
        offs[2 * i + 1] = pos;
        pos += p.length;
      } else {
        pos += bytes.write(aads[i]!, pos, "utf8");
        offs[2 * i + 1] = pos;
        if (typeof p === "string") pos += bytes.write(p, pos, "utf8");
        else {
          bytes.set(p, pos);
          pos += p.length;
        }
      }
      ivOffs[i] = ivPos;
      const reuse = reuseIvs?.[i];
      if (reuse) {
        ivs.set(reuse, ivPos);
        ivPos += reuse.length;
      } else ivPos += IV_BYTES;
    }
  }
  offs[2 * count] = pos;
  ivOffs[count] = ivPos;
  return { count, bytes, offs, ivs, ivOffs, typeCodes, typeNames, encOffs };
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
