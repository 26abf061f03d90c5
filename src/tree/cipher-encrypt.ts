/**
 * Batch encryption to `ENC[…]` texts: the inputs are packed once (parallel arrays in, no
 * object per value), both threads write ASCII ENC texts into one output buffer
 * (`cipher-pool.ts`). Each text's exact length is known once the batch is packed, before
 * anything is encrypted, so a caller can choose where every text goes: `EncryptBatch.run`
 * writes them at given offsets of any buffer — an emitter can have them written straight
 * into the final file (`formats/dotenv/emit-sealed.ts`), with no string per value and no
 * second copy of the output. `runEncryptTexts` is the plain form: texts back to back,
 * decoded once, each value's string a slice of that.
 */
import * as nodeCrypto from "node:crypto";
import { randomFillSync } from "node:crypto";
import { encryptPacked } from "./cipher-batch.js";
import { LOCAL_ALLOC, SHARED_ALLOC, packEncrypt, plain, type Alloc, type EncryptInputs, type PackedEncrypt } from "./cipher-pack.js";
import { runChunked, wantsWorker, type CipherJobOptions } from "./cipher-pool.js";

/** The ENC texts of a batch, in job order. */
export class EncryptedTexts {
  constructor(
    private readonly all: string,
    private readonly offs: Int32Array,
    readonly length: number,
  ) {}
  /** ENC text of job `i`. */
  text(i: number): string {
    return this.all.slice(this.offs[i]!, this.offs[i + 1]!);
  }
}

/** A packed encrypt batch whose texts are written wherever the caller places them. */
export class EncryptBatch {
  private packed: PackedEncrypt | undefined;
  /** The packed layout's offsets (kept after `run` for `textLength`). */
  private readonly encOffs: Int32Array;
  private readonly alloc: Alloc;
  private readonly shared: boolean;
  private readonly jobs: number;

  /**
   * `packed` from `packEncrypt` or an `EncryptPacker` on `encryptAlloc(n, opts)` memory
   * (n at least its count). A worker helps when the batch is worth one.
   */
  constructor(
    private readonly key: Uint8Array,
    packed: PackedEncrypt,
    private readonly opts?: CipherJobOptions,
  ) {
    // Shared memory is allocated for an upper bound of jobs: fewer may want no worker.
    this.shared = wantsWorker(packed.count, opts) && packed.bytes.buffer instanceof SharedArrayBuffer;
    this.alloc = this.shared ? SHARED_ALLOC : LOCAL_ALLOC;
    this.packed = packed;
    this.encOffs = packed.encOffs;
    this.jobs = packed.count;
  }

  /** Pack `input` (parallel arrays) into a batch. */
  static of(key: Uint8Array, input: EncryptInputs, opts?: CipherJobOptions): EncryptBatch {
    return new EncryptBatch(key, packEncrypt(input, encryptAlloc(input.plaintexts.length, opts)), opts);
  }

  get count(): number {
    return this.jobs;
  }
  /** Length (bytes = characters, ASCII) of job `i`'s ENC text. */
  textLength(i: number): number {
    return this.encOffs[i + 1]! - this.encOffs[i]!;
  }
  /** A buffer `run` may write into (shared memory when a worker helps). */
  buffer(size: number): Buffer {
    return this.alloc.bytes(size);
  }
  /** Offsets for `run` (shared memory when a worker helps). */
  offsets(): Int32Array {
    return this.alloc.ints(this.count + 1);
  }

  /**
   * Encrypt every job, job i's text to `out[at[i]..at[i] + textLength(i))`; `out` and `at`
   * must come from `buffer` and `offsets` (or be `out`'s packed layout). `meanwhile` runs
   * on this thread while a worker encrypts (it must not touch the ENC texts' bytes). Runs
   * once: the packed plaintexts are zeroed and let go.
   */
  run(out: Buffer, at?: Int32Array, meanwhile?: () => void): void {
    const packed = this.packed;
    if (!packed) throw new Error("encrypt batch already ran");
    this.packed = undefined;
    const { count, bytes, offs, typeCodes, typeNames } = packed;
    const encOffs = at ?? packed.encOffs;
    const key = this.key;
    const [bytesU, outU] = [plain(bytes), plain(out)];
    try {
      // Before the worker starts. Placed chunk by chunk while the worker already encrypts
      // (it waited for each), the IVs cost a YAML encrypt some 13 MB more peak RSS.
      placeIvs(packed, out, encOffs);
      // The worker does every chunk when there is one (`mainThreadJoins` says why).
      const opts: CipherJobOptions = { mainThreadJoins: false, ...this.opts };
      runChunked(key, count, { kind: "encrypt", bytes, offs, typeCodes, typeNames, out, encOffs }, this.shared, (a, b) => encryptPacked(nodeCrypto, key, bytesU, offs, typeCodes, typeNames, outU, encOffs, a, b), opts, meanwhile);
    } finally {
      bytes.fill(0);
    }
  }

  /** Texts back to back (the packed layout), as strings. */
  texts(): EncryptedTexts {
    const encOffs = this.encOffs;
    const size = encOffs[this.count]!;
    const out = this.buffer(size);
    this.run(out);
    return new EncryptedTexts(out.toString("latin1", 0, size), encOffs, this.count);
  }
}

/** Encrypt every job; texts come back in job order. */
export function runEncryptTexts(key: Uint8Array, input: EncryptInputs, opts?: CipherJobOptions): EncryptedTexts {
  return EncryptBatch.of(key, input, opts).texts();
}

/** Fresh IVs drawn per CSPRNG call: per-value calls cost more than the AES-GCM itself. */
const IV_BLOCK = 1024;
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Write each job's `,iv:<base64>,tag:` into its place in `out` (job i's ENC text starts
 * at `at[i]`) before anything is encrypted: a fresh random IV, or the job's reused one.
 * `encryptPacked` reads the IV from there and writes the rest of the text around it, so
 * no buffer of IVs is kept and a chunk redone by the other thread gets the same IVs.
 */
export function placeIvs(packed: PackedEncrypt, out: Buffer, at: Int32Array): void {
  const { count, offs, reuseIvs } = packed;
  const fresh = new Uint8Array(32 * IV_BLOCK);
  const dst = plain(out);
  const b64 = new Uint8Array(64);
  for (let j = 0; j < 64; j++) b64[j] = BASE64.charCodeAt(j);
  for (let i = 0; i < count; i++) {
    const k = i % IV_BLOCK;
    if (k === 0) randomFillSync(fresh);
    // `ENC[AES256_GCM,data:` and the data's base64 come first.
    let pos = at[i]! + 20 + Math.ceil((offs[2 * i + 2]! - offs[2 * i + 1]!) / 3) * 4;
    // `,iv:` and `,tag:` byte by byte: no native call per value.
    dst[pos++] = 44;
    dst[pos++] = 105;
    dst[pos++] = 118;
    dst[pos++] = 58;
    const reused = reuseIvs.size > 0 ? reuseIvs.get(i) : undefined;
    const iv = reused ?? fresh;
    let j = reused ? 0 : 32 * k;
    const e = reused ? reused.length : j + 32;
    for (; j + 2 < e; j += 3) {
      const v = (iv[j]! << 16) | (iv[j + 1]! << 8) | iv[j + 2]!;
      dst[pos++] = b64[v >>> 18]!;
      dst[pos++] = b64[(v >>> 12) & 63]!;
      dst[pos++] = b64[(v >>> 6) & 63]!;
      dst[pos++] = b64[v & 63]!;
    }
    if (j < e) {
      const two = j + 1 < e;
      const v = (iv[j]! << 16) | (two ? iv[j + 1]! << 8 : 0);
      dst[pos++] = b64[v >>> 18]!;
      dst[pos++] = b64[(v >>> 12) & 63]!;
      dst[pos++] = two ? b64[(v >>> 6) & 63]! : 61;
      dst[pos++] = 61;
    }
    dst[pos++] = 44;
    dst[pos++] = 116;
    dst[pos++] = 97;
    dst[pos++] = 103;
    dst[pos] = 58;
  }
  fresh.fill(0);
}

/** Memory for packing up to `maxJobs` encrypt jobs: shared when a worker may help. */
export function encryptAlloc(maxJobs: number, opts?: CipherJobOptions): Alloc {
  return wantsWorker(maxJobs, opts) ? SHARED_ALLOC : LOCAL_ALLOC;
}
