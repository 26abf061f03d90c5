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
   * must come from `buffer` and `offsets` (or be `out`'s packed layout). Runs once: the
   * packed plaintexts are zeroed and let go.
   */
  run(out: Buffer, at?: Int32Array): void {
    const packed = this.packed;
    if (!packed) throw new Error("encrypt batch already ran");
    this.packed = undefined;
    const { count, bytes, offs, ivs, ivOffs, typeCodes, typeNames } = packed;
    const encOffs = at ?? packed.encOffs;
    const key = this.key;
    const [bytesU, ivsU, outU] = [plain(bytes), plain(ivs), plain(out)];
    try {
      // The worker does every chunk when there is one (`mainThreadJoins` says why).
      const opts: CipherJobOptions = { mainThreadJoins: false, ...this.opts };
      runChunked(key, count, { kind: "encrypt", bytes, offs, ivs, ivOffs, typeCodes, typeNames, out, encOffs }, this.shared, (a, b) => encryptPacked(nodeCrypto, key, bytesU, offs, ivsU, ivOffs, typeCodes, typeNames, outU, encOffs, a, b), opts);
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

/** Memory for packing up to `maxJobs` encrypt jobs: shared when a worker may help. */
export function encryptAlloc(maxJobs: number, opts?: CipherJobOptions): Alloc {
  return wantsWorker(maxJobs, opts) ? SHARED_ALLOC : LOCAL_ALLOC;
}
